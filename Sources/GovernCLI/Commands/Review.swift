import ArgumentParser
import Foundation
import Governance
import Ledger

struct Review: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract:
      "Record a post-implementation or retrospective review; discharges an emergency's review obligation."
  )

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "ok, or issues.")
  var outcome: ReleaseReview.Outcome

  @Option(help: "What was found.")
  var notes: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let lookup = try ReleaseLookup.load(release, session: session, state: state)
    let request = lookup.request.record
    if lookup.request.signer.id == me.id {
      Message.note(
        "note: \(me.id) requested this release, so this review does not discharge the retrospective review obligation"
      )
    }
    let now = Date()
    let record = ReleaseReview(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, outcome: outcome, notes: notes)
    try session.appendReleaseRecord(
      record, release: release, kind: "review", actor: me, author: author, now: now,
      message: "git-govern: review of \(release) by \(me.id)")
    Message.out("Recorded \(me.id)'s review of \(release): \(outcome.rawValue)")
    try sync.syncIfAsked(key: signing.path)
  }
}

extension ReleaseReview.Outcome: ExpressibleByArgument {}
