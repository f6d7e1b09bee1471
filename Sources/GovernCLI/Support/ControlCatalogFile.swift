import Foundation
import Governance
import Ledger

/// Where `audit --controls` and `controls apply` get a catalog: a file on disk (to try one,
/// a template say, before applying it), or the signed record in force on the governance branch.
enum ControlCatalogFile {
  /// A catalog file's text and what it parses to; exit 2 naming `file:line:col` otherwise.
  static func read(_ path: String) throws -> (text: String, catalog: ControlCatalog) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw UsageError("\(path): cannot read it as UTF-8 text")
    }
    // The catalog travels inside one signed record, which readers refuse past its size limit.
    guard text.utf8.count <= LedgerLimits.recordBytes / 2 else {
      throw UsageError(
        "\(path) is \(text.utf8.count) bytes; a control catalog may be at most \(LedgerLimits.recordBytes / 2)"
      )
    }
    return (text, try ControlCatalogParser.parse(text, file: path))
  }

  /// The catalog in force and where it came from, as the report's `source` says it.
  static func inForce(_ state: GovernanceState) throws -> (catalog: ControlCatalog, source: String)
  {
    let records = try ControlCatalogRecords.load(state)
    for problem in records.problems {
      Message.note("\(problem.path) \(problem.message); it does not count")
    }
    guard let inForce = records.inForce else {
      throw UsageError(
        "the governance branch holds no control catalog, so there is nothing to report per control. "
          + "Start from a template (\(ControlsTemplate.names.joined(separator: ", "))): "
          + "git govern controls template soc2 > controls.yml; try it with git govern audit --controls --controls-file controls.yml; "
          + "then a policy-admin commits it with: git govern controls apply controls.yml --push")
    }
    let record = inForce.record
    return (
      inForce.catalog,
      "\(record.path) (signed by \(record.signer.id) at \(record.record.created))"
    )
  }
}
