/// Who owns which paths (`owners:`): every path a release changes needs approvals from the
/// owners of each pattern that matches it; a path no pattern matches needs the `default`
/// owners, when the policy names some. Owners live in the governance branch's policy.yml
/// (signed, changed like the policy), never in the code tree a developer pushes.
public struct PathOwners: Sendable, Equatable {
  /// The patterns in file order. Every one that matches a path applies: a narrow pattern never
  /// overrides a broad one, so nobody can escape `payments/**` by adding a pattern beneath it.
  public var rules: [OwnerRule]
  /// The owners of paths no pattern matches (`default:`); nil leaves them to the rule alone.
  public var fallback: OwnerRule?

  public init(rules: [OwnerRule] = [], fallback: OwnerRule? = nil) {
    self.rules = rules
    self.fallback = fallback
  }

  public var isEmpty: Bool { rules.isEmpty && fallback == nil }

  /// The paths each owner rule covers, in the policy's order (the fallback last); rules that
  /// cover none of `paths` are left out. Patterns were compiled once; a path is tried only
  /// against the patterns whose literal first folder is its own (and those with a wildcard
  /// there), so 100 patterns over 1,000 paths costs about one lookup per path.
  public func groups(for paths: [String]) -> [(rule: OwnerRule, paths: [String])] {
    let index = OwnerIndex(rules)
    var covered = [[String]](repeating: [], count: rules.count)
    var unowned: [String] = []
    for path in paths {
      let bytes = Array(path.utf8)[...]
      var owned = false
      index.forEachMatch(bytes) {
        covered[$0].append(path)
        owned = true
      }
      if !owned { unowned.append(path) }
    }
    var groups: [(rule: OwnerRule, paths: [String])] = []
    for (rule, paths) in zip(rules, covered) where !paths.isEmpty { groups.append((rule, paths)) }
    if let fallback, !unowned.isEmpty { groups.append((rule: fallback, paths: unowned)) }
    return groups
  }
}

/// The owner patterns by their literal first folder (`payments` for `payments/**`); those with
/// a wildcard in it (`**/*.md`, `*.swift`) are tried against every path.
struct OwnerIndex {
  var byFirstFolder: [ArraySlice<UInt8>: [Int]] = [:]
  var anywhere: [Int] = []
  let patterns: [CompiledPathPattern]

  init(_ rules: [OwnerRule]) {
    patterns = rules.map(\.pattern)
    for (number, pattern) in patterns.enumerated() {
      if let slash = pattern.literalPrefix.firstIndex(of: UInt8(ascii: "/")) {
        byFirstFolder[pattern.literalPrefix[..<slash], default: []].append(number)
      } else {
        anywhere.append(number)
      }
    }
  }

  /// Calls `body` with the number of each pattern matching `path`, in the policy's order.
  func forEachMatch(_ path: ArraySlice<UInt8>, _ body: (Int) -> Void) {
    var candidates = anywhere
    if let slash = path.firstIndex(of: UInt8(ascii: "/")), let found = byFirstFolder[path[..<slash]]
    {
      candidates = (candidates + found).sorted()
    }
    for number in candidates where patterns[number].matches(path) { body(number) }
  }
}

/// One entry of `owners:`: a pattern (or `default`), who owns it, and how many of them must
/// approve.
public struct OwnerRule: Sendable, Equatable {
  /// The key as written: a path pattern, or `default` for the fallback.
  public var name: String
  public var pattern: CompiledPathPattern
  public var people: [String]
  public var roles: [String]
  public var teams: [String]
  public var approvals: Int

  public static let fallbackName = "default"

  public init(
    name: String, people: [String] = [], roles: [String] = [], teams: [String] = [],
    approvals: Int = 1
  ) {
    self.name = name
    self.pattern = CompiledPathPattern(name == Self.fallbackName ? "**" : name)
    self.people = people
    self.roles = roles
    self.teams = teams
    self.approvals = approvals
  }

  public var isFallback: Bool { name == Self.fallbackName }

  public func owns(_ person: Person) -> Bool {
    people.contains(person.id) || roles.contains(where: person.hasRole)
      || person.team.map(teams.contains) ?? false
  }

  /// `team payments`, `role sre`, `alice, carol`: who the owners are, in words.
  public var ownersText: String {
    var parts: [String] = []
    if !teams.isEmpty { parts.append("team \(teams.joined(separator: ", "))") }
    if !roles.isEmpty { parts.append("role \(roles.joined(separator: ", "))") }
    if !people.isEmpty { parts.append(people.joined(separator: ", ")) }
    return parts.joined(separator: " or ")
  }

  /// How the group is named in messages.
  public var groupText: String {
    isFallback ? "paths no owner pattern matches (default owners)" : "owners of \(name)"
  }
}

/// A path pattern (as `PathPattern`) read into bytes once, with its literal start: most owner
/// patterns are `dir/**`, and a path that does not start with `dir/` is turned away with one
/// comparison instead of a match.
public struct CompiledPathPattern: Sendable, Equatable {
  public let text: String
  let bytes: [UInt8]
  let literalPrefix: [UInt8]

  public init(_ text: String) {
    self.text = text
    bytes = Array(text.utf8)
    literalPrefix = Array(bytes.prefix { $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") })
  }

  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.text == rhs.text }

  public func matches(_ path: String) -> Bool { matches(Array(path.utf8)[...]) }

  func matches(_ path: ArraySlice<UInt8>) -> Bool {
    guard path.count >= literalPrefix.count,
      path.prefix(literalPrefix.count).elementsEqual(literalPrefix)
    else { return false }
    if literalPrefix.count == bytes.count { return path.count == bytes.count }
    return PathPattern.match(bytes[...], path)
  }
}
