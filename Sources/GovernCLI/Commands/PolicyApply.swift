import ArgumentParser
import Foundation
import Governance
import Ledger

struct PolicyApply: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract:
      "Propose a new policy; it is in force once as many policy-admins as the current policy demands have signed."
  )

  @Argument(help: "The new policy file.")
  var file: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw UsageError("\(file): cannot read it")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw UsageError("\(file): is not UTF-8 text")
    }
    let policy = try PolicyParser.parse(text, file: file)
    let session = try Session()
    let findings = PolicyLint.findings(policy, people: try session.state().people)
    for finding in findings { Message.note(finding.located(in: file)) }
    if findings.contains(where: { $0.severity == .error }) {
      Message.note("Not proposed: fix the errors above first (git govern policy check \(file)).")
      throw Blocked(code: 2)
    }
    // What the change would do to the releases on record, before anyone signs it.
    let backtest = try PolicyBacktest.run(
      state: try session.state(), draft: policy, since: nil, now: try Session.clock(at: nil),
      openOnly: true)
    if !backtest.changes.isEmpty {
      PolicyTest.print(backtest.changes, judged: backtest.judged, to: Message.note)
    }
    let (me, author) = try session.actor(in: try session.state(), key: signing.path)
    let outcome = try session.ledger.signChange(
      file: LedgerPaths.policy, actor: me.id, author: author
    ) { _ in
      (Array(data), "policy from \(URL(fileURLWithPath: file).lastPathComponent)")
    }
    Message.out(IdentityAdd.describe(outcome, what: "policy.yml"))
    try sync.syncIfAsked(key: signing.path)
  }
}
