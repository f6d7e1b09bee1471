import Foundation
import GitKit
import Governance

/// Which people.yml and policy.yml were in force when: every governance commit that brought a
/// new one (one its parents did not have), by its commit time. The audit shows each signer's
/// roles as they stood when they signed, and the rule a release was judged by when it became
/// ready, not as they stand today.
///
/// A commit's time is its signer's claim, as is a record's `created`; where the server's
/// acceptance time of a record is known it is used instead. people.yml itself only changes
/// through the proven change chain (the history check refuses any other change), so the
/// versions listed here are the ones that were in force, and only their dates are claims.
/// policy.yml changes go through the same chain.
public struct PeopleHistory: Sendable {
  /// (when it came in, the people it brought), oldest first.
  private let versions: [(since: Date, blob: OID, people: People)]
  /// (when it came in, its blob, the policy it brought), oldest first.
  private let policies: [(since: Date, blob: OID, policy: Policy)]

  /// From the governance history's commits, each after its parents (a reverse topological
  /// walk, which the audit's history check has already made).
  init(repository: Repository, parentsFirst commits: [OID]) throws {
    var changes: [(Date, OID)] = []
    var policyChanges: [(Date, OID)] = []
    // people.yml's and policy.yml's blobs in each commit read so far. Parents come first in
    // the walk's order, so each commit is read once and its parents' blobs are known by then.
    typealias Blobs = (people: OID?, policy: OID?)
    var known: [OID: Blobs] = [:]
    func read(_ oid: OID) throws -> (commit: Commit, blobs: Blobs) {
      let commit = try repository.commit(oid)
      let blobs: Blobs = (
        try repository.entry(atPath: LedgerPaths.people, inTree: commit.tree)?.oid,
        try repository.entry(atPath: LedgerPaths.policy, inTree: commit.tree)?.oid
      )
      known[oid] = blobs
      return (commit, blobs)
    }
    // Parents first: people.yml changes form one chain (each proven against the one before),
    // so this is the order they came in, even where several share a second.
    for oid in commits {
      let (commit, blobs) = try read(oid)
      let parents = try commit.parents.map { try known[$0] ?? read($0).blobs }
      if let people = blobs.people, !parents.contains(where: { $0.people == people }) {
        changes.append((commit.committer.time, people))
      }
      if let policy = blobs.policy, !parents.contains(where: { $0.policy == policy }) {
        policyChanges.append((commit.committer.time, policy))
      }
    }
    var parsed: [OID: People] = [:]
    var latest = Date.distantPast
    versions = try changes.map { claimed, blob in
      // A change dated before the one it follows counts from that one's date.
      latest = max(latest, claimed)
      if let known = parsed[blob] { return (latest, blob, known) }
      let people = try GovernanceState.people(blob, in: repository)
      parsed[blob] = people
      return (latest, blob, people)
    }
    latest = .distantPast
    policies = try policyChanges.map { claimed, blob in
      latest = max(latest, claimed)
      return (latest, blob, try GovernanceState.policy(blob, in: repository))
    }
  }

  /// The people.yml in force at `time`, with its blob (the earliest when `time` is before
  /// every change).
  public func people(at time: Date) -> (blob: OID, people: People)? {
    (versions.last { $0.since <= time } ?? versions.first).map { ($0.blob, $0.people) }
  }

  /// The policy.yml in force at `time`, with its blob (the earliest when `time` is before
  /// every change).
  public func policy(at time: Date) -> (blob: OID, policy: Policy)? {
    (policies.last { $0.since <= time } ?? policies.first).map { ($0.blob, $0.policy) }
  }

  /// The roles `person` had at `time` (the earliest people.yml's when `time` is before every
  /// change); nil when people.yml did not list them then.
  public func roles(of person: String, at time: Date) -> [String]? {
    people(at: time)?.people[person]?.roles
  }
}
