import ArgumentParser
import Foundation
import GitKit
import Governance
import Ledger

struct Status: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract:
      "Show whether a release is ready: what passes, what blocks, what warns. Exit 1 when blocked.")

  @Argument(
    help: "A release id (r-…) or a revision whose releases to show.",
    completion: ShellCompletion.releases)
  var subject: String

  @Option(help: "With a revision: the ref it would go to.")
  var to: String?

  @Flag(help: "Machine-readable output.")
  var json = false

  @Option(
    help:
      "Evaluate as of this time (2026-12-01 = midnight UTC, or RFC 3339) (default: GIT_GOVERN_NOW, else now)."
  )
  var at: String?

  struct Report: Encodable {
    let release: String?
    let target: String
    let ref: String?
    let status: String
    /// The release's lifecycle state (`ReleaseLifecycle`); nil when no release was requested.
    let state: String?
    let blocker_count: Int
    let warning_count: Int
    let checks: [Check]

    init(_ readiness: Readiness, lifecycle: ReleaseLifecycle) {
      release = readiness.release
      target = readiness.target
      ref = readiness.ref
      status = readiness.status.rawValue
      state = lifecycle.rawValue
      blocker_count = readiness.blockers.count
      warning_count = readiness.warnings.count
      checks = readiness.checks
    }

    init(target: String, ref: String?, blocker: String) {
      release = nil
      self.target = target
      self.ref = ref
      status = Readiness.Status.blocked.rawValue
      state = nil
      blocker_count = 1
      warning_count = 0
      checks = [Check("request", .blocker, blocker)]
    }
  }

  func run() throws {
    let now = try Session.clock(at: at)
    let session = try Session()
    let state = try session.state(asOf: try Session.whatIf(at: at))
    let catalog = ReleaseCatalog(state: state)
    let report: Report
    if try catalog.exists(subject) {
      let lookup = try ReleaseLookup.load(subject, session: session, state: state, now: now)
      let evaluator = catalog.evaluator(now: now)
      let readiness = evaluator.evaluate(lookup.facts)
      report = Report(
        readiness, lifecycle: Self.lifecycle(lookup.facts, readiness, evaluator: evaluator))
      if !json { printHeader(lookup.request.record) }
    } else {
      if LedgerPaths.isValidReleaseID(subject),
        (try? session.repository.resolveRevision(subject)) == nil
      {
        throw ReleaseLookup.noSuchRelease(subject, session: session)
      }
      let target = try session.commit(subject, argument: "<release|rev>")
      let ref = try to.map(session.fullRef)
      let gate = ReleaseGate(repository: session.repository)
      let refs =
        try ref.map { [$0] }
        ?? Array(Set(catalog.releases(for: target, ref: nil).releases.map(\.request.record.ref)))
        .sorted()
      var best: ReleaseDecision?
      for ref in refs {
        let pattern = state.policy.protectingPattern(for: ref) ?? RefPattern(ref)
        let decision = try gate.decide(
          target: target, ref: ref,
          range: {
            try ReleaseRange.forRelease(
              session.repository, target: target, ref: ref, pattern: pattern,
              releasedBefore: state.releasedBefore)
          }, now: now, state: state)
        guard let readiness = decision.readiness else { continue }
        if best?.readiness.map({ readiness.blockers.count < $0.blockers.count }) ?? true {
          best = decision
        }
      }
      for problem in best?.problems ?? [] { Message.note("note: \(problem)") }
      if let best, let readiness = best.readiness, let facts = best.facts {
        let request = facts.request.record
        report = Report(
          readiness,
          lifecycle: Self.lifecycle(facts, readiness, evaluator: catalog.evaluator(now: now)))
        if !json { printHeader(request) }
      } else {
        let refText = ref ?? "<ref>"
        report = Report(
          target: target.hex, ref: ref,
          blocker:
            "no release was requested for \(target.hex.prefix(10))\(ref.map { " to \($0)" } ?? ""); "
            + "request one: git govern request \(target.hex.prefix(10)) --to \(refText)")
      }
    }
    if json {
      Message.out(try Message.json(report))
    } else {
      for check in report.checks {
        Message.out("  \(Message.mark(check.status)) \(check.name): \(check.message)")
      }
      if let state = report.state { Message.out("  state: \(state)") }
      Message.out(
        "\(report.status)\(report.blocker_count > 0 ? " (\(report.blocker_count) blocker\(report.blocker_count == 1 ? "" : "s"))" : "")"
      )
    }
    if report.status == Readiness.Status.blocked.rawValue { throw Blocked() }
  }

  /// Pushed means the server's receipt of a push exists as of the time asked about.
  private static func lifecycle(
    _ facts: ReleaseFacts, _ readiness: Readiness, evaluator: ReleaseEvaluator
  ) -> ReleaseLifecycle {
    let pushed = facts.receipts.contains {
      (Timestamp.parse($0.record.created) ?? .distantFuture) <= evaluator.now
    }
    return evaluator.lifecycle(facts, readiness: readiness, pushed: pushed)
  }

  private func printHeader(_ request: ReleaseRequest) {
    let title = request.title.map { " \"\($0)\"" } ?? ""
    Message.out(
      "release \(request.release)\(title): \(request.target.prefix(10)) to \(request.ref) "
        + "(\(request.type.rawValue), \(request.risk.rawValue) risk, requested by \(request.actor))"
    )
  }
}
