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
    for person in state.people.persons where !person.emails.isEmpty {
      let principals = person.emails.joined(separator: ",")
      for key in person.keys {
        lines.append("\(principals) namespaces=\"\(namespaces)\" \(key)")
      }
    }
    let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    if let file {
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
      } catch {
        throw UsageError("cannot write \(file): \(error.localizedDescription)")
      }
      Message.note("Wrote \(lines.count) key\(lines.count == 1 ? "" : "s") to \(file)")
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }
}
