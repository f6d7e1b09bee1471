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
    let (text, keyCount) = AllowedSigners.text(state.people)
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
