import ArgumentParser
import Foundation
import Governance
import Ledger

struct Approve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract:
      "Approve a release: a signed record bound to its commit, tree, ref and the policy in force.")

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "A comment for the record.")
  var comment: String?

  @Option(
    name: .customLong("for"),
    help: "Approve in this person's place, under their delegation to you (git govern delegate).",
    completion: ShellCompletion.people)
  var onBehalfOf: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    try ReviewRefs.fetchCommit(of: release, session: session, state: state, remote: sync.remote)
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
    if let onBehalfOf {
      try Self.refuseDelegated(for: onBehalfOf, me: me, lookup: lookup, evaluator: evaluator)
    }
    let request = lookup.request.record
    let record = Approval(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, policy: state.policyBlob.hex, comment: comment, onBehalfOf: onBehalfOf)
    try session.appendReleaseRecord(
      record, release: release, kind: "approval", actor: me, author: author, now: now,
      message: "git-govern: approve \(release) by \(me.id)")
    Message.out(
      "Approved \(release) (\(request.target.prefix(10)) to \(request.ref)) as \(me.id)"
        + (onBehalfOf.map { ", in \($0)'s place" } ?? "") + ".")
    let readiness = ReleaseCatalog(state: try session.state()).evaluator(now: now)
      .evaluate(try ReleaseLookup.load(release, session: session, state: try session.state()).facts)
    Message.out(
      "Now: \(readiness.status.rawValue)"
        + (readiness.blockers.isEmpty
          ? "" : " — " + readiness.blockers.map(\.message).joined(separator: "; ")))
    try sync.syncIfAsked(key: signing.path)
  }

  /// An approval in `holder`'s place is refused at once when no delegation from them to the
  /// actor is in force, or when `holder`'s own approval would not count.
  static func refuseDelegated(
    for holder: String, me: Person, lookup: ReleaseLookup, evaluator: ReleaseEvaluator
  ) throws {
    guard holder != me.id else {
      throw UsageError("--for \(holder): that is you; approve without --for")
    }
    guard let person = evaluator.people[holder] else {
      throw UsageError("--for \(holder): not a registered person (a principal of people.yml)")
    }
    guard
      let delegation = lookup.facts.delegations.inForce(
        from: holder, to: me.id, at: evaluator.now)
    else {
      Message.note(
        "Refused: no delegation from \(holder) to \(me.id) is in force now; \(holder) can run "
          + "`git govern delegate \(me.id) --until <time>`. No approval was recorded.")
      throw Blocked()
    }
    let seat = Delegations.seat(person, lentBy: delegation.record)
    if let reason = evaluator.disqualification(of: seat, for: lookup.facts) {
      Message.note(
        "Refused: \(reason). \(holder)'s own approval would not count, so none in their place was recorded."
      )
      throw Blocked()
    }
  }
}
