import GitKit
import Governance

/// The commits a release brings to a ref, and who wrote them.
///
/// As the contract defines it: reachable from the new target and not from the ref's old
/// value; for a new ref, not from any other ref matching the same protected pattern (the
/// previous releases). The first release's range is the whole history.
public struct ReleaseRange {
  public let commits: [OID]

  /// The range for a ref update whose old value is known (hooks): `old` zero means a new ref.
  public static func forUpdate(
    _ repository: Repository, target: OID, ref: String, old: OID, pattern: RefPattern
  ) throws -> ReleaseRange {
    if !old.isZero {
      guard repository.objectExists(old) else {
        throw LedgerError(
          "\(ref) is at \(old.hex.prefix(10)) on the other side, a commit this repository does not have; fetch first"
        )
      }
      return try walk(repository, target, hiding: [try repository.peelToCommit(old)])
    }
    let previous = try repository.references(glob: nil).filter {
      $0.name != ref && pattern.matches($0.name)
    }.map(\.target)
    return try walk(repository, target, hiding: commitsOnly(repository, previous))
  }

  /// The range for a release that is not being pushed yet (request, approve, status): measured
  /// against what the ref and its remote-tracking copies hold now, and previous releases.
  public static func forRelease(
    _ repository: Repository, target: OID, ref: String, pattern: RefPattern
  ) throws -> ReleaseRange {
    var hidden: [OID] = []
    let branchName = ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : nil
    for (name, value) in try repository.references(glob: nil) {
      if name == ref {
        // The local branch may already hold the release (merged, not pushed): hide it only when behind.
        guard let commit = try? repository.peelToCommit(value), commit != target,
          try repository.isDescendant(target, of: commit)
        else { continue }
        hidden.append(commit)
      } else if pattern.matches(name) {
        hidden.append(value)
      } else if let branchName, name.hasPrefix("refs/remotes/"), name.hasSuffix("/" + branchName),
        name.dropFirst("refs/remotes/".count).split(separator: "/", maxSplits: 1).last.map(
          String.init) == branchName
      {
        hidden.append(value)
      }
    }
    return try walk(repository, target, hiding: commitsOnly(repository, hidden))
  }

  /// The parents and people of the commits, when the walk read them already.
  let identities: [OID: CommitIdentities]?

  public init(commits: [OID]) { self.init(commits: commits, identities: nil) }

  init(commits: [OID], identities: [OID: CommitIdentities]?) {
    self.commits = commits
    self.identities = identities
  }

  private static func commitsOnly(_ repository: Repository, _ oids: [OID]) -> [OID] {
    oids.compactMap { try? repository.peelToCommit($0) }
  }

  private static func walk(_ repository: Repository, _ target: OID, hiding: [OID]) throws
    -> ReleaseRange
  {
    guard !hiding.isEmpty else { return try ancestors(repository, target) }
    let walk = try repository.walk(from: [target], hiding: hiding, order: .none)
    var commits: [OID] = []
    while let oid = try walk.nextCommit() {
      commits.append(oid)
      try checkLimit(commits.count, target)
    }
    return ReleaseRange(commits: commits)
  }

  /// Everything `target` reaches (a first release): each commit is read once, for its parents
  /// and its people together, where a revision walk and then the contributors would read it twice.
  private static func ancestors(_ repository: Repository, _ target: OID) throws -> ReleaseRange {
    var identities: [OID: CommitIdentities] = [:]
    var commits: [OID] = []
    var pending = [target]
    while let oid = pending.popLast() {
      guard identities[oid] == nil else { continue }
      let commit = try repository.identities(ofCommit: oid)
      identities[oid] = commit
      commits.append(oid)
      try checkLimit(commits.count, target)
      pending += commit.parents.reversed()
    }
    return ReleaseRange(commits: commits, identities: identities)
  }

  private static func checkLimit(_ count: Int, _ target: OID) throws {
    if count > LedgerLimits.rangeCommits {
      throw LedgerError(
        "the release range of \(target.hex.prefix(10)) holds more than \(LedgerLimits.rangeCommits) commits, more than git-govern "
          + "scans for separation of duties; release in smaller steps, or tag an earlier commit as the baseline"
      )
    }
  }

  /// Authors and committers of the range, each resolved through `.mailmap` to a person.
  public func contributors(_ repository: Repository, people: People) throws -> [Contributor] {
    var resolver = ContributorResolver(mailmap: try repository.mailmap(), people: people)
    for (oid, commit) in try firstAppearances(repository) {
      resolver.add(oid, author: commit.author, committer: commit.committer)
    }
    return resolver.contributors
  }

  /// Ranges at least this long are read on every core.
  static let parallelReading = 4096

  /// The commits in range order that bring an author or committer not seen earlier in the
  /// range (with their people): all that `ContributorResolver` needs; and those with
  /// identity problems (`identityProblems`). A long range (a first
  /// release over the whole history) is read in chunks on every core; each chunk keeps the
  /// first appearance of each identity in it, so the first appearance in the range survives.
  func firstAppearances(_ repository: Repository) throws -> [(OID, CommitIdentities)] {
    let known = identities
    @Sendable func read(_ chunk: ArraySlice<OID>, _ repository: Repository) throws -> [(
      OID, CommitIdentities
    )] {
      var seen = Set<ContributorResolver.Identity>()
      var kept: [(OID, CommitIdentities)] = []
      for oid in chunk {
        let commit = try known?[oid] ?? repository.identities(ofCommit: oid)
        let author = seen.insert(.init(commit.author)).inserted
        let committer = seen.insert(.init(commit.committer)).inserted
        // A commit whose people lines read two ways is kept too: the gate refuses it.
        if author || committer || !commit.identityProblems.isEmpty { kept.append((oid, commit)) }
      }
      return kept
    }
    guard identities == nil, commits.count >= Self.parallelReading else {
      return try read(commits[...], repository)
    }
    let handles = try WorkerHandles(repository)
    let size =
      (commits.count + 4 * handles.repositories.count - 1) / (4 * handles.repositories.count)
    let jobs: [@Sendable (Repository) throws -> [(OID, CommitIdentities)]] = stride(
      from: 0, to: commits.count, by: size
    ).map { start in
      let chunk = commits[start..<min(commits.count, start + size)]
      return { repository in try read(chunk, repository) }
    }
    return try ParallelJobs.run(handles, jobs: jobs).flatMap { $0 }
  }
}

/// Turns the authors and committers of commits into contributors, once per identity: each
/// distinct name and address is resolved (mailmap, canonical address, person) only once, and
/// kept across ranges (`startRange`) when one resolver serves many releases.
public struct ContributorResolver {
  let mailmap: Mailmap
  let people: People
  /// A name and address as a commit carries them.
  struct Identity: Hashable {
    var name: String
    var email: String

    init(_ signature: Signature) { (name, email) = (signature.name, signature.email) }
  }
  /// What an identity resolves to: the number of its key (equal for identities that are the
  /// same contributor) and its person.
  private var resolved: [Identity: (key: Int, person: String?)] = [:]
  private var keys: [String: Int] = [:]
  private var seenIdentities = Set<Identity>()
  private var seen = Set<Int>()
  /// For identities the caller numbered: what each number resolves to, and the range in
  /// which it was last added.
  private var resolvedNumbers: [(key: Int, person: String?)?] = []
  private var numberAddedIn: [Int] = []
  private var rangeCount = 1
  public private(set) var contributors: [Contributor] = []

  public init(mailmap: Mailmap, people: People) {
    self.mailmap = mailmap
    self.people = people
  }

  /// Forgets the contributors found so far, not what identities resolve to.
  public mutating func startRange() {
    seenIdentities.removeAll(keepingCapacity: true)
    seen.removeAll(keepingCapacity: true)
    rangeCount += 1
    contributors = []
  }

  /// `add(_:author:committer:)` for identities the caller has numbered: equal numbers only
  /// for equal names and addresses, so each is resolved once, without hashing its text.
  /// `identity` gives a number's name and address.
  public mutating func add(
    _ commit: OID, author: Int, committer: Int,
    identity: (Int) -> (name: String, email: String)
  ) {
    add(commit, number: author, identity)
    add(commit, number: committer, identity)
  }

  private mutating func add(
    _ commit: OID, number: Int, _ identity: (Int) -> (name: String, email: String)
  ) {
    if number >= numberAddedIn.count {
      let count = max(number + 1, 2 * numberAddedIn.count)
      numberAddedIn += repeatElement(0, count: count - numberAddedIn.count)
      resolvedNumbers += repeatElement(nil, count: count - resolvedNumbers.count)
    }
    guard numberAddedIn[number] != rangeCount else { return }
    numberAddedIn[number] = rangeCount
    let resolution: (key: Int, person: String?)
    if let known = resolvedNumbers[number] {
      resolution = known
    } else {
      let (name, email) = identity(number)
      resolution = resolve(name: name, email: email)
      resolvedNumbers[number] = resolution
    }
    count(commit, email: identity(number).email, as: resolution)
  }

  public mutating func add(_ commit: OID, author: Signature, committer: Signature) {
    add(commit, author)
    add(commit, committer)
  }

  private mutating func add(_ commit: OID, _ signature: Signature) {
    let identity = Identity(signature)
    guard seenIdentities.insert(identity).inserted else { return }
    let resolution: (key: Int, person: String?)
    if let known = resolved[identity] {
      resolution = known
    } else {
      resolution = resolve(name: signature.name, email: signature.email)
      resolved[identity] = resolution
    }
    count(commit, email: signature.email, as: resolution)
  }

  /// A contributor, unless one resolved to the same key was found earlier in the range.
  private mutating func count(
    _ commit: OID, email: String, as resolution: (key: Int, person: String?)
  ) {
    guard seen.insert(resolution.key).inserted else { return }
    contributors.append(Contributor(commit: commit.hex, email: email, person: resolution.person))
  }

  private mutating func resolve(name: String, email raw: String) -> (key: Int, person: String?) {
    let email = mailmap.resolve(name: name, email: raw).email
    // The mapped address, else the raw one: an alias registered in people.yml but mapped
    // by .mailmap to an unregistered address still resolves to its person.
    let person = people.person(email: email) ?? people.person(email: raw)
    let key = EmailAddress.canonical(raw) + " " + EmailAddress.canonical(email)
    let number = keys[key] ?? keys.count
    keys[key] = number
    return (number, person?.id)
  }
}
