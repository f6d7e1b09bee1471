import ArgumentParser
import Foundation
import Governance
import Ledger

struct Reject: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject",
    abstract: "Reject a release, with a reason; it is blocked while the rejection stands.")

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "Why: the requester reads this.")
  var reason: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw ValidationError("--reason must say why")
    }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let lookup = try ReleaseLookup.load(release, session: session, state: state)
    let request = lookup.request.record
    let now = Date()
    let record = Rejection(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, policy: state.policyBlob.hex, reason: reason)
    try session.appendReleaseRecord(
      record, release: release, kind: "rejection", actor: me, author: author, now: now,
      message: "git-govern: reject \(release) by \(me.id)")
    Message.out(
      "Rejected \(release) (\(request.target.prefix(10)) to \(request.ref)) as \(me.id): \(reason)")
    try sync.syncIfAsked(key: signing.path)
  }
}
