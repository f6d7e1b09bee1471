import Foundation
import GitKit
import Governance

/// The governance branch keeps two indexes so hooks find things by path: `targets/<commit>/<release>`
/// (a commit's releases) and `incidents/open/<id>` (incidents open now). An index file is not
/// signed, so on its own it is only a claim. The server therefore accepts an index change only
/// when the same commit adds the signed record that justifies it, and readers still check each
/// entry against the record it points at (`ReleaseCatalog.releases(for:ref:)`).
///
/// - `targets/<ab>/<cd…>/<release>` may only be added together with that release's request, whose
///   target is the commit `<ab><cd…>` and whose ref is the file's content; it is never changed
///   or removed.
/// - `incidents/open/<id>` may only be added together with a signed record opening `<id>`, and
///   removed together with a signed record closing it.
struct IndexJustification {
  let state: GovernanceState
  let now: Date?

  /// Index entries that may be removed (with a signed record saying why); `targets/` never is.
  static func isRemovable(_ path: String) -> Bool {
    path.hasPrefix("\(CalendarRecords.openIncidentIndex)/")
  }

  /// What is wrong with the index entries a commit adds and removes against one parent.
  /// `added` holds everything the commit adds against that parent.
  func problems(added: [String: TreeEntry], removed: [String]) -> [String] {
    var problems: [String] = []
    for path in added.keys.sorted() {
      let parts = LedgerPaths.parts(of: path)
      if parts.first == "targets" {
        if let problem = targetProblem(path, parts: parts, added: added) {
          problems.append("\(path) \(problem)")
        }
      } else if path.hasPrefix("\(CalendarRecords.openIncidentIndex)/") {
        let id = String(path.dropFirst(CalendarRecords.openIncidentIndex.count + 1))
        if !addsIncidentRecord(id, state: .open, added: added) {
          problems.append(
            "\(path) marks incident \(id) open without a signed record opening it in the same commit (git govern incident open \(id))"
          )
        }
      }
    }
    for path in removed {
      let id = String(path.dropFirst(CalendarRecords.openIncidentIndex.count + 1))
      if !addsIncidentRecord(id, state: .closed, added: added) {
        problems.append(
          "removes \(path) without a signed record closing incident \(id) in the same commit (git govern incident close \(id))"
        )
      }
    }
    return problems
  }

  private func targetProblem(_ path: String, parts: [Substring], added: [String: TreeEntry])
    -> String?
  {
    guard parts.count == 4, parts[1].count == 2, parts[2].count == 38,
      let commit = OID(hex: String(parts[1] + parts[2])), commit.hex == String(parts[1] + parts[2]),
      LedgerPaths.isValidReleaseID(String(parts[3]))
    else {
      return "is not an index entry git-govern writes (targets/<2 hex>/<38 hex>/<release id>)"
    }
    let release = String(parts[3])
    let requestPath = LedgerPaths.request(release)
    guard added[requestPath] != nil else {
      return
        "points at \(release) but the same commit does not add its request (\(requestPath)); index entries are only written with the request they index"
    }
    guard
      case .success(let request) = verifier.verify(
        ReleaseRequest.self, at: requestPath, in: state.snapshot, known: added)
    else {
      return "points at \(release), whose request does not verify"
    }
    guard request.record.target == commit.hex else {
      return
        "points at \(release), which is a release of commit \(request.record.target.prefix(10)), not \(commit.hex.prefix(10))"
    }
    let content = try? state.snapshot.file(at: path)
    guard content == Array("\(request.record.ref)\n".utf8) else {
      return "must hold the request's ref (\(request.record.ref)) and nothing else"
    }
    return nil
  }

  private var verifier: RecordVerifier {
    var verifier = state.verifier
    verifier.acceptedAt = now
    return verifier
  }

  /// Whether `added` holds a verified record of incident `id` in state `wanted`.
  private func addsIncidentRecord(
    _ id: String, state wanted: IncidentRecord.State, added: [String: TreeEntry]
  ) -> Bool {
    let directory = "\(CalendarRecords.incidentDirectory)/\(id)/"
    return added.keys.contains { path in
      guard path.hasPrefix(directory), path.hasSuffix(".json"),
        case .success(let record) = verifier.verify(
          IncidentRecord.self, at: path, in: state.snapshot, known: added)
      else { return false }
      return record.record.id == id && record.record.state == wanted
    }
  }
}
