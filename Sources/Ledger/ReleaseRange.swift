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
      return try ReleaseRange(
        commits: walk(repository, target, hiding: [try repository.peelToCommit(old)]))
    }
    let previous = try repository.references(glob: nil).filter {
      $0.name != ref && pattern.matches($0.name)
    }.map(\.target)
    return try ReleaseRange(
      commits: walk(repository, target, hiding: commitsOnly(repository, previous)))
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
    return try ReleaseRange(
      commits: walk(repository, target, hiding: commitsOnly(repository, hidden)))
  }

  init(commits: [OID]) { self.commits = commits }

  private static func commitsOnly(_ repository: Repository, _ oids: [OID]) -> [OID] {
    oids.compactMap { try? repository.peelToCommit($0) }
  }

  private static func walk(_ repository: Repository, _ target: OID, hiding: [OID]) throws -> [OID] {
    let walk = try repository.walk(from: [target], hiding: hiding, order: .none)
    var commits: [OID] = []
    while let oid = try walk.nextCommit() {
      commits.append(oid)
      if commits.count > LedgerLimits.rangeCommits {
        throw LedgerError(
          "the release range of \(target.hex.prefix(10)) holds more than \(LedgerLimits.rangeCommits) commits, more than git-govern "
            + "scans for separation of duties; release in smaller steps, or tag an earlier commit as the baseline")
      }
    }
    return commits
  }

  /// Authors and committers of the range, each resolved through `.mailmap` to a person.
  public func contributors(_ repository: Repository, people: People) throws -> [Contributor] {
    let mailmap = try repository.mailmap()
    var seen = Set<String>()
    var result: [Contributor] = []
    for oid in commits {
      let commit = try repository.commit(oid)
      for signature in [commit.author, commit.committer] {
        let email = mailmap.resolve(name: signature.name, email: signature.email).email
        guard
          seen.insert(EmailAddress.canonical(signature.email) + " " + EmailAddress.canonical(email))
            .inserted
        else { continue }
        // The mapped address, else the raw one: an alias registered in people.yml but mapped
        // by .mailmap to an unregistered address still resolves to its person.
        let person = people.person(email: email) ?? people.person(email: signature.email)
        result.append(Contributor(commit: oid.hex, email: signature.email, person: person?.id))
      }
    }
    return result
  }
}
