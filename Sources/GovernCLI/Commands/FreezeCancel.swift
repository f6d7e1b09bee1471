import ArgumentParser
import Foundation
import Governance
import Ledger

struct FreezeCancel: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cancel",
    abstract: "End an ad-hoc freeze early: a signed record beside it (the freeze stays on record).")

  @Argument(help: "The freeze id (f-…), as `freeze list` shows it.")
  var id: String

  @Option(help: "Why: it stays on the record.")
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
    try DeclaringRole.require(.freeze, me, state: state, doing: "cancel a freeze")
    let now = Date()
    let records = try CalendarRecords.load(state)
    guard let freeze = records.freezeRecords.first(where: { $0.record.id == id })?.record else {
      let known = records.freezeRecords.map(\.record.id)
      throw UsageError(
        "<id> \(id) is no ad-hoc freeze in force or coming"
          + (known.isEmpty ? "" : "; these are: \(known.joined(separator: ", "))")
          + " (git govern freeze list)")
    }
    if let until = Timestamp.parse(freeze.until), until <= now {
      throw UsageError("freeze \(id) ended at \(freeze.until); there is nothing to cancel")
    }
    let record = FreezeCancellation(
      try session.authorship(state, me, now: now), freeze: id, reason: reason)
    try session.appendRecord(
      record, at: CalendarRecords.cancellationPath(freeze, by: me.id, at: now), author: author,
      now: now, message: "git-govern: cancel freeze \(id) by \(me.id)")
    Message.out("Cancelled freeze \(id) (\(freeze.reason)): \(reason)")
    try sync.syncIfAsked(key: signing.path)
  }
}
