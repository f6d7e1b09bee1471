import ArgumentParser
import Foundation
import Governance
import Ledger

struct FreezeAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract:
      "Declare an ad-hoc freeze: no protected ref moves in [from, until) without an exception.")

  @Option(
    help:
      "Start: RFC 3339 (2026-12-24T09:00:00Z), or a local date or date-time (2026-12-24, 2026-12-24T09:00) in --tz."
  )
  var from: String

  @Option(help: "End (exclusive), in the same forms.")
  var until: String

  @Option(
    help: "IANA time zone for local times (default: the policy's freezes.timezone, else UTC).")
  var tz: String?

  @Option(help: "Why: shown to everyone who is blocked.")
  var reason: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    try DeclaringRole.require(.freeze, me, state: state, doing: "declare a freeze")
    let zone: IANATimeZone
    if let tz {
      guard let known = IANATimeZone(tz) else {
        throw UsageError("--tz: " + IANATimeZone.unknownZoneMessage(tz))
      }
      zone = known
    } else {
      zone = state.policy.freezes.timeZone ?? .utc
    }
    let start = try Self.instant(from, zone: zone, argument: "--from", ambiguity: .earliest)
    let end = try Self.instant(until, zone: zone, argument: "--until", ambiguity: .latest)
    guard end > start else {
      throw UsageError("--until (\(until)) must be later than --from (\(from))")
    }
    let now = Date()
    guard end > now else {
      throw UsageError("--until \(until) is in the past; a freeze that has ended changes nothing")
    }
    let id = "f-" + (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    let record = FreezeRecord(
      try session.authorship(state, me, now: now), id: id, from: Timestamp.format(start),
      until: Timestamp.format(end),
      timezone: zone.identifier, reason: reason)
    try session.appendRecord(
      record, at: CalendarRecords.freezePath(record), author: author, now: now,
      message: "git-govern: freeze \(id) by \(me.id)")
    Message.out(
      "Declared freeze \(id) from \(FreezeCalendar.describe(start, in: zone)) until \(FreezeCalendar.describe(end, in: zone)): \(reason)"
    )
    try sync.syncIfAsked(key: signing.path)
  }

  /// RFC 3339 as is; a local date or date-time in `zone`.
  static func instant(
    _ text: String, zone: IANATimeZone, argument: String, ambiguity: IANATimeZone.Ambiguity
  ) throws -> Date {
    if let date = Timestamp.parse(text) { return date }
    if let local = LocalDateTime.parse(text) { return zone.instant(for: local, ambiguity) }
    throw UsageError(
      "\(argument) \"\(text)\" is not a time: write 2026-12-24T09:00:00Z, 2026-12-24T09:00 or 2026-12-24"
    )
  }
}
