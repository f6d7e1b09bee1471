import ArgumentParser
import Foundation
import Governance
import Ledger

struct Delegate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delegate",
    abstract:
      "Let someone approve in your place until a time: a signed, time-boxed delegation.",
    discussion: """
      While it lasts, the delegate may run `git govern approve <release> --for <you>`: the approval
      counts with your roles (or only those named with --role), and both of you must pass every
      separation-of-duties rule for the release. --end ends it now.
      """)

  @Argument(
    help: "Who may approve in your place (a principal of people.yml).",
    completion: ShellCompletion.people)
  var delegate: String

  @Option(
    help:
      "End (exclusive): RFC 3339 (2026-12-24T18:00:00Z), or a local date or date-time in --tz.")
  var until: String?

  @Flag(help: "End the delegation to this person now.")
  var end = false

  @Option(name: .customLong("role"), help: "A role of yours to lend (repeatable; default: all).")
  var roles: [String] = []

  @Option(
    help: "IANA time zone for local times (default: the policy's freezes.timezone, else UTC).")
  var tz: String?

  @Option(help: "Why: shown in the lineage and the audit.")
  var reason: String = ""

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let now = Date()
    let ending = try endTime(now: now, zone: try zone(state))
    let record = Delegation(
      try session.authorship(state, me, now: now), delegate: delegate,
      until: Timestamp.format(ending), roles: roles.isEmpty ? nil : roles, reason: reason)
    try Self.refuseWhatCannotCount(record, me: me, people: state.people)
    try session.appendRecord(
      record, at: DelegationRecords.path(record, created: now), author: author, now: now,
      message: "git-govern: delegate \(me.id) to \(delegate) until \(record.until)")
    if end {
      Message.out("Ended the delegation from \(me.id) to \(delegate).")
    } else {
      let lent =
        roles.isEmpty
        ? "your roles (\(me.roles.joined(separator: ", ")))"
        : "roles \(roles.joined(separator: ", "))"
      Message.out(
        "\(delegate) may approve in your place, with \(lent), until \(record.until): git govern approve <release> --for \(me.id)"
      )
    }
    try sync.syncIfAsked(key: signing.path)
  }

  private func zone(_ state: GovernanceState) throws -> IANATimeZone {
    guard let tz else { return state.policy.freezes.timeZone ?? .utc }
    guard let known = IANATimeZone(tz) else {
      throw UsageError("--tz: " + IANATimeZone.unknownZoneMessage(tz))
    }
    return known
  }

  private func endTime(now: Date, zone: IANATimeZone) throws -> Date {
    switch (until, end) {
    case (nil, true): return now
    case (.some, true): throw UsageError("give --until or --end, not both")
    case (nil, false):
      throw UsageError(
        "--until <time> is needed: until when may \(delegate) approve in your place?")
    case (let text?, false):
      let end = try FreezeAdd.instant(text, zone: zone, argument: "--until", ambiguity: .latest)
      guard end > now else {
        throw UsageError("--until \(text) is in the past; to end a delegation now, use --end")
      }
      return end
    }
  }

  /// Refused here what would never count, with what would be right.
  static func refuseWhatCannotCount(_ record: Delegation, me: Person, people: People) throws {
    if let problem = Delegations.problem(record, people: people) {
      throw UsageError("the delegation \(problem)")
    }
    for role in record.roles ?? [] where !me.hasRole(role) {
      throw UsageError(
        "--role \(role): \(me.id) does not hold it, so cannot lend it (roles held: \(me.roles.joined(separator: ", ")))"
      )
    }
    if me.hasRole(PushReceipt.serverRole) {
      throw UsageError(
        "\(me.id) is the server's identity, which never approves, so has nothing to delegate")
    }
  }
}
