import Foundation
import GitKit
import Governance

/// The repository-wide records every release is judged against: ad-hoc freezes that have not
/// ended yet, and open incidents. Both are found by path, so reading them costs what is current,
/// not the length of the governance history: freezes sit in `freezes/<yyyy-mm of their end>/`,
/// and open incidents have an index entry in `incidents/open/<id>`.
public struct CalendarRecords {
  public var freezes: [AdHocFreeze] = []
  public var freezeRecords: [Signed<FreezeRecord>] = []
  public var openIncidents: [String: String] = [:]
  /// Every incident's open and closed spans, by the times its signed records claim: loaded
  /// only for the audit (`withIncidentHistory`), which judges releases at past moments.
  public var incidentSpans: [IncidentSpan] = []
  /// Who may approve in whose place, and when (`git govern delegate`).
  public var delegations = DelegationRecords()
  /// Whose roles still count (`recertify_every`); empty when the policy has none.
  public var recertifications = RecertificationRecords()

  /// One stretch of time an incident was open; `closed` nil while it still is.
  public struct IncidentSpan: Sendable {
    public var id: String
    public var title: String
    public var opened: Date
    public var closed: Date?
  }

  /// These records as they judged a release at `instant`: the incidents open then, not now.
  /// Without the history loaded, the incidents open now.
  public func asOf(_ instant: Date) -> CalendarRecords {
    guard !incidentSpans.isEmpty else { return self }
    var past = self
    past.openIncidents = [:]
    for span in incidentSpans
    where span.opened <= instant && (span.closed.map { $0 > instant } ?? true) {
      past.openIncidents[span.id] = span.title
    }
    return past
  }
  /// Calendar records that do not count (unverified, or signed by someone who may not declare
  /// them): each a warning and an audit finding, never a blocker of every release.
  public var problems: [RecordProblem] = []

  public static let freezeDirectory = "freezes"
  public static let incidentDirectory = "incidents/records"
  public static let openIncidentIndex = "incidents/open"

  public static func freezePath(_ record: FreezeRecord) -> String {
    "\(freezeDirectory)/\(record.until.prefix(7))/\(record.id).json"
  }

  /// Freezes ending in `sinceMonth` (yyyy-mm) or later; all of them when nil. Delegations
  /// ending in `delegationsSinceMonth` or later, else from `sinceMonth` too. With
  /// `withIncidentHistory`, every incident's spans too (reads every incident ever declared).
  public static func load(
    _ state: GovernanceState, sinceMonth: String? = nil, delegationsSinceMonth: String? = nil,
    withIncidentHistory: Bool = false
  ) throws
    -> CalendarRecords
  {
    var result = CalendarRecords()
    result.delegations = try DelegationRecords.load(
      state, sinceMonth: delegationsSinceMonth ?? sinceMonth)
    result.recertifications = try RecertificationRecords.load(state)
    let snapshot = state.snapshot
    let verifier = state.verifier
    let firstMonth = sinceMonth ?? ""
    var cancelled = Set<String>()
    for month in try snapshot.entries(in: freezeDirectory) where month.name >= firstMonth {
      for entry in try snapshot.entries(in: "\(freezeDirectory)/\(month.name)")
      where entry.name.hasSuffix(".json") {
        let path = "\(freezeDirectory)/\(month.name)/\(entry.name)"
        if isCancellation(entry.name) {
          switch verifier.verify(FreezeCancellation.self, at: path, in: snapshot) {
          case .success(let signed):
            if let problem = declarerProblem(signed, state: state, what: "a freeze cancellation") {
              result.problems.append(problem)
            } else {
              cancelled.insert(signed.record.freeze)
            }
          case .failure(let problem): result.problems.append(problem)
          }
          continue
        }
        switch verifier.verify(FreezeRecord.self, at: path, in: snapshot) {
        case .success(let signed):
          if let problem = declarerProblem(signed, state: state, what: "a freeze") {
            result.problems.append(problem)
            continue
          }
          guard let from = Timestamp.parse(signed.record.from),
            let until = Timestamp.parse(signed.record.until),
            let zone = IANATimeZone(signed.record.timezone) ?? IANATimeZone("UTC")
          else {
            result.problems.append(
              RecordProblem(path: path, message: "has unreadable times or zone"))
            continue
          }
          result.freezeRecords.append(signed)
          result.freezes.append(
            AdHocFreeze(
              id: signed.record.id, reason: signed.record.reason, from: from, until: until,
              timeZone: zone))
        case .failure(let problem): result.problems.append(problem)
        }
      }
    }
    result.freezeRecords.removeAll { cancelled.contains($0.record.id) }
    result.freezes.removeAll { cancelled.contains($0.id) }
    for entry in try snapshot.entries(in: openIncidentIndex) {
      let records = try incidentRecords(entry.name, state: state)
      result.problems += records.problems
      guard let latest = records.signed.last else {
        result.problems.append(
          RecordProblem(
            path: "\(openIncidentIndex)/\(entry.name)",
            message: "names an incident with no signed record"))
        continue
      }
      if latest.record.state == .open {
        result.openIncidents[entry.name] = records.signed.first?.record.title ?? entry.name
      }
    }
    if withIncidentHistory {
      for incident in try snapshot.entries(in: incidentDirectory) {
        let records = try incidentRecords(incident.name, state: state)
        let title = records.signed.first?.record.title ?? incident.name
        var opened: Date?
        for record in records.signed {
          guard let at = Timestamp.parse(record.record.created) else { continue }
          switch record.record.state {
          case .open where opened == nil: opened = at
          case .closed:
            if let start = opened {
              result.incidentSpans.append(
                IncidentSpan(id: incident.name, title: title, opened: start, closed: at))
            }
            opened = nil
          default: break
          }
        }
        if let start = opened {
          result.incidentSpans.append(
            IncidentSpan(id: incident.name, title: title, opened: start, closed: nil))
        }
      }
    }
    return result
  }

  /// A freeze cancellation sits beside its freeze: `cancel-<freeze id>-<time>-<who>-<n>.json`.
  public static func isCancellation(_ fileName: String) -> Bool { fileName.hasPrefix("cancel-") }

  public static func cancellationPath(_ freeze: FreezeRecord, by actor: String, at time: Date)
    -> String
  {
    "\(freezeDirectory)/\(freeze.until.prefix(7))/"
      + LedgerPaths.recordName(kind: "cancel-\(freeze.id)", actor: actor, created: time)
  }

  /// Why a verified freeze, cancellation or incident record does not count: its signer holds
  /// no role the policy in force lets declare it (`freezes.declare`, `incidents.declare`).
  /// Reported, never a blocker: a record that does not count changes nothing.
  public static func declarerProblem<R: GovernanceRecord>(
    _ signed: Signed<R>, state: GovernanceState, what: String
  ) -> RecordProblem? {
    let policy = state.policy
    let isIncident = R.self == IncidentRecord.self
    if isIncident
      ? policy.mayDeclareIncident(signed.signer) : policy.mayDeclareFreeze(signed.signer)
    {
      return nil
    }
    let roles = (isIncident ? policy.incidentDeclarers : policy.freezeDeclarers).joined(
      separator: ", ")
    let key = isIncident ? "incidents.declare" : "freezes.declare"
    return RecordProblem(
      path: signed.path,
      message:
        "is \(what) signed by \(signed.signer.id), who holds no role that may declare it (\(key): \(roles))"
    )
  }

  /// The verified records of one incident, oldest first.
  public static func incidentRecords(_ id: String, state: GovernanceState) throws -> (
    signed: [Signed<IncidentRecord>], problems: [RecordProblem]
  ) {
    let directory = "\(incidentDirectory)/\(id)"
    var signed: [Signed<IncidentRecord>] = []
    var problems: [RecordProblem] = []
    for entry in try state.snapshot.entries(in: directory) where entry.name.hasSuffix(".json") {
      switch state.verifier.verify(
        IncidentRecord.self, at: "\(directory)/\(entry.name)", in: state.snapshot)
      {
      case .success(let record) where record.record.id == id:
        if let problem = declarerProblem(record, state: state, what: "an incident record") {
          problems.append(problem)
        } else {
          signed.append(record)
        }
      case .success(let record):
        problems.append(
          RecordProblem(path: record.path, message: "names incident \(record.record.id), not \(id)")
        )
      case .failure(let problem): problems.append(problem)
      }
    }
    return (
      signed.sorted {
        ($0.record.sequence, $0.record.created) < ($1.record.sequence, $1.record.created)
      }, problems
    )
  }
}
