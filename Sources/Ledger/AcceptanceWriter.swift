import Foundation
import GitKit
import Governance

/// Works out the acceptance receipts the server writes after a push of the governance branch:
/// for each release folder the push added records to, which records (by name and blob) the
/// server accepted, and when, by its own clock.
public struct AcceptanceWriter {
  public let repository: Repository
  /// The governance state after the push, which the server has already checked.
  public let state: GovernanceState
  public let server: Person
  public let email: String
  public let now: Date
  public let pusher: String?

  public init(
    repository: Repository, state: GovernanceState, server: Person, email: String, now: Date,
    pusher: String?
  ) {
    self.repository = repository
    self.state = state
    self.server = server
    self.email = email
    self.now = now
    self.pusher = pusher
  }

  /// The receipts to add, each with the path it goes to.
  public func receipts(old: OID, new: OID) throws -> [(path: String, receipt: AcceptanceReceipt)] {
    let before = old.isZero ? nil : try repository.tree(ofCommit: old)
    let after = try repository.tree(ofCommit: new)
    var byRelease: [String: [AcceptedRecord]] = [:]
    for change in try repository.changes(from: before, to: after) where change.kind == .added {
      let parts = LedgerPaths.parts(of: change.path)
      guard parts.count == 4, parts[0] == "releases", change.path.hasSuffix(".json"),
        let entry = change.new
      else { continue }
      let name = String(parts[3])
      // Receipts are the server's own words, not records it accepts from a pusher.
      let kind = LedgerPaths.releaseRecordKind(fileName: name)
      guard kind != PushReceipt.recordKind, kind != AcceptanceReceipt.recordKind else { continue }
      byRelease[String(parts[2]), default: []].append(
        AcceptedRecord(name: name, blob: entry.oid.hex))
    }
    var result: [(String, AcceptanceReceipt)] = []
    for (release, records) in byRelease.sorted(by: { $0.key < $1.key }) {
      guard
        case .success(let request) = state.verifier.verify(
          ReleaseRequest.self, at: LedgerPaths.request(release), in: state.snapshot)
      else { continue }  // the server's check refused any such push; nothing to vouch for
      let receipt = AcceptanceReceipt(
        RecordAuthorship(
          repo: state.repoID, actor: server.id, email: email, created: Timestamp.format(now)),
        release: release, target: request.record.target, tree: request.record.tree,
        ref: request.record.ref, records: records.sorted { $0.name < $1.name }, old: old.hex,
        new: new.hex, pusher: pusher)
      let path =
        "\(LedgerPaths.releaseDirectory(release))/\(LedgerPaths.recordName(kind: AcceptanceReceipt.recordKind, actor: server.id, created: now))"
      result.append((path, receipt))
    }
    return result
  }
}
