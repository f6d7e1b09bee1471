import GitKit
import Governance

/// The commits a release brings to a ref, and who wrote them.
///
/// As the contract defines it: reachable from the new target and not from the ref's old
/// value; for a new ref, not from any other ref matching the same protected pattern (the
/// previous releases). The first release's range is the whole history, down to what
/// `init --baseline` marked as released before governance (`releasedBefore`, from the signed
/// genesis record): those commits are in no release's range.
public struct ReleaseRange {
  public let commits: [OID]

  /// The range for a ref update whose old value is known (hooks): `old` zero means a new ref.
  public static func forUpdate(
    _ repository: Repository, target: OID, ref: String, old: OID, pattern: RefPattern,
    releasedBefore: [OID]
  ) throws -> ReleaseRange {
    if !old.isZero {
      guard repository.objectExists(old) else {
        throw LedgerError(
          "\(ref) is at \(old.hex.prefix(10)) on the other side, a commit this repository does not have; fetch first"
        )
      }
      return try walk(
        repository, target, hiding: [try repository.peelToCommit(old)],
        whereCommits: releasedBefore)
    }
    let previous = try repository.references(glob: nil).filter {
      $0.name != ref && pattern.matches($0.name)
    }.map(\.target)
    // A hidden tip itself: nothing to walk (what the walk would find, without reading every
    // other tip).
    if previous.contains(target) || releasedBefore.contains(target) {
      return ReleaseRange(commits: [])
    }
    return try walk(repository, target, hiding: [], whereCommits: previous + releasedBefore)
  }

  /// The range for a release that is not being pushed yet (request, approve, status): measured
  /// against what the ref and its remote-tracking copies hold now, and previous releases.
  public static func forRelease(
    _ repository: Repository, target: OID, ref: String, pattern: RefPattern,
    releasedBefore: [OID]
  ) throws -> ReleaseRange {
    var hidden = releasedBefore
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
    return try walk(repository, target, hiding: [], whereCommits: hidden)
  }

  /// The parents and people of the commits, when the walk read them already.
  let identities: [OID: CommitIdentities]?

  public init(commits: [OID]) { self.init(commits: commits, identities: nil) }

  init(commits: [OID], identities: [OID: CommitIdentities]?) {
    self.commits = commits
    self.identities = identities
  }

  /// What `target` reaches and neither `hiding` nor those of `whereCommits` that are commits
  /// (or tags of commits) reach; the others (a tag of a tree, an object this repository lacks)
  /// hide nothing.
  private static func walk(
    _ repository: Repository, _ target: OID, hiding: [OID], whereCommits: [OID]
  ) throws -> ReleaseRange {
    guard !hiding.isEmpty || !whereCommits.isEmpty else {
      return try ancestors(repository, target)
    }
    let walk = try repository.walk(
      from: [target], hiding: hiding, hidingWhereCommits: whereCommits, order: .none)
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

  /// Authors, committers and co-authors of the range, each resolved to a person through
  /// people.yml and its mailmap (never a `.mailmap` of the code, which anyone can write).
  public func contributors(_ repository: Repository, people: People) throws -> [Contributor] {
    Self.contributors(of: try firstAppearances(repository), people: people)
  }

  /// Who wrote the range and which of its commits cannot be attributed, from one read of
  /// its commits.
  public func attribution(_ repository: Repository, people: People) throws -> (
    contributors: [Contributor], unattributable: [String]
  ) {
    let appearances = try firstAppearances(repository)
    return (
      Self.contributors(of: appearances, people: people), Self.identityProblems(of: appearances)
    )
  }

  /// The contributors of commits read by `firstAppearances`.
  static func contributors(of appearances: [(OID, CommitIdentities)], people: People)
    -> [Contributor]
  {
    var resolver = ContributorResolver(people: people)
    for (oid, commit) in appearances {
      resolver.add(oid, author: commit.author, committer: commit.committer)
      for coAuthor in commit.coAuthors { resolver.add(oid, coAuthor: coAuthor) }
    }
    return resolver.contributors
  }

  /// Ranges at least this long are read on every core.
  static let parallelReading = 4096

  /// The commits in range order that bring an author, committer or co-author not seen earlier
  /// in the range (with their people): all that `ContributorResolver` needs; and those with
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
        var coAuthor = false
        for person in commit.coAuthors {
          coAuthor = seen.insert(.init(name: person.name, email: person.email)).inserted || coAuthor
        }
        // A commit whose people lines read two ways is kept too: the gate refuses it.
        if author || committer || coAuthor || !commit.identityProblems.isEmpty {
          kept.append((oid, commit))
        }
      }
      return kept
    }
    guard identities == nil, commits.count >= Self.parallelReading else {
      return try read(commits[...], repository)
    }
    let handles = try WorkerHandles(repository)
    let size =
      (commits.count + 4 * handles.repositories.count - 1) / (4 * handles.repositories.count)
    return try ParallelJobs.run(handles, chunksOf: commits.count, size: size) { range in
      let chunk = commits[range]
      return { repository in try read(chunk, repository) }
    }
  }
}

/// Turns the authors, committers, co-authors and signers of commits into contributors, once per
/// identity: each distinct name and address is resolved (mailmap, canonical address, person)
/// only once, and kept across ranges (`startRange`) when one resolver serves many releases.
/// A mapping only ever adds a person: an address registered to one person and mapped to
/// another makes both contributors.
public struct ContributorResolver {
  let mailmap: Mailmap
  let people: People
  /// A name and address as a commit carries them.
  struct Identity: Hashable {
    var name: String
    var email: String

    init(_ signature: Signature) { (name, email) = (signature.name, signature.email) }
    init(name: String, email: String) { (self.name, self.email) = (name, email) }
  }
  /// What an identity resolves to: the number of its key (equal for identities that are the
  /// same contributor), its person, and the person its own address is registered to when the
  /// mailmap maps it to another (`also`).
  typealias Resolution = (key: Int, person: String?, also: String?)
  private var resolved: [Identity: Resolution] = [:]
  private var keys: [String: Int] = [:]
  private var seenIdentities = Set<Identity>()
  private var seen = Set<Int>()
  private var seenSigners = Set<String>()
  /// For identities the caller numbered: what each number resolves to, and the range in
  /// which it was last added.
  private var resolvedNumbers: [Resolution?] = []
  private var numberAddedIn: [Int] = []
  private var rangeCount = 1
  public private(set) var contributors: [Contributor] = []

  public init(mailmap: Mailmap, people: People) {
    self.mailmap = mailmap
    self.people = people
  }

  /// With the mailmap people.yml carries, the only one separation of duties trusts.
  public init(people: People) {
    self.init(mailmap: Mailmap(parsing: people.mailmap.joined(separator: "\n")), people: people)
  }

  /// Forgets the contributors found so far, not what identities resolve to.
  public mutating func startRange() {
    seenIdentities.removeAll(keepingCapacity: true)
    seen.removeAll(keepingCapacity: true)
    seenSigners.removeAll(keepingCapacity: true)
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

  /// A co-author the caller has numbered (as for `add(_:author:committer:identity:)`).
  public mutating func add(
    _ commit: OID, coAuthor: Int, identity: (Int) -> (name: String, email: String)
  ) {
    add(commit, number: coAuthor, identity, as: .coAuthored)
  }

  private mutating func add(
    _ commit: OID, number: Int, _ identity: (Int) -> (name: String, email: String),
    as contribution: Contribution = .authoredOrCommitted
  ) {
    if number >= numberAddedIn.count {
      let count = max(number + 1, 2 * numberAddedIn.count)
      numberAddedIn += repeatElement(0, count: count - numberAddedIn.count)
      resolvedNumbers += repeatElement(nil, count: count - resolvedNumbers.count)
    }
    guard numberAddedIn[number] != rangeCount else { return }
    numberAddedIn[number] = rangeCount
    let resolution: Resolution
    if let known = resolvedNumbers[number] {
      resolution = known
    } else {
      let (name, email) = identity(number)
      resolution = resolve(name: name, email: email)
      resolvedNumbers[number] = resolution
    }
    count(commit, email: identity(number).email, as: resolution, contribution)
  }

  public mutating func add(_ commit: OID, author: Signature, committer: Signature) {
    add(commit, Identity(author))
    add(commit, Identity(committer))
  }

  public mutating func add(_ commit: OID, coAuthor: CoAuthor) {
    add(commit, Identity(name: coAuthor.name, email: coAuthor.email), as: .coAuthored)
  }

  /// The person whose registered key signed `commit` (a proven contributor), once per range.
  public mutating func addSigner(_ commit: OID, person: String, fingerprint: String) {
    guard seenSigners.insert(person).inserted else { return }
    contributors.append(
      Contributor(commit: commit.hex, email: fingerprint, person: person, contribution: .signed))
  }

  private mutating func add(
    _ commit: OID, _ identity: Identity, as contribution: Contribution = .authoredOrCommitted
  ) {
    guard seenIdentities.insert(identity).inserted else { return }
    let resolution: Resolution
    if let known = resolved[identity] {
      resolution = known
    } else {
      resolution = resolve(name: identity.name, email: identity.email)
      resolved[identity] = resolution
    }
    count(commit, email: identity.email, as: resolution, contribution)
  }

  /// A contributor, unless one resolved to the same key was found earlier in the range; and
  /// the person the raw address is registered to, when the mailmap took it elsewhere.
  private mutating func count(
    _ commit: OID, email: String, as resolution: Resolution, _ contribution: Contribution
  ) {
    guard seen.insert(resolution.key).inserted else { return }
    contributors.append(
      Contributor(
        commit: commit.hex, email: email, person: resolution.person, contribution: contribution))
    if let also = resolution.also {
      contributors.append(
        Contributor(commit: commit.hex, email: email, person: also, contribution: contribution))
    }
  }

  private mutating func resolve(name: String, email raw: String) -> Resolution {
    let email = mailmap.resolve(name: name, email: raw).email
    // Both the mapped address's person and the raw one's: a mapping adds a person, never
    // takes attribution from the one an address is registered to.
    let mapped = people.person(email: email)?.id
    let own = people.person(email: raw)?.id
    let key = EmailAddress.canonical(raw) + " " + EmailAddress.canonical(email)
    let number = keys[key] ?? keys.count
    keys[key] = number
    return (number, mapped ?? own, mapped != nil && own != mapped ? own : nil)
  }
}
