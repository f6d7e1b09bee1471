import ArgumentParser
import Foundation
import Governance
import Ledger

struct Log: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "The governance timeline: every release record, oldest first.")

  @Flag(help: "Machine-readable output.")
  var json = false

  @Option(
    help: "Only releases requested at or after this time (2026-12-01 = midnight UTC, or RFC 3339).")
  var since: String?

  struct Event: Encodable {
    let at: String
    let release: String
    let ref: String
    let kind: String
    let by: String
    let detail: String
  }

  func run() throws {
    let session = try Session()
    let sinceDate = try since.map { try TimeArgument.parse($0, flag: "--since") }
    let report = try GovernanceAudit(repository: session.repository, ledger: session.ledger)
      .run(now: try Session.clock(at: nil), since: sinceDate, history: false)
    let events = report.releases.flatMap { release in
      release.steps.map {
        Event(
          at: $0.at, release: release.release, ref: release.ref, kind: $0.kind, by: $0.by,
          detail: $0.detail)
      }
    }.sorted { ($0.at, $0.release) < ($1.at, $1.release) }
    if json {
      Message.out(try Message.json(["events": events]))
      return
    }
    for event in events {
      Message.out(
        "\(event.at)  \(event.release)  \(event.kind.padding(toLength: 9, withPad: " ", startingAt: 0)) \(event.by)  \(event.ref)\(event.detail.isEmpty ? "" : "  \(event.detail)")"
      )
    }
    for finding in report.findings {
      Message.note("warning: \(finding.release ?? "") \(finding.message)")
    }
  }
}
