import Foundation
import GitKit
import Governance

/// The recertifications on the governance branch (`git govern recertify`), in
/// `recertifications/<person>/`, each verified. Read only when the policy has
/// `recertify_every`; the cost is one folder per person who was ever recertified.
public struct RecertificationRecords {
  public var recertifications: Recertifications?
  /// Records that do not count (unverified, not by a policy-admin, of oneself, misplaced):
  /// warnings, never blockers; the roles they speak for simply lapse.
  public var problems: [RecordProblem] = []

  public static let directory = "recertifications"
  /// How long before the server's clock a recertification may be dated when it arrives.
  public static let maximumAge: TimeInterval = 3600

  public static func path(_ record: Recertification, created: Date) -> String {
    "\(directory)/\(record.person)/"
      + LedgerPaths.recordName(
        kind: Recertification.recordKind, actor: record.actor, created: created)
  }

  public static func load(_ state: GovernanceState) throws -> RecertificationRecords {
    var result = RecertificationRecords()
    guard let every = state.policy.recertifyEvery else { return result }
    var records: [String: [Signed<Recertification>]] = [:]
    let snapshot = state.snapshot
    for person in try snapshot.entries(in: directory) {
      for entry in try snapshot.entries(in: "\(directory)/\(person.name)")
      where entry.name.hasSuffix(".json") {
        let path = "\(directory)/\(person.name)/\(entry.name)"
        switch state.verifier.verify(Recertification.self, at: path, in: snapshot) {
        case .success(let signed):
          if let problem = problem(signed, folder: person.name, people: state.people) {
            result.problems.append(RecordProblem(path: path, message: problem))
          } else {
            records[signed.record.person, default: []].append(signed)
          }
        case .failure(let problem): result.problems.append(problem)
        }
      }
    }
    result.recertifications = Recertifications(every: every, records: records)
    return result
  }

  /// Why a verified recertification in `folder` cannot count; nil when it can. Checked where
  /// it is written, where the server receives it and where the audit reads it.
  public static func problem(_ signed: Signed<Recertification>, folder: String, people: People)
    -> String?
  {
    let record = signed.record
    guard signed.signer.hasRole("policy-admin") else {
      return "is a recertification signed by \(signed.signer.id), who is not a policy-admin"
    }
    guard record.person != signed.signer.id else {
      return
        "is \(signed.signer.id)'s recertification of themself; another policy-admin must answer for them"
    }
    guard let person = people[record.person] else {
      return "recertifies \"\(record.person)\", who is not a registered person"
    }
    guard record.person == folder else {
      return "recertifies \(record.person) but sits in \(directory)/\(folder)/"
    }
    guard !record.roles.isEmpty else { return "recertifies no role" }
    if let role = record.roles.first(where: { !person.hasRole($0) }) {
      return "recertifies role \(role), which \(record.person) does not hold in people.yml"
    }
    return nil
  }
}
