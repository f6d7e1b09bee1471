import ArgumentParser
import Foundation
import Governance
import Ledger

struct FreezeList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "The freezes in force now and those coming, recurring windows expanded.")

  @Flag(help: "Machine-readable output.")
  var json = false

  @Option(help: "How many weeks ahead to show.")
  var weeks = 4

  @Option(
    help:
      "As of this time (2026-12-01 = midnight UTC, or RFC 3339) (default: GIT_GOVERN_NOW, else now)."
  )
  var at: String?

  struct Listed: Encodable {
    let name: String
    let kind: String
    let reason: String?
    let from: String
    let until: String
    let timezone: String
    let in_force: Bool
  }

  struct Listing: Encodable {
    let as_of: String
    let freezes: [Listed]
  }

  func validate() throws {
    guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be from 1 to 520") }
  }

  func run() throws {
    let now = try Session.clock(at: at)
    let session = try Session()
    let state = try session.state()
    let records = try CalendarRecords.load(
      state, sinceMonth: String(Timestamp.format(now).prefix(7)))
    for problem in records.problems { Message.note("warning: \(problem.path): \(problem.message)") }
    let calendar = FreezeCalendar(policy: state.policy.freezes, adHoc: records.freezes)
    let horizon = now.addingTimeInterval(TimeInterval(weeks * 7 * 86400))
    let listed = calendar.occurrences(from: now, to: horizon).map { occurrence -> Listed in
      var reason: String?
      if case .adHoc(let text) = occurrence.origin { reason = text }
      return Listed(
        name: occurrence.name, kind: occurrence.isAdHoc ? "ad-hoc" : "policy", reason: reason,
        from: Timestamp.format(occurrence.start), until: Timestamp.format(occurrence.end),
        timezone: occurrence.zoneIdentifier,
        in_force: occurrence.contains(now))
    }
    if json {
      Message.out(try Message.json(Listing(as_of: Timestamp.format(now), freezes: listed)))
      return
    }
    if let current = calendar.occurrence(at: now) {
      Message.out("In force now: \(current.frozenUntilDescription)")
    } else {
      Message.out("No freeze in force now (\(Timestamp.format(now))).")
    }
    let coming = calendar.occurrences(from: now, to: horizon)
    Message.out(coming.isEmpty ? "None in the next \(weeks) weeks." : "In the next \(weeks) weeks:")
    for occurrence in coming {
      Message.out(
        "  \(occurrence.describe(occurrence.start)) – \(occurrence.describe(occurrence.end))  \(occurrence.label)"
      )
    }
  }
}
