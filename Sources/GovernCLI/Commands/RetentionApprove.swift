import ArgumentParser
import Foundation
import Governance
import Ledger

struct RetentionApprove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract:
      "Approve (or --reject) a retention review; you must hold a retention.review role and not have asked for it."
  )

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Argument(
    help:
      "The review's file name, as `git govern retention` shows it (optional when only one is pending)."
  )
  var review: String?

  @Flag(help: "Reject the review instead.")
  var reject = false

  @Option(help: "A note for the record.")
  var note: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let current = try RetentionRecords.existing(release, state: state)
    let decided = current.decided
    let pending = current.reviews.filter { decided[$0.file] == nil }
    let chosen = try choose(pending, all: current.reviews)
    let roles = state.policy.retentionRoles.review
    guard roles.contains(where: me.hasRole) else {
      throw UsageError(
        "\(me.id) holds no retention.review role (\(roles.joined(separator: ", "))); one of them must decide"
      )
    }
    guard chosen.record.signer.id != me.id else {
      throw UsageError(
        "\(me.id) asked for this review; someone else with a retention.review role must decide it")
    }
    let now = Date()
    let record = RetentionDecision(
      try session.authorship(state, me, now: now), release: release, review: chosen.file,
      outcome: reject ? .rejected : .approved, note: note)
    let path = RetentionRecords.path(
      release: release, prefix: "decision", actor: me.id, created: now)
    try session.appendRecord(
      record, at: path, author: author, now: now,
      message: "git-govern: retention decision on \(release) by \(me.id)")
    Message.out(
      "\(reject ? "Rejected" : "Approved") the retention review \(chosen.file) of \(release) (\(chosen.record.record.action.rawValue) by \(chosen.record.signer.id))."
    )
    try sync.syncIfAsked(key: signing.path)
  }

  private func choose(
    _ pending: [(file: String, record: Signed<RetentionReview>)],
    all: [(file: String, record: Signed<RetentionReview>)]
  ) throws -> (file: String, record: Signed<RetentionReview>) {
    if let review {
      guard let found = all.first(where: { $0.file == review || $0.file == review + ".json" })
      else {
        throw UsageError(
          "\(release) has no retention review \(review); pending: \(pending.map(\.file).joined(separator: ", "))"
        )
      }
      guard pending.contains(where: { $0.file == found.file }) else {
        throw UsageError("the retention review \(found.file) of \(release) is decided already")
      }
      return found
    }
    guard pending.count == 1, let only = pending.first else {
      throw UsageError(
        pending.isEmpty
          ? "\(release) has no retention review pending; ask for one: git govern retention review \(release) --delete --reason <why>"
          : "\(release) has \(pending.count) reviews pending; name one: \(pending.map(\.file).joined(separator: ", "))"
      )
    }
    return only
  }
}
