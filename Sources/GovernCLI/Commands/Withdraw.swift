import ArgumentParser
import Foundation
import Governance
import Ledger

struct Withdraw: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "withdraw",
    abstract:
      "Withdraw a rejection: the rejecter's own, or as policy-admins overriding it (as many as admins.approvals).",
    discussion: """
      A rejection binds the commit and ref it names: every release of that commit to that ref stays
      blocked until the rejecter withdraws it, or enough policy-admins do.
      """)

  @Argument(
    help: "The release id (r-…) holding the rejection.", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "Why the rejection no longer stands.")
  var reason: String

  @Option(help: "The rejection's file name, when the release holds several.")
  var rejection: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw ValidationError("--reason must say why the rejection no longer stands")
    }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let lookup = try ReleaseLookup.load(release, session: session, state: state)
    let evaluator = ReleaseCatalog(state: state).evaluator(now: Date())
    let standing = evaluator.standingRejections(lookup.facts).filter {
      $0.record.release == release
    }
    let name: (Signed<Rejection>) -> String = { String($0.path.split(separator: "/").last ?? "") }
    let chosen = standing.filter { rejection == nil || name($0) == rejection }
    guard !chosen.isEmpty else {
      throw UsageError(
        rejection == nil
          ? "release \(release) has no rejection standing; nothing to withdraw"
          : "release \(release) has no standing rejection \(rejection!); `git govern status \(release)` shows its rejections"
      )
    }
    let isAdmin = me.hasRole("policy-admin")
    let mine = chosen.filter { $0.signer.id == me.id }
    let targets = mine.isEmpty && isAdmin ? chosen : mine
    guard !targets.isEmpty else {
      let rejecters = Set(chosen.map(\.signer.id)).sorted().joined(separator: ", ")
      throw UsageError(
        "only the rejecter (\(rejecters)) can withdraw this rejection, or policy-admins overriding it; \(me.id) is neither"
      )
    }
    let now = Date()
    let request = lookup.request.record
    for (index, target) in targets.enumerated() {
      let record = Withdrawal(
        try session.authorship(state, me, now: now), release: release, target: request.target,
        tree: request.tree, ref: request.ref, rejection: name(target), reason: reason)
      try session.appendReleaseRecord(
        record, release: release, kind: "withdrawal", actor: me,
        author: author, now: now.addingTimeInterval(Double(index) / 1000),
        message: "git-govern: withdraw \(target.signer.id)'s rejection of \(release) by \(me.id)")
    }
    let override =
      mine.isEmpty
      ? " (as policy-admin: it stands until \(state.policy.adminApprovals) admin(s) withdraw it)"
      : ""
    Message.out(
      "Withdrew \(targets.count) rejection\(targets.count == 1 ? "" : "s") of \(release) as \(me.id)\(override)."
    )
    try sync.syncIfAsked(key: signing.path)
  }
}
