import Foundation
import GitKit
import Governance

/// One thing a release waits for, with who can settle it and the exact command.
public struct PendingItem: Encodable, Sendable {
  /// `approval`, `validation`, `review` or `closeout`.
  public var kind: String
  public var release: String
  public var ref: String
  public var title: String?
  /// When the wait began: the request (the server's acceptance of it where known) for an
  /// approval, the push (its receipt) for a closeout, the emergency's start for an obligation.
  public var since: String
  public var due: String?
  public var overdue: Bool
  public var who: [String]
  public var message: String
  public var command: String
}

/// What awaits whom (`git govern pending`): releases waiting for approvals (overdue past their
/// rule's `approval_sla`), an emergency's obligations still open, and closeouts of pushed
/// releases not yet recorded. Reads every release folder once; only releases not over are
/// judged (their range read), so the cost is the open work, plus one listing per release.
public enum PendingWork {
  /// The items, most pressing first, and the releases that could not be judged (never
  /// left out silently).
  public static func list(state: GovernanceState, now: Date, pusher: String?) throws
    -> (items: [PendingItem], unjudged: [String])
  {
    var unjudged: [String] = []
    let catalog = ReleaseCatalog(state: state)
    let evaluator = catalog.evaluator(now: now)
    var items: [PendingItem] = []
    for id in try catalog.allReleaseIDs() {
      let records = try catalog.records(of: id)
      guard records.request != nil else {
        unjudged += records.problems.map { "\($0.path) \($0.message)" }
        continue
      }
      // Over already: a closeout that counts ends it (whoever may sign one was checked).
      if ReleaseLifecycle.finalCloseout(
        of: records.closeouts, acceptedAt: records.acceptedAt, at: now) != nil
      {
        continue
      }
      do {
        let judged = try catalog.judge(id, now: now, pusher: pusher, records: records)
        items += pending(
          judged.facts, evaluator: evaluator, policy: state.policy, people: state.people)
      } catch {
        unjudged.append("\(id): \(error)")
      }
    }
    items.sort {
      ($0.overdue ? 0 : 1, $0.due ?? $0.since) < ($1.overdue ? 0 : 1, $1.due ?? $1.since)
    }
    return (items, unjudged)
  }

  static func pending(
    _ facts: ReleaseFacts, evaluator: ReleaseEvaluator, policy: Policy, people: People
  ) -> [PendingItem] {
    let request = facts.request.record
    let now = evaluator.now
    func item(
      _ kind: String, since: Date, due: Date?, who: [String], message: String, command: String
    ) -> PendingItem {
      PendingItem(
        kind: kind, release: request.release, ref: request.ref, title: request.title,
        since: Timestamp.format(since), due: due.map(Timestamp.format),
        overdue: due.map { $0 < now } ?? false, who: who, message: message, command: command)
    }
    let pushedAt = facts.receipts.compactMap { Timestamp.parse($0.record.created) }.filter {
      $0 <= now
    }.min()
    var items: [PendingItem] = []
    let (exception, _) = evaluator.effectiveException(facts)
    if let exception {
      for obligation in evaluator.emergencyObligations(facts, exception: exception)
      where obligation.discharged == nil {
        let since = evaluator.obligationStart(facts, exception: exception)
        switch obligation.kind {
        case .validation:
          items.append(
            item(
              "validation", since: since, due: obligation.due, who: [facts.request.signer.id],
              message: "post-deploy validation evidence for the emergency",
              command: "git govern evidence \(request.release) --kind validation --file <report>"))
        case .review:
          items.append(
            item(
              "review", since: since, due: obligation.due,
              who: evaluator.possibleReviewers(facts),
              message:
                "a retrospective review of the emergency, by someone other than \(facts.request.signer.id)",
              command: "git govern review \(request.release) --outcome ok|issues --notes \"…\""))
        }
      }
    }
    if let pushedAt {
      if let within = policy.closeoutWithin {
        let who = people.persons.filter {
          policy.mayCloseOut($0, requester: facts.request.signer.id)
        }.map(\.id)
        items.append(
          item(
            "closeout", since: pushedAt, due: within.end(from: pushedAt, calendar: policy.calendar),
            who: who,
            message:
              "pushed, but not closed out (closeout_within \(within))",
            command: "git govern closeout \(request.release) --outcome deployed|rolled-back|failed")
        )
      }
      return items
    }
    let readiness = evaluator.evaluate(facts)
    let waiting = readiness.blockers.filter { $0.name == "approvals" || $0.name == "owners" }
    guard readiness.status == .blocked, !waiting.isEmpty else { return items }
    let since =
      facts.countsFrom(facts.request.path, created: request.created)
      ?? Timestamp.parse(request.created) ?? now
    let sla = policy.rule(type: request.type, risk: request.risk)?.approvalSLA
    items.append(
      item(
        "approval", since: since, due: sla.map { $0.end(from: since, calendar: policy.calendar) },
        who: evaluator.possibleApprovers(facts),
        message: waiting.map(\.message).joined(separator: "; "),
        command: "git govern approve \(request.release)"))
    return items
  }
}
