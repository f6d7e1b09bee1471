import ArgumentParser
import Foundation
import GitKit
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
    var findings = PolicyLint.findings(policy, people: people)
    if !policy.owners.isEmpty, let files = headFiles() {
      findings += PolicyLint.ownerPatternFindings(policy, paths: files)
    }
    for finding in findings { Message.note(finding.located(in: name)) }
    if findings.contains(where: { $0.severity == .error }) { throw Blocked(code: 2) }
    Message.out(
      "\(name) is valid: \(policy.protected.count) protected pattern\(policy.protected.count == 1 ? "" : "s"), \(policy.rules.count) rule\(policy.rules.count == 1 ? "" : "s")."
    )
  }

  /// The files of HEAD's tree, which the owner patterns are checked against; nil when there is
  /// no HEAD (a repository without commits).
  private func headFiles() -> [String]? {
    guard let repository = try? Repository.open(FileManager.default.currentDirectoryPath),
      let head = try? repository.resolveRevision("HEAD"),
      let tree = try? repository.tree(ofCommit: repository.peelToCommit(head)),
      let changes = try? repository.changes(from: nil, to: tree)
    else { return nil }
    return changes.map(\.path)
  }
}
