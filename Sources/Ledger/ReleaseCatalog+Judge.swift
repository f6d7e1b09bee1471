import Foundation
import GitKit
import Governance

/// One release, read by id, with the facts for its own commit and ref: what `status`,
/// `approve` and `pending` judge. (The hooks and `check` start from a commit and a ref
/// instead, through `ReleaseGate.decide`.)
public struct JudgedRelease {
  public let records: ReleaseRecords
  public let request: Signed<ReleaseRequest>
  public let target: OID
  public var facts: ReleaseFacts
}

extension ReleaseCatalog {
  /// `release`'s records and facts as of `now`; `pusher` is who would push (on a client, the
  /// forge's variable or the user's email). Throws when the release has no trustworthy request
  /// or this repository lacks its commit.
  /// `records`, when the caller read the release's records from this state already.
  /// `pathsFor`: a draft policy the facts will be judged under too (`policy test`); when it
  /// names path owners, the changed paths are worked out even if the policy in force has none.
  public func judge(
    _ release: String, now: Date, pusher: String?, records known: ReleaseRecords? = nil,
    pathsFor draft: Policy? = nil
  ) throws -> JudgedRelease {
    let repository = snapshot.repository
    let records = try known ?? records(of: release)
    guard let request = records.request else {
      let why = records.problems.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
      throw LedgerError("release \(release) has no trustworthy request: \(why)")
    }
    guard let target = OID(hex: request.record.target), repository.objectExists(target) else {
      throw LedgerError(
        "release \(release) is for commit \(request.record.target.prefix(10)), which this repository does not have; fetch it first"
      )
    }
    let ref = request.record.ref
    let pattern = state.policy.protectingPattern(for: ref) ?? RefPattern(ref)
    let range = try ReleaseRange.forRelease(
      repository, target: target, ref: ref, pattern: pattern,
      releasedBefore: state.releasedBefore)
    let attribution = try range.attribution(repository, people: state.people)
    var facts = try self.facts(
      records, request: request, target: target, ref: ref, range: range, now: now,
      contributors: attribution.contributors)
    // A rejection binds the (commit, ref): the other releases of it count too.
    let siblings = try releases(for: target, ref: ref, known: [records]).releases
      .map(\.records).filter { $0.id != release }
    facts.rejections += siblings.flatMap(\.rejections)
    facts.withdrawals = records.withdrawals + siblings.flatMap(\.withdrawals)
    if facts.changedPaths == nil, let draft, !draft.owners.isEmpty {
      facts.changedPaths = try ReleasePaths.changed(repository, range: range, target: target)
    }
    facts.unattributable = attribution.unattributable
    facts.pusher = pusher
    return JudgedRelease(records: records, request: request, target: target, facts: facts)
  }

  /// Every release id on the branch, shard by shard.
  public func allReleaseIDs() throws -> [String] {
    try snapshot.entries(in: "releases").flatMap { shard in
      try snapshot.entries(in: "releases/\(shard.name)").map(\.name)
    }.filter(LedgerPaths.isValidReleaseID)
  }
}
