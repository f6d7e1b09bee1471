/// A pre-approved change template (`standard_changes:`): who may request it and which paths it
/// may touch. A release requested with `--type standard` is a standard change only when its
/// requester may request one of these and every path the release changes fits that template.
public struct StandardChange: Sendable, Equatable {
  public var name: String
  /// Holders of any of these roles may request it.
  public var roles: [String]
  /// These people (principals) may request it.
  public var people: [String]
  public var paths: [PathPattern]

  public init(name: String, roles: [String] = [], people: [String] = [], paths: [PathPattern]) {
    self.name = name
    self.roles = roles
    self.people = people
    self.paths = paths
  }

  public func mayRequest(_ person: Person) -> Bool {
    people.contains(person.id) || roles.contains(where: person.hasRole)
  }

  /// The first changed path no pattern of this template matches; nil when all fit.
  public func pathOutside(_ changed: [String]) -> String? {
    changed.first { path in !paths.contains { $0.matches(path) } }
  }
}

/// A path glob of a standard change, matched against paths relative to the repository root:
/// `*` and `?` stay within one path segment, `**` spans segments (`docs/**` is everything under
/// `docs/`). Narrow on purpose: a pattern that matches too little makes a release normal, one
/// that matched too much would pre-approve it.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
  public let text: String

  public init(_ text: String) { self.text = text }

  public var description: String { text }

  /// Why `text` is not a usable pattern, or nil.
  public static func problem(_ text: String) -> String? {
    if text.isEmpty { return "a path pattern must not be empty" }
    if text.hasPrefix("/") {
      return "path patterns are relative to the repository root, without a leading /"
    }
    if text.split(separator: "/", omittingEmptySubsequences: false).contains(where: {
      $0.isEmpty || $0 == "." || $0 == ".."
    }) {
      return "a path pattern has no empty, . or .. segments"
    }
    if text.filter({ $0 == "*" }).count > 8 { return "a path pattern has at most 8 `*`" }
    return nil
  }

  public func matches(_ path: String) -> Bool {
    Self.match(Array(text.utf8)[...], Array(path.utf8)[...])
  }

  private static let star = UInt8(ascii: "*")
  private static let slash = UInt8(ascii: "/")

  static func match(_ pattern: ArraySlice<UInt8>, _ path: ArraySlice<UInt8>) -> Bool {
    guard let first = pattern.first else { return path.isEmpty }
    if first == star {
      let rest = pattern.dropFirst()
      if rest.first == star {
        // `**`: any run of characters, slashes included; `**/` may also match nothing.
        var after = rest.dropFirst()
        if after.first == slash, match(after.dropFirst(), path) { return true }
        after = rest.dropFirst()
        var tail = path
        while true {
          if match(after, tail) { return true }
          guard !tail.isEmpty else { return false }
          tail = tail.dropFirst()
        }
      }
      var tail = path
      while true {
        if match(rest, tail) { return true }
        guard let next = tail.first, next != slash else { return false }
        tail = tail.dropFirst()
      }
    }
    guard let next = path.first else { return false }
    if first == UInt8(ascii: "?") {
      return next != slash && match(pattern.dropFirst(), path.dropFirst())
    }
    return first == next && match(pattern.dropFirst(), path.dropFirst())
  }
}
