import ArgumentParser
import Foundation
import Governance
import Ledger

struct IdentityExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write an OpenSSH allowed_signers file, for ssh-keygen -Y verify and git verify-commit.")

  @Flag(
    name: .customLong("allowed-signers"),
    help: "Export in OpenSSH allowed_signers format (the only format).")
  var allowedSigners = false

  @Argument(help: "The file to write (default: standard output).")
  var file: String?

  func validate() throws {
    guard allowedSigners else { throw ValidationError("say which format: --allowed-signers") }
  }

  func run() throws {
    let state = try Session().state()
    let namespaces = "\(LedgerPaths.recordNamespace),\(LedgerPaths.commitNamespace)"
    var lines: [String] = []
    var keyCount = 0
    for person in state.people.persons where !person.emails.isEmpty {
      let principals = person.emails.joined(separator: ",")
      for key in person.keys {
        // Windows and revocations as valid-after/valid-before, so stock ssh-keygen refuses what
        // the tool refuses; a revoked key stays listed, for records signed before its revocation.
        let validity = person.validity(of: key)
        if let revoked = validity.revoked {
          let reason = revoked.reason.map { $0.isNewline ? " " : $0 }
          lines.append(
            "# \(person.id): revoked at \(Timestamp.format(revoked.at)): \(String(reason))")
        }
        let options = ["namespaces=\"\(namespaces)\""] + validity.allowedSignersOptions
        keyCount += 1
        lines.append("\(principals) \(options.joined(separator: ",")) \(key)")
      }
    }
    let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    if let file {
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
      } catch {
        throw UsageError("cannot write \(file): \(error.localizedDescription)")
      }
      Message.note("Wrote \(keyCount) key\(keyCount == 1 ? "" : "s") to \(file)")
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }
}
