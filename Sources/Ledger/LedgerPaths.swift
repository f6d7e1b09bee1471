import Foundation
import Governance

/// Where each record lives in the governance tree. One file per record, so concurrent
/// additions never touch the same path and merge without conflict.
public enum LedgerPaths {
  public static let policy = "policy.yml"
  public static let people = "people.yml"
  public static let repository = "repository.json"
  public static let signatureSuffix = ".sig"
  public static let recordNamespace = "git-govern"
  public static let commitNamespace = "git"

  /// `releases/<shard>/<release>`: folders are spread over shards named by the two characters
  /// after `r-` (256 of them for git govern's hex ids), so finding one release reads two small
  /// trees, never one tree that grows with every release ever made.
  public static func releaseDirectory(_ release: String) -> String {
    "releases/\(releaseShard(release))/\(release)"
  }

  public static func request(_ release: String) -> String {
    "\(releaseDirectory(release))/request.json"
  }

  public static func releaseShard(_ release: String) -> String {
    String(release.dropFirst(2).prefix(2)).lowercased()
  }

  /// `targets/ab/cdef…/<release>`: an index from a commit to its releases, so the hook finds
  /// them by path in constant time. The index is only a pointer; the signed request is the truth.
  public static func targetDirectory(_ commit: String) -> String {
    let hex = commit.lowercased()
    return "targets/\(hex.prefix(2))/\(hex.dropFirst(2))"
  }

  public static func targetEntry(_ commit: String, release: String) -> String {
    "\(targetDirectory(commit))/\(release)"
  }

  /// `changes/policy/<blob>`: the proposal and the admin signatures that put a blob of
  /// `policy.yml` (or `people.yml`) in force.
  public static func changeDirectory(file: String, blob: String) -> String {
    "changes/\(changeStem(file))/\(blob)"
  }

  public static func changeStem(_ file: String) -> String {
    file == people ? "people" : "policy"
  }

  /// A unique, sortable file name for a record written now by `actor`.
  public static func recordName(kind: String, actor: String, created: Date) -> String {
    let stamp = Timestamp.format(created).filter { $0 != "-" && $0 != ":" }
    let nonce = (0..<3).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    return "\(kind)-\(stamp)-\(actor)-\(nonce).json"
  }

  public static func newReleaseID() -> String {
    "r-" + (0..<5).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
  }

  public static func isValidReleaseID(_ text: String) -> Bool {
    let bytes = text.utf8
    return bytes.count > 2 && bytes.count <= 40 && text.hasPrefix("r-")
      && bytes.dropFirst(2).allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
          true
        default: false
        }
      }
  }
}
