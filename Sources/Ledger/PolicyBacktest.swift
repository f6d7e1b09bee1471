import Foundation
import GitKit
import Governance

/// A release whose verdict a draft policy would change.
public struct BacktestChange: Encodable, Sendable {
  public var release: String
  public var ref: String
  /// The moment judged: the release's first push (the server's receipt), else now.
  public var at: String
  public var pushed: Bool
  /// The status under the policy in force, and under the draft.
  public var before: String
  public var after: String
  /// What the draft adds that blocks (or, when it lets a release through, what it lifts).
  public var reasons: [String]
}

/// `git govern policy test <draft>`: every release judged twice with the same records, people
/// and moment, under the policy in force and under a draft, and the ones whose verdict differs.
/// Writes nothing. Approvals made under the policy in force still count under the draft when
/// the change touches nothing that judges them, as they would after `policy apply`.
public enum PolicyBacktest {
  /// The placeholder blob id the draft is judged under: no approval names it.
  static let draftBlob = "draft"

  /// `openOnly`: only releases not pushed yet, whose verdict the draft would change from now
  /// on (what `policy apply` shows before it proposes; the whole history is `policy test`'s).
  public static func run(
    state: GovernanceState, draft: Policy, since: Date?, now: Date, openOnly: Bool = false
  ) throws
    -> (changes: [BacktestChange], judged: Int, unjudged: [String])
  {
    let catalog = ReleaseCatalog(state: state)
    var changes: [BacktestChange] = []
    var unjudged: [String] = []
    var judged = 0
    for id in try catalog.allReleaseIDs() {
      let records = try catalog.records(of: id)
      guard let request = records.request else {
        unjudged += records.problems.map { "\($0.path) \($0.message)" }
        continue
      }
      if let since, let created = Timestamp.parse(request.record.created), created < since {
        continue
      }
      let push = records.receipts.compactMap { receipt in
        Timestamp.parse(receipt.record.created).map { ($0, receipt.record.pusher) }
      }.filter { $0.0 <= now }.min { $0.0 < $1.0 }
      // A release that ended without a push has no verdict left to change.
      if push == nil, !records.closeouts.isEmpty { continue }
      if openOnly, push != nil { continue }
      let moment = push?.0 ?? now
      do {
        let facts = try catalog.judge(
          id, now: moment, pusher: push?.1 ?? nil, records: records, pathsFor: draft
        ).facts
        judged += 1
        let before = catalog.evaluator(now: moment).evaluate(facts)
        var draftFacts = facts
        draftFacts.earlierPolicies[state.policyBlob.hex] = state.policy
        let after = ReleaseEvaluator(
          policy: draft, policyBlob: draftBlob, people: state.people, now: moment
        ).evaluate(draftFacts)
        guard (before.status == .blocked) != (after.status == .blocked) else { continue }
        let blocking = after.status == .blocked ? after.blockers : before.blockers
        let other = Set((after.status == .blocked ? before : after).blockers.map(\.message))
        changes.append(
          BacktestChange(
            release: id, ref: request.record.ref, at: Timestamp.format(moment),
            pushed: push != nil, before: before.status.rawValue, after: after.status.rawValue,
            reasons: blocking.map(\.message).filter { !other.contains($0) }))
      } catch {
        unjudged.append("\(id): \(error)")
      }
    }
    return (changes, judged, unjudged)
  }
}
