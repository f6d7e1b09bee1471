import Foundation
import GitKit
import Ledger

/// `git bundle` in and out of the governance history: libgit2 neither writes nor reads
/// bundles, and git checks every object of one as it indexes it.
enum GovernanceBundle {
  static func create(of ref: String, expecting tip: OID) throws -> [UInt8] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "govern-bundle-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("governance.bundle").path
    let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    try git(["bundle", "create", "--quiet", file, ref], in: here, what: "bundle create")
    let heads = try git(["bundle", "list-heads", file], in: here, what: "bundle list-heads")
    guard heads.hasPrefix(tip.hex) else {
      throw LedgerError(
        "\(ref) moved while the pack was made (it is now \(heads.prefix(10))); export again")
    }
    guard let bytes = FileManager.default.contents(atPath: file) else {
      throw LedgerError("cannot read the bundle git wrote at \(file)")
    }
    return Array(bytes)
  }

  /// A bare repository, in `folder`, holding the bundle's `refs/heads/governance`.
  static func open(_ bundle: [UInt8], in folder: URL) throws -> Repository {
    let file = folder.appendingPathComponent("governance.bundle")
    try Data(bundle).write(to: file)
    let history = folder.appendingPathComponent("history.git")
    try git(["init", "--quiet", "--bare", history.path], in: folder, what: "init")
    try git(["bundle", "verify", "--quiet", file.path], in: history, what: "bundle verify")
    try git(
      ["fetch", "--quiet", file.path, "refs/heads/governance:refs/heads/governance"], in: history,
      what: "fetch from the bundle")
    return try Repository.open(history.path)
  }

  @discardableResult
  private static func git(_ arguments: [String], in directory: URL, what: String) throws -> String {
    let result = try Subprocess.git(arguments, in: directory)
    guard result.status == 0 else {
      throw LedgerError(
        "git \(what) failed: \(result.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return result.output
  }
}
