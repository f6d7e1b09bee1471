import ArgumentParser
import Foundation
import Governance
import Ledger

struct Pending: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pending",
    abstract:
      "What awaits approval, evidence, review or closeout, with the command that settles each.",
    discussion: """
      Releases waiting for approvals (overdue past their rule's approval_sla), an emergency's
      open obligations, and pushed releases not closed out (closeout_within), most pressing
      first. It reads your governance branch: run git govern sync first.
      """)

  @Flag(help: "Only what you (user.email, user.signingkey) could settle.")
  var mine = false

  @Flag(help: "Machine-readable output.")
  var json = false

  @Option(
    help:
      "As of this time (2026-12-01 = midnight UTC, or RFC 3339) (default: GIT_GOVERN_NOW, else now)."
  )
  var at: String?

  @OptionGroup var signing: SigningKeyOption

  func run() throws {
    let now = try Session.clock(at: at)
    let session = try Session()
    let state = try session.state()
    var (items, unjudged) = try PendingWork.list(
      state: state, now: now, pusher: Pusher.onClient(session))
    if mine {
      let me = try session.actor(in: state, key: signing.path).person.id
      items = items.filter { $0.who.contains(me) }
    }
    for problem in unjudged { Message.note("warning: not judged: \(problem)") }
    if json {
      Message.out(try Message.json(["pending": items]))
      return
    }
    guard !items.isEmpty else {
      Message.out(mine ? "Nothing awaits you." : "Nothing is pending.")
      return
    }
    for item in items {
      let title = item.title.map { " \"\($0)\"" } ?? ""
      let due = item.due.map { item.overdue ? ", OVERDUE since \($0)" : ", due by \($0)" } ?? ""
      Message.out(
        "\(item.kind) \(item.release)\(title) to \(item.ref): waiting since \(item.since)\(due)")
      Message.out("  \(item.message)")
      Message.out(
        "  \(item.who.isEmpty ? "nobody can" : item.who.joined(separator: ", ") + " can") run: \(item.command)"
      )
    }
  }
}
