import ArgumentParser
import Foundation
import Governance
import Ledger

struct RetentionReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract:
      "Ask for a retention review of a closed release: delete its records' artifacts once retention ends, or keep them longer."
  )

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Flag(help: "Ask to delete the release's artifacts once its retention has ended.")
  var delete = false

  @Option(
    name: .customLong("extend-until"),
    help: "Ask to keep them until this date (2028-12-31) or RFC 3339 time.")
  var extendUntil: String?

  @Option(help: "Why.")
  var reason: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard delete != (extendUntil != nil) else {
      throw ValidationError("give --delete or --extend-until <date>, one of them")
    }
    if let extendUntil, TimeArgument.parse(extendUntil) == nil {
      throw ValidationError(
        "--extend-until \"\(extendUntil)\" is not a date (2028-12-31) or RFC 3339 time")
    }
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw ValidationError("--reason must say why")
    }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let current = try RetentionRecords.existing(release, state: state)
    guard let until = current.retainUntil else {
      throw UsageError(
        "\(release) has no closeout with a retention end (closeout --retain-until), so there is nothing to review"
      )
    }
    let extended = extendUntil.flatMap(TimeArgument.parse)
    if let extended, extended <= until {
      throw UsageError(
        "--extend-until \(extendUntil!) is not later than the retention end in force (\(Timestamp.format(until)))"
      )
    }
    let now = Date()
    let record = RetentionReview(
      try session.authorship(state, me, now: now), release: release,
      action: delete ? .delete : .extend, retainUntil: extended.map(Timestamp.format),
      reason: reason)
    let path = RetentionRecords.path(release: release, prefix: "review", actor: me.id, created: now)
    try session.appendRecord(
      record, at: path, author: author, now: now,
      message: "git-govern: retention review of \(release) by \(me.id)")
    Message.out(
      "Asked for a retention review of \(release) (\(record.action.rawValue)): \((path as NSString).lastPathComponent); "
        + "someone else with a retention.review role (\(state.policy.retentionRoles.review.joined(separator: ", "))) can run: "
        + "git govern retention approve \(release) \((path as NSString).lastPathComponent)")
    try sync.syncIfAsked(key: signing.path)
  }
}

extension RetentionRecords {
  /// The release's retention, or exit 2 when there is no such release.
  static func existing(_ release: String, state: GovernanceState) throws -> RetentionHealth.Release
  {
    guard let found = try RetentionRecords.release(release, state: state) else {
      throw UsageError("there is no release \"\(release)\"; `git govern log` lists them")
    }
    return found.release
  }
}
