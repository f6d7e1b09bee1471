import ArgumentParser
import Foundation
import GitKit
import Governance
import Ledger

struct Events: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "events",
    abstract: "The governance events of a stretch of the governance branch, one JSON line each.",
    discussion: """
      One event per record added after --from up to --to (default: the last governance commit).
      Without --send the lines are printed (a dry run of what the server's post-receive sends);
      with --send they go to govern.eventCommand, with its retries: to replay what a failed
      delivery missed.
      """)

  @Option(help: "The governance commit to start after (default: the tip's first parent).")
  var from: String?

  @Option(help: "The governance commit to end at (default: the tip).")
  var to: String?

  @Flag(help: "Deliver to govern.eventCommand instead of printing.")
  var send = false

  func run() throws {
    let session = try Session()
    guard let tip = try session.ledger.tip() else {
      throw UsageError("no governance branch here; run git govern init")
    }
    let end = try to.map { try governanceCommit($0, session, argument: "--to") } ?? tip
    let start =
      try from.map { try governanceCommit($0, session, argument: "--from") }
      ?? session.repository.commit(end).parents.first
    let lines = try GovernanceEvents.lines(session.repository, old: start, new: end)
    guard send else {
      for line in lines { Message.out(line) }
      return
    }
    guard let delivery = try EventDelivery(repository: session.repository) else {
      throw UsageError(
        "govern.eventCommand is not set; set it with: git config govern.eventCommand 'curl -fsS --data-binary @- <url>'"
      )
    }
    let failed = delivery.deliver(lines)
    Message.out("Sent \(lines.count - failed.count) of \(lines.count) event(s).")
    if !failed.isEmpty { throw Blocked() }
  }

  private func governanceCommit(_ text: String, _ session: Session, argument: String) throws -> OID
  {
    do {
      return try session.repository.peelToCommit(session.repository.resolveRevision(text))
    } catch {
      throw UsageError("\(argument) \"\(text)\" is not a commit of this repository")
    }
  }
}
