import Foundation
import GitKit
import Governance

/// The delegations on the governance branch (`git govern delegate`), each verified. They sit
/// in `delegations/<yyyy-mm of their end>/`, so reading the ones that may still count costs
/// what is current, not the length of the governance history.
public struct DelegationRecords {
  public var delegations = Delegations()
  /// Delegation records that do not count (unverified, or not a delegation that can count):
  /// warnings, never blockers; an approval that relied on one does not count.
  public var problems: [RecordProblem] = []

  public static let directory = "delegations"

  public static func path(_ record: Delegation, created: Date) -> String {
    "\(directory)/\(record.until.prefix(7))/"
      + LedgerPaths.recordName(kind: Delegation.recordKind, actor: record.actor, created: created)
  }

  /// Delegations ending in `sinceMonth` (yyyy-mm) or later; all of them when nil.
  public static func load(_ state: GovernanceState, sinceMonth: String? = nil) throws
    -> DelegationRecords
  {
    var result = DelegationRecords()
    let snapshot = state.snapshot
    for month in try snapshot.entries(in: directory) where month.name >= (sinceMonth ?? "") {
      for entry in try snapshot.entries(in: "\(directory)/\(month.name)")
      where entry.name.hasSuffix(".json") {
        let path = "\(directory)/\(month.name)/\(entry.name)"
        switch state.verifier.verify(Delegation.self, at: path, in: snapshot) {
        case .success(let signed):
          if let problem = problem(signed, month: month.name, people: state.people) {
            result.problems.append(RecordProblem(path: path, message: problem))
          } else {
            result.delegations.records.append(signed)
          }
        case .failure(let problem): result.problems.append(problem)
        }
      }
    }
    return result
  }

  /// Why a verified delegation at `month`'s folder cannot count; nil when it can.
  public static func problem(_ signed: Signed<Delegation>, month: String, people: People)
    -> String?
  {
    if let problem = Delegations.problem(signed.record, people: people) { return problem }
    guard signed.record.until.prefix(7) == month else {
      return
        "ends \(signed.record.until) but sits in \(directory)/\(month)/, not \(directory)/\(signed.record.until.prefix(7))/"
    }
    return nil
  }

  /// The first month a release's delegations must be read from: this month for the ones in
  /// force now, earlier where an approval in another's place claims an earlier time (its
  /// delegation may have ended since).
  public static func firstMonth(for releases: [ReleaseRecords], now: Date) -> String {
    var first = String(Timestamp.format(now).prefix(7))
    for records in releases {
      for approval in records.approvals where approval.record.on_behalf_of != nil {
        first = min(first, String(approval.record.created.prefix(7)))
        if let accepted = records.acceptedAt[approval.path] {
          first = min(first, String(Timestamp.format(accepted).prefix(7)))
        }
      }
    }
    return first
  }
}
