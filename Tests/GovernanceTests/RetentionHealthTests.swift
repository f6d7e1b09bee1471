import Foundation
import Testing

@testable import Governance

@Suite("retention health, pure: which decision counts and what is due")
struct RetentionHealthTests {
  static let erin = Person(
    id: "erin", name: "Erin", emails: ["erin@x"], keys: [], roles: ["records-manager"])
  static let bob = Person(id: "bob", name: "Bob", emails: ["bob@x"], keys: [], roles: [])

  static func by(_ person: Person, at created: String) -> RecordAuthorship {
    RecordAuthorship(repo: "root", actor: person.id, email: person.emails[0], created: created)
  }

  static func closeout(until: String) -> Closeout {
    Closeout(
      by(bob, at: "2026-01-01T00:00:00Z"), release: "r-1", target: "t", tree: "t",
      ref: "refs/tags/v1",
      outcome: .deployed, artifacts: [], retainUntil: until, legalHold: false)
  }

  static func release(
    _ action: RetentionReview.Action, until: String? = nil,
    outcomes: [(RetentionDecision.Outcome, String)]
  ) -> RetentionHealth.Release {
    let review = Signed(
      record: RetentionReview(
        by(bob, at: "2026-02-01T00:00:00Z"), release: "r-1", action: action, retainUntil: until,
        reason: "x"), path: "retention/r-1/review-a.json", signer: bob)
    let decisions = outcomes.map { outcome, created in
      Signed(
        record: RetentionDecision(
          by(erin, at: created), release: "r-1", review: "review-a.json", outcome: outcome,
          note: nil),
        path: "retention/r-1/decision-\(created).json", signer: erin)
    }
    return RetentionHealth.Release(
      id: "r-1", closeout: closeout(until: "2026-03-01T00:00:00Z"),
      reviews: [("review-a.json", review)], decisions: decisions, holds: [])
  }

  static let after = Timestamp.parse("2026-04-01T00:00:00Z")!

  @Test("a rejected deletion stands against an approval, whichever claims to be first")
  func rejectionOfDeletionWins() {
    for order in [
      [
        (RetentionDecision.Outcome.approved, "2026-02-02T00:00:00Z"),
        (.rejected, "2026-02-03T00:00:00Z"),
      ],
      [
        (RetentionDecision.Outcome.rejected, "2026-02-03T00:00:00Z"),
        (.approved, "2026-02-01T00:00:00Z"),
      ],
    ] {
      let health = RetentionHealth([Self.release(.delete, outcomes: order)], at: Self.after) { _ in
        []
      }
      #expect(health.deletions_due.isEmpty)
      #expect(health.expired_unreviewed.map(\.release) == ["r-1"])
    }
    let approved = RetentionHealth(
      [Self.release(.delete, outcomes: [(.approved, "2026-02-02T00:00:00Z")])], at: Self.after
    ) { _ in [] }
    #expect(approved.deletions_due.map(\.approved_by) == ["erin"])
  }

  @Test("an approved extension stands against a rejection, and never shortens retention")
  func approvalOfExtensionWins() {
    let extended = RetentionHealth(
      [
        Self.release(
          .extend, until: "2027-01-01T00:00:00Z",
          outcomes: [(.rejected, "2026-02-01T00:00:00Z"), (.approved, "2026-02-02T00:00:00Z")])
      ], at: Self.after
    ) { _ in [] }
    #expect(extended.expired_unreviewed.isEmpty && extended.deletions_due.isEmpty)
    let earlier = Self.release(
      .extend, until: "2026-02-15T00:00:00Z", outcomes: [(.approved, "2026-02-02T00:00:00Z")])
    #expect(earlier.retainUntil == Timestamp.parse("2026-03-01T00:00:00Z"))
  }
}
