import ArgumentParser
import Foundation
import Governance
import Ledger

struct Approve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Approve a release: a signed record bound to its commit, tree, ref and the policy in force.")

  @Argument(help: "The release id (r-…).")
  var release: String

  @Option(help: "A comment for the record.")
  var comment: String?

  @Option(name: .customLong("key"), help: "SSH key to sign with (default: user.signingkey).")
  var key: String?

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: key)
    let lookup = try ReleaseLookup.load(release, session: session, state: state)
    let now = Date()
    let evaluator = ReleaseCatalog(state: state).evaluator(now: now)
    if let closeout = ReleaseLifecycle.finalCloseout(lookup.facts, at: now) {
      Message.note(
        "Refused: \(ReleaseLifecycle.finalMessage(closeout, facts: lookup.facts)). No approval was recorded."
      )
      throw Blocked()
    }
    if let reason = evaluator.disqualification(of: me, for: lookup.facts) {
      Message.note(
        "Refused: \(reason). An approval by \(me.id) would not count, so none was recorded.")
      throw Blocked()
    }
    let request = lookup.request.record
    let record = Approval(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, policy: state.policyBlob.hex, comment: comment)
    try session.appendReleaseRecord(
      record, release: release, kind: "approval", actor: me, author: author, now: now,
      message: "git-govern: approve \(release) by \(me.id)")
    Message.out("Approved \(release) (\(request.target.prefix(10)) to \(request.ref)) as \(me.id).")
    let readiness = ReleaseCatalog(state: try session.state()).evaluator(now: now)
      .evaluate(try ReleaseLookup.load(release, session: session, state: try session.state()).facts)
    Message.out(
      "Now: \(readiness.status.rawValue)"
        + (readiness.blockers.isEmpty
          ? "" : " — " + readiness.blockers.map(\.message).joined(separator: "; ")))
    try sync.syncIfAsked(key: key)
  }
}
