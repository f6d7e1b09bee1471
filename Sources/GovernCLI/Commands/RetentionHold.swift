import ArgumentParser
import Foundation
import Governance
import Ledger

struct RetentionHold: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hold",
    abstract:
      "Set a legal hold on a release: nothing of it may be deleted until the hold is lifted.")

  @OptionGroup var options: LegalHoldOptions

  func run() throws { try options.record(.set) }
}

struct RetentionLift: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lift", abstract: "Lift the legal hold on a release.")

  @OptionGroup var options: LegalHoldOptions

  func run() throws { try options.record(.lift) }
}

struct LegalHoldOptions: ParsableArguments {
  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "Why (the matter, the order, the request).")
  var reason: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func record(_ action: LegalHold.Action) throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let current = try RetentionRecords.existing(release, state: state)
    let roles = state.policy.retentionRoles.hold
    guard roles.contains(where: me.hasRole) else {
      throw UsageError(
        "\(me.id) holds no retention.hold role (\(roles.joined(separator: ", "))); one of them sets and lifts legal holds"
      )
    }
    let lifts = current.liftable
    if action == .lift, lifts.isEmpty {
      throw UsageError("\(release) is under no legal hold")
    }
    let now = Date()
    let record = LegalHold(
      try session.authorship(state, me, now: now), release: release, action: action,
      lifts: action == .lift ? lifts : nil, reason: reason)
    let path = RetentionRecords.path(release: release, prefix: "hold", actor: me.id, created: now)
    try session.appendRecord(
      record, at: path, author: author, now: now,
      message:
        "git-govern: legal hold \(action == .set ? "set on" : "lifted from") \(release) by \(me.id)"
    )
    Message.out(
      action == .set
        ? "Set a legal hold on \(release): nothing of it may be deleted until it is lifted."
        : "Lifted the legal hold on \(release).")
    try sync.syncIfAsked(key: signing.path)
  }
}
