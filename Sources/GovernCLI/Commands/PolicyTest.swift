import ArgumentParser
import Foundation
import Governance
import Ledger

struct PolicyTest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Backtest a draft policy: the releases whose verdict it would change, and why.",
    discussion: """
      Judges every release (from --since) with the same records and people, at its first push
      (else now), under the policy in force and under the draft. Writes nothing. Exit 0 when no
      verdict changes, 1 when some would.
      """)

  @Argument(help: "The draft policy file.")
  var file: String

  @Option(
    help: "Only releases requested at or after this time (2026-12-01 = midnight UTC, or RFC 3339).")
  var since: String?

  @Flag(help: "Machine-readable output.")
  var json = false

  func run() throws {
    guard let data = FileManager.default.contents(atPath: file),
      let text = String(data: data, encoding: .utf8)
    else { throw UsageError("\(file): cannot read it as UTF-8 text") }
    let draft = try PolicyParser.parse(text, file: file)
    let sinceDate = try since.map { try TimeArgument.parse($0, flag: "--since") }
    let report = try PolicyBacktest.run(
      state: try Session().state(), draft: draft, since: sinceDate, now: try Session.clock(at: nil))
    for problem in report.unjudged { Message.note("warning: not judged: \(problem)") }
    if json {
      Message.out(try Message.json(Report(judged: report.judged, changes: report.changes)))
    } else {
      Self.print(report.changes, judged: report.judged)
    }
    if !report.changes.isEmpty { throw Blocked() }
  }

  struct Report: Encodable {
    let judged: Int
    let changes: [BacktestChange]
  }

  static func print(
    _ changes: [BacktestChange], judged: Int, to line: (String) -> Void = { Message.out($0) }
  ) {
    line(
      "\(judged) release\(judged == 1 ? "" : "s") judged; \(changes.count) would change verdict under the draft."
    )
    for change in changes {
      line(
        "  \(change.release) to \(change.ref) (\(change.pushed ? "pushed" : "judged") at \(change.at)): \(change.before) -> \(change.after)"
      )
      for reason in change.reasons { line("    - \(reason)") }
    }
  }
}
