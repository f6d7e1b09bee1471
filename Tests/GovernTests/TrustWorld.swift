import Foundation
import Governance
import Ledger
import Testing

/// Plain-git mischief on the governance branch, as an insider with a registered key would do
/// it: records written and signed by hand with `ssh-keygen`, committed with `git commit -S`.
extension World {
  /// A worktree of the local governance branch, reset to its tip.
  func governanceWorktree() throws -> URL {
    let gov = root.appendingPathComponent("gov-\(UUID().uuidString.prefix(6))")
    try git("worktree", "add", "-q", gov.path, "governance")
    return gov
  }

  /// The governance root (the `repo` of every record) and a file's blob on the branch.
  func repoID() throws -> String { try git("rev-list", "--max-parents=0", "refs/heads/governance") }
  func governanceBlob(_ path: String) throws -> String {
    try git("rev-parse", "refs/heads/governance:\(path)")
  }

  /// A record's canonical bytes and its detached signature by `persona`'s key.
  func signed<R: GovernanceRecord>(_ record: R, by persona: Persona) throws -> (Data, Data) {
    let bytes = Data(CanonicalJSON.encode(record))
    let file = root.appendingPathComponent("record-\(UUID().uuidString.prefix(8)).json")
    try bytes.write(to: file)
    try expectSuccess(
      run(
        ["ssh-keygen", "-q", "-Y", "sign", "-n", "git-govern", "-f", persona.key, file.path],
        in: root)
    )
    return (bytes, try Data(contentsOf: URL(fileURLWithPath: file.path + ".sig")))
  }

  /// Writes `files` (and a record's `.sig` where given) into the governance worktree, removes
  /// `removing`, and commits it all signed by `signer` with plain git.
  func commitGovernance(
    in gov: URL, files: [(String, Data)], removing: [String] = [], signedBy signer: Persona,
    message: String
  ) throws {
    for (path, bytes) in files {
      let url = gov.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try bytes.write(to: url)
      try git("add", path, in: gov)
    }
    for path in removing { try git("rm", "-q", path, in: gov) }
    try expectSuccess(
      run(
        [
          "git", "-c", "gpg.format=ssh", "-c", "user.signingkey=\(signer.key)", "-c",
          "user.email=\(signer.email)", "commit", "-q", "-S", "-m", message,
        ], in: gov))
  }

  /// A record file and its signature, as the two files a record is stored in.
  func recordFiles<R: GovernanceRecord>(_ record: R, at path: String, by persona: Persona) throws
    -> [(String, Data)]
  {
    let (bytes, signature) = try signed(record, by: persona)
    return [(path, bytes), (path + ".sig", signature)]
  }

  /// The audit's findings (JSON), and its exit status.
  func auditFindings(in directory: URL? = nil) throws -> (status: Int32, findings: [[String: Any]])
  {
    let result = try govern(["audit", "--format", "json"], in: directory)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (result.status, (json?["findings"] as? [[String: Any]]) ?? [])
  }
}

/// A bare repository with no hooks at all: what the gate cannot stop, the audit must find.
func hooklessServer(_ world: World) throws -> URL {
  let bare = world.root.appendingPathComponent("hookless-\(UUID().uuidString.prefix(6)).git")
  try world.expectSuccess(
    world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
  try world.git("remote", "add", "hookless", bare.path)
  return bare
}
