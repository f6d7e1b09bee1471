import ArgumentParser
import Foundation
import Governance
import Ledger

struct RetentionReport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract:
      "Show retention health: legal holds, reviews pending, retention lapsing within 30 days, deletions due."
  )

  @Flag(help: "Machine-readable output.")
  var json = false

  @Option(
    help:
      "Report as of this time (2026-12-01 = midnight UTC, or RFC 3339) (default: GIT_GOVERN_NOW, else now)."
  )
  var at: String?

  func run() throws {
    let now = try Session.clock(at: at)
    let state = try Session().state()
    let records = try RetentionRecords.load(state)
    let approvers = state.people.persons.filter {
      person in state.policy.retentionRoles.review.contains(where: person.hasRole)
    }.map(\.id)
    let health = RetentionHealth(records.releases, at: now) { requester in
      approvers.filter { $0 != requester }
    }
    for problem in records.problems {
      Message.note("warning: \(problem.path) \(problem.message); it does not count")
    }
    if json {
      Message.out(try Message.json(health))
      return
    }
    Message.out(RetentionHealthText.render(health))
  }
}

/// The retention report in words, each item with the command that moves it on.
enum RetentionHealthText {
  static func render(_ health: RetentionHealth) -> String {
    var lines = ["Retention at \(health.at):"]
    func section(_ title: String, _ items: [String]) {
      lines.append("\(title): \(items.isEmpty ? "none" : "")")
      lines += items.map { "  " + $0 }
    }
    section(
      "legal holds",
      health.holds.map { "\($0.release): held by \($0.set_by) since \($0.set_at): \($0.reason)" })
    section(
      "reviews pending",
      health.reviews_pending.map {
        "\($0.release): \($0.requested_by) asks to \($0.action)\($0.retain_until.map { " until \($0)" } ?? "") (\($0.reason)); "
          + ($0.approvers.isEmpty
            ? "nobody else holds a retention.review role"
            : "\($0.approvers.joined(separator: " or ")) can run: \($0.command)")
      })
    section(
      "lapsing within 30 days",
      health.lapsing.map {
        "\($0.release): retention ends \($0.retain_until) (\($0.days_left) days); \($0.command)"
      })
    section(
      "deletions due",
      health.deletions_due.map {
        "\($0.release): retention ended \($0.retain_until), deletion approved by \($0.approved_by ?? "?"); delete \($0.artifacts.isEmpty ? "its artifacts" : $0.artifacts.map(\.name).joined(separator: ", "))"
      })
    section(
      "retention ended, no deletion approved",
      health.expired_unreviewed.map {
        "\($0.release): retention ended \($0.retain_until); \($0.command ?? "")"
      })
    return lines.joined(separator: "\n")
  }
}
