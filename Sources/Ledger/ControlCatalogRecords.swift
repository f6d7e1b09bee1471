import Foundation
import GitKit
import Governance

/// The control catalogs on the governance branch (`git govern controls apply`), in
/// `controls/`, each a signed record holding the catalog's text. The newest one that verifies,
/// is signed by a policy-admin and parses is in force; the others count for nothing. Like a
/// freeze it only shapes a report, never a verdict, so one admin's signature puts it in force.
public struct ControlCatalogRecords {
  public static let directory = "controls"

  /// The catalog in force and the record that holds it.
  public struct InForce {
    public var catalog: ControlCatalog
    public var record: Signed<ControlsRecord>
  }

  public var inForce: InForce?
  /// Records that do not count: unverified, not by a policy-admin, or not a catalog that parses.
  public var problems: [RecordProblem] = []

  public static func path(_ record: ControlsRecord, created: Date) -> String {
    "\(directory)/"
      + LedgerPaths.recordName(
        kind: ControlsRecord.recordKind, actor: record.actor, created: created)
  }

  public static func load(_ state: GovernanceState) throws -> ControlCatalogRecords {
    var result = ControlCatalogRecords()
    var counted: [InForce] = []
    let snapshot = state.snapshot
    for entry in try snapshot.entries(in: directory) where entry.name.hasSuffix(".json") {
      let path = "\(directory)/\(entry.name)"
      switch state.verifier.verify(ControlsRecord.self, at: path, in: snapshot) {
      case .success(let signed):
        switch catalog(signed) {
        case .success(let catalog): counted.append(InForce(catalog: catalog, record: signed))
        case .failure(let problem):
          result.problems.append(RecordProblem(path: path, message: problem.text))
        }
      case .failure(let problem): result.problems.append(problem)
      }
    }
    result.inForce = counted.max {
      ($0.record.record.created, $0.record.path) < ($1.record.record.created, $1.record.path)
    }
    return result
  }

  /// Why a verified catalog record cannot count; nil when it can. Checked where it is
  /// written, where the server receives it and where the audit reads it.
  public static func problem(_ signed: Signed<ControlsRecord>) -> String? {
    if case .failure(let problem) = catalog(signed) { return problem.text }
    return nil
  }

  private struct Problem: Error { var text: String }

  private static func catalog(_ signed: Signed<ControlsRecord>) -> Result<ControlCatalog, Problem> {
    guard signed.signer.hasRole("policy-admin") else {
      return .failure(
        Problem(
          text: "is a control catalog signed by \(signed.signer.id), who is not a policy-admin"))
    }
    do {
      let catalog = try ControlCatalogParser.parse(signed.record.catalog, file: signed.path)
      guard catalog.framework == signed.record.framework else {
        return .failure(
          Problem(
            text:
              "names framework \"\(signed.record.framework)\" but its catalog says \"\(catalog.framework)\""
          ))
      }
      return .success(catalog)
    } catch {
      return .failure(Problem(text: "holds a catalog that does not parse: \(error)"))
    }
  }
}
