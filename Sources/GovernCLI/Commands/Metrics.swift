import ArgumentParser
import Foundation
import Governance
import Ledger

struct Metrics: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics",
    abstract:
      "Approval cycle time, lead time, emergency frequency, exceptions, rollback and change-failure rate, per team and overall."
  )

  @Flag(help: "Machine-readable output.")
  var json = false

  @Option(help: "From this time (2026-12-01 = midnight UTC, or RFC 3339) (by request time).")
  var since: String?

  @Option(help: "Until this time (2026-12-01 = midnight UTC, or RFC 3339) (exclusive).")
  var until: String?

  func run() throws {
    let parse = { (flag: String, text: String?) throws -> Date? in
      try text.map { try TimeArgument.parse($0, flag: flag) }
    }
    let from = try parse("--since", since)
    let to = try parse("--until", until)
    let session = try Session()
    let report = try GovernanceAudit(repository: session.repository, ledger: session.ledger)
      .run(now: try Session.clock(at: nil), since: nil, history: false)
    let metrics = ReleaseMetrics.compute(report, from: from, until: to)
    if json {
      Message.out(try Message.json(metrics))
      return
    }
    Message.out("overall: " + Self.describe(metrics.overall))
    for (team, figures) in metrics.teams.sorted(by: { $0.key < $1.key }) {
      Message.out("\(team): " + Self.describe(figures))
    }
  }

  static func describe(_ figures: ReleaseMetrics.Figures) -> String {
    func duration(_ seconds: Int?) -> String {
      seconds.map { DurationText.text(fromSeconds: $0) } ?? "n/a"
    }
    func rate(_ value: Double?) -> String {
      value.map { String(format: "%.0f%%", $0 * 100) } ?? "n/a"
    }
    return
      "\(figures.releases) releases (\(figures.pushed) pushed); approval cycle median \(duration(figures.approval_cycle_median)), "
      + "p90 \(duration(figures.approval_cycle_p90)); lead time median \(duration(figures.lead_time_median)), "
      + "p90 \(duration(figures.lead_time_p90)); emergencies \(figures.emergencies) (\(rate(figures.emergency_rate))); "
      + "exceptions \(figures.exceptions); rollback rate \(rate(figures.rollback_rate)); "
      + "change-failure rate \(rate(figures.change_failure_rate)); overdue obligations \(figures.overdue_obligations)"
  }
}
