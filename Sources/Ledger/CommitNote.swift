import Foundation
import GitKit
import Governance

/// The note of a released commit: one section per release of it (a commit pushed to `main` and
/// tagged `v1.0.0` has two), so writing the note of one release never drops another's.
public struct CommitNote {
  public let repository: Repository
  public let state: GovernanceState

  public init(repository: Repository, state: GovernanceState) {
    self.repository = repository
    self.state = state
  }

  /// The note for `target` once `release` was pushed, its section being `section`. The other
  /// receipted releases of the commit keep the section the note already has for them (written
  /// when each was pushed, so it says what counted then); where `existing` cannot be read
  /// section by section, or lacks one of them, that section is rendered again from the records,
  /// judged as of the release's last push receipt.
  public func text(for target: OID, release: String, section: String, existing: String?)
    throws -> String
  {
    let kept = existing.flatMap(ReleaseNote.sections(of:)) ?? []
    var sections: [(release: String, text: String)] = []
    for (id, text) in kept where id != release && !sections.contains(where: { $0.release == id }) {
      sections.append((id, text))
    }
    let catalog = ReleaseCatalog(state: state)
    let others = try catalog.releases(for: target, ref: nil).releases.filter { choice in
      choice.records.id != release && !choice.records.receipts.isEmpty
        && !sections.contains { $0.release == choice.records.id }
    }
    for (records, request) in others.reversed() {
      // A release this push did not move, missing from the note: say what its records say
      // rather than drop it. If it cannot be rendered, the audit reports the note lacks it.
      if let text = try? rendered(records, request: request, target: target, catalog: catalog) {
        sections.append((records.id, text))
      }
    }
    sections.append((release, section))
    return ReleaseNote.joined(sections.map(\.text))
  }

  /// The note for `target` once a closeout ended `release`, which was pushed: its section
  /// rendered again from the records (its approvals judged as of its last push, those that
  /// did not count marked), with the state the closeout left it in. Nil when it was never
  /// receipted (the server writes notes for pushes it receipted only).
  public func textAfterCloseout(for target: OID, release: String, existing: String?, now: Date)
    throws -> String?
  {
    let catalog = ReleaseCatalog(state: state)
    let records = try catalog.records(of: release)
    guard let request = records.request, request.record.target == target.hex,
      let section = try rendered(
        records, request: request, target: target, catalog: catalog, now: now)
    else { return nil }
    return try text(for: target, release: release, section: section, existing: existing)
  }

  private func rendered(
    _ records: ReleaseRecords, request: Signed<ReleaseRequest>, target: OID,
    catalog: ReleaseCatalog, now: Date = Date()
  ) throws -> String? {
    let receipts = records.receipts.map(\.record).sorted { $0.created < $1.created }
    guard let last = receipts.last, let pushedAt = Timestamp.parse(last.created),
      let old = OID(hex: last.old)
    else { return nil }
    let ref = request.record.ref
    let range = try ReleaseRange.forUpdate(
      repository, target: target, ref: ref, old: old,
      pattern: state.policy.protectingPattern(for: ref) ?? RefPattern(ref),
      releasedBefore: state.releasedBefore)
    let facts = try catalog.facts(
      records, request: request, target: target, ref: ref, range: range, now: pushedAt)
    let evaluator = catalog.evaluator(now: pushedAt)
    return ReleaseNote.render(
      facts, readiness: evaluator.evaluate(facts), receipts: receipts, evaluator: evaluator,
      state: ReleaseNote.state(
        pushed: facts, endedBy: ReleaseLifecycle.finalCloseout(facts, at: now)))
  }
}
