import ArgumentParser
import Foundation
import Governance
import Ledger

struct PolicyCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate a policy file (default: the policy in force); errors as file:line:col.")

  @Argument(help: "The policy file to check.")
  var file: String?

  func run() throws {
    let text: String
    let name: String
    let people = try? Session().state().people
    if let file {
      guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
        throw UsageError("\(file): cannot read it as UTF-8 text")
      }
      (text, name) = (contents, file)
    } else {
      let state = try Session().state()
      text = String(decoding: try state.snapshot.repository.blob(state.policyBlob), as: UTF8.self)
      name = LedgerPaths.policy
    }
    let policy = try PolicyParser.parse(text, file: name)
    let findings = PolicyLint.findings(policy, people: people)
    for finding in findings { Message.note(finding.located(in: name)) }
    if findings.contains(where: { $0.severity == .error }) { throw Blocked(code: 2) }
    Message.out(
      "\(name) is valid: \(policy.protected.count) protected pattern\(policy.protected.count == 1 ? "" : "s"), \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s")."
    )
  }
}
