import Foundation
import GitKit
import Governance

/// Which people.yml was in force when: every governance commit that brought a new people.yml
/// (one its parents did not have), by its commit time. The audit shows each signer's roles as
/// they stood when they signed, not as they stand today.
///
/// A commit's time is its signer's claim, as is a record's `created`; where the server's
/// acceptance time of a record is known it is used instead. people.yml itself only changes
/// through the proven change chain (the history check refuses any other change), so the
/// versions listed here are the ones that were in force, and only their dates are claims.
public struct PeopleHistory: Sendable {
  /// (when it came in, the people it brought), oldest first.
  private let versions: [(since: Date, people: People)]

  public init(repository: Repository, tip: OID) throws {
    var changes: [(Date, OID)] = []
    var blobs: [OID: OID?] = [:]
    func blob(of commit: Commit) throws -> OID? {
      if let known = blobs[commit.oid] { return known }
      let found = try repository.entry(atPath: LedgerPaths.people, inTree: commit.tree)?.oid
      blobs[commit.oid] = .some(found)
      return found
    }
    // Parents first: people.yml changes form one chain (each proven against the one before),
    // so this is the order they came in, even where several share a second.
    for oid in try repository.walk(from: [tip], order: .topological, reverse: true).collect() {
      let commit = try repository.commit(oid)
      guard let people = try blob(of: commit) else { continue }
      let before = try commit.parents.map { try blob(of: repository.commit($0)) }
      if !before.contains(people) { changes.append((commit.committer.time, people)) }
    }
    var parsed: [OID: People] = [:]
    var latest = Date.distantPast
    versions = try changes.map { claimed, blob in
      // A change dated before the one it follows counts from that one's date.
      latest = max(latest, claimed)
      if let known = parsed[blob] { return (latest, known) }
      let people = try GovernanceState.people(blob, in: repository)
      parsed[blob] = people
      return (latest, people)
    }
  }

  /// The roles `person` had at `time` (the earliest people.yml's when `time` is before every
  /// change); nil when people.yml did not list them then.
  public func roles(of person: String, at time: Date) -> [String]? {
    let inForce = versions.last { $0.since <= time } ?? versions.first
    return inForce?.people[person]?.roles
  }
}
