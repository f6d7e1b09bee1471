import Foundation
import GitKit
import Governance

/// The governance events of a stretch of the governance branch: one per record added, as one
/// JSON line each, for the server's `govern.eventCommand` (chat, ticketing) and for
/// `git govern events`. The fields are read from records the server's pre-receive verified
/// before they landed; a consumer that needs proof verifies the record at `path` itself.
public enum GovernanceEvents {
  /// Records added from `old` (exclusive; nil: the branch's start) to `new`, oldest path
  /// first, as JSON lines with sorted keys.
  public static func lines(_ repository: Repository, old: OID?, new: OID) throws -> [String] {
    let oldTree = try old.map { try repository.tree(ofCommit: $0) }
    let newTree = try repository.tree(ofCommit: new)
    let added = try repository.changes(from: oldTree, to: newTree).filter {
      $0.kind == .added && $0.path.hasSuffix(".json") && !GovernanceUpdateCheck.isIndex($0.path)
        && $0.path != LedgerPaths.repository
    }.sorted { $0.path < $1.path }
    return try added.compactMap { change -> String? in
      guard let blob = change.new?.oid else { return nil }
      let bytes = try repository.blob(blob)
      let record = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
      var event: [String: Any] = ["path": change.path, "governance": new.hex]
      event["event"] = record["kind"] as? String ?? "record"
      for field in ["actor", "created", "release", "ref", "target", "repo", "outcome", "pusher"] {
        if let value = record[field] as? String { event[field] = value }
      }
      let data = try JSONSerialization.data(
        withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes])
      return String(decoding: data, as: UTF8.self)
    }
  }
}
