import Foundation
import GitKit
import Governance
import Ledger

/// A release read for a command: its verified records and the facts for its own commit and ref.
struct ReleaseLookup {
  let records: ReleaseRecords
  let request: Signed<ReleaseRequest>
  let target: OID
  let facts: ReleaseFacts

  static func load(_ release: String, session: Session, state: GovernanceState, now: Date = Date())
    throws -> ReleaseLookup
  {
    let catalog = ReleaseCatalog(state: state)
    guard try catalog.exists(release) else {
      throw UsageError(
        "there is no release \"\(release)\" on \(session.ledger.ref); `git govern status <rev>` finds a commit's releases"
      )
    }
    let records = try catalog.records(of: release)
    guard let request = records.request else {
      let why = records.problems.map { "\($0.path): \($0.message)" }.joined(separator: "; ")
      throw LedgerError("release \(release) has no trustworthy request: \(why)")
    }
    guard let target = OID(hex: request.record.target), session.repository.objectExists(target)
    else {
      throw LedgerError(
        "release \(release) is for commit \(request.record.target.prefix(10)), which this repository does not have; fetch it first"
      )
    }
    let ref = request.record.ref
    let pattern = state.policy.protectingPattern(for: ref) ?? RefPattern(ref)
    let range = try ReleaseRange.forRelease(
      session.repository, target: target, ref: ref, pattern: pattern)
    let attribution = try range.attribution(session.repository, people: state.people)
    var facts = try catalog.facts(
      records, request: request, target: target, ref: ref, range: range, now: now,
      contributors: attribution.contributors)
    // A rejection binds the (commit, ref): the other releases of it count too.
    let siblings = try catalog.releases(for: target, ref: ref, known: [records]).releases
      .map(\.records).filter { $0.id != release }
    facts.rejections += siblings.flatMap(\.rejections)
    facts.withdrawals = records.withdrawals + siblings.flatMap(\.withdrawals)
    facts.unattributable = attribution.unattributable
    facts.pusher = Pusher.onClient(session)
    return ReleaseLookup(records: records, request: request, target: target, facts: facts)
  }
}
