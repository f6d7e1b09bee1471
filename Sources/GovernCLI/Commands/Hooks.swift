import ArgumentParser
import Foundation
import GitKit
import Ledger
import Signing

struct Hooks: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hooks",
    abstract: "Install git-govern's hooks.", subcommands: [Install.self])

  struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "install",
      abstract:
        "Write the client pre-push hook, or with --server the pre-receive and post-receive hooks.")

    @Flag(help: "Install the server hooks (pre-receive, post-receive) in this (bare) repository.")
    var server = false

    @Option(
      name: .customLong("signing-key"),
      help:
        "With --server: the server's own SSH private key, which signs push receipts (stored as govern.serverKey).",
      completion: .file())
    var signingKey: String?

    /// `--key`, the old name of `--signing-key` (see SigningKeyOption).
    @Option(name: .customLong("key"), help: .hidden)
    var legacyKey: String?

    @Flag(help: "Replace hooks that are already there and were not written by git-govern.")
    var force = false

    func run() throws {
      let session = try Session()
      let names = server ? ["pre-receive", "post-receive"] : ["pre-push"]
      if let key = signingKey ?? legacyKey {
        guard server else {
          throw UsageError("--signing-key is the server's receipt key; it goes with --server")
        }
        let absolute = URL(fileURLWithPath: key).standardizedFileURL.path
        let publicKey = try SSHKeygenSigner.publicKey(forKeyPath: absolute)
        try session.repository.setConfigString("govern.serverKey", absolute)
        Message.out(
          "Receipts will be signed with \(publicKey.fingerprint); register it: git govern identity add server --email <e> --key <its .pub> --role server"
        )
      }
      let written = try HookInstaller(repository: session.repository).install(names, force: force)
      Message.out("Installed: \(written.joined(separator: ", "))")
      if server, try session.ledger.localTip() == nil {
        Message.out(
          "Note: there is no governance branch (\(session.ledger.ref)) here yet, so the pre-receive refuses every push until one arrives. "
            + LedgerError.adoptionSteps(session.ledger.ref))
      }
      if server {
        // git then refuses malformed objects before the hooks run; the checks refuse the ones
        // that matter to them by themselves too (see ObjectHygiene).
        try session.repository.setConfigString("receive.fsckObjects", "true")
        Message.out(
          "Set receive.fsckObjects=true: git refuses malformed objects (duplicate tree entries, garbled identities) in pushes"
        )
      }
    }
  }
}

/// Writes the hooks of `hooks/` (compiled in: ShareFiles), pointing them at this binary when
/// `git-govern` is not on PATH.
struct HookInstaller {
  let repository: Repository
  static let marker = "git-govern hook"

  func hooksDirectory() throws -> URL {
    if let configured = try repository.configString("core.hooksPath"), !configured.isEmpty {
      let base = repository.workingDirectory ?? repository.gitDirectory
      return URL(
        fileURLWithPath: configured, relativeTo: URL(fileURLWithPath: base, isDirectory: true)
      ).standardizedFileURL
    }
    return URL(fileURLWithPath: repository.gitDirectory).appendingPathComponent("hooks")
  }

  /// The text `install` writes for hook `name`.
  func text(of name: String) throws -> String {
    try ShareFiles.text("hooks/\(name)")
      .replacingOccurrences(of: "@GIT_GOVERN_PATH@", with: RunningBinary.path)
  }

  /// Whether `installed` is the hook git-govern writes from `template`: the template's text
  /// exactly, but for the path in its fallback line (a git-govern installed elsewhere wrote
  /// its own), which must be a plain path: a marker comment alone proves nothing, since any
  /// script can carry it.
  static func isOurs(_ installed: String, template: String) -> Bool {
    let parts = template.components(separatedBy: "@GIT_GOVERN_PATH@")
    guard parts.count == 2 else { return installed == template }
    let (head, tail) = (parts[0], parts[1])
    guard installed.utf8.count >= head.utf8.count + tail.utf8.count, installed.hasPrefix(head),
      installed.hasSuffix(tail)
    else { return false }
    let path = installed.utf8.dropFirst(head.utf8.count).dropLast(tail.utf8.count)
    return !path.isEmpty && !path.contains { "\n\"$`\\".utf8.contains($0) }
  }

  func install(_ names: [String], force: Bool) throws -> [String] {
    let directory = try hooksDirectory()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var written: [String] = []
    for name in names {
      let content = try self.text(of: name)
      let target = directory.appendingPathComponent(name)
      if let existing = try? String(contentsOf: target, encoding: .utf8),
        !existing.contains(Self.marker), !force
      {
        throw UsageError(
          "\(target.path) exists and was not written by git-govern; chain it by hand, or pass --force to replace it"
        )
      }
      let temporary = directory.appendingPathComponent(".\(name).git-govern-new")
      try Data(content.utf8).write(to: temporary)
      try FileManager.default.setAttributes(
        [.posixPermissions: 0o755], ofItemAtPath: temporary.path)
      guard rename(temporary.path, target.path) == 0 else {
        throw UsageError("cannot write \(target.path): \(String(cString: strerror(errno)))")
      }
      written.append(target.path)
    }
    return written
  }
}
