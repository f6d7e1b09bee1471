import Foundation

/// Where each release's retention stands at one moment, from its closeouts and its verified
/// retention records: held, under review, lapsing soon, due for deletion, or past its end with
/// no approved deletion. Pure: the ledger verified the records and checked their signers.
public struct RetentionHealth: Codable, Sendable, Equatable {
  public struct Hold: Codable, Sendable, Equatable {
    public var release: String
    public var set_by: String
    public var set_at: String
    public var reason: String
  }

  public struct PendingReview: Codable, Sendable, Equatable {
    public var release: String
    public var review: String
    public var requested_by: String
    public var requested_at: String
    public var action: String
    public var retain_until: String?
    public var reason: String
    /// Who may approve it: holders of a `retention.review` role other than the requester.
    public var approvers: [String]
    public var command: String
  }

  public struct Lapse: Codable, Sendable, Equatable {
    public var release: String
    public var retain_until: String
    public var days_left: Int
    public var command: String
  }

  public struct Due: Codable, Sendable, Equatable {
    public var release: String
    public var retain_until: String
    /// Who approved the deletion, or nil when none was approved yet.
    public var approved_by: String?
    public var artifacts: [Artifact]
    public var command: String?
  }

  public var at: String
  public var holds: [Hold] = []
  public var reviews_pending: [PendingReview] = []
  /// Retention ending within `lapsingWithin` (30 days).
  public var lapsing: [Lapse] = []
  /// Retention over, no hold, deletion approved: delete the artifacts now.
  public var deletions_due: [Due] = []
  /// Retention over, no hold, no approved deletion: a review is needed first.
  public var expired_unreviewed: [Due] = []

  public static let lapsingWithin: TimeInterval = 30 * 86400

  /// One release's retention: its closeouts (the final one decides) and retention records.
  public struct Release: Sendable {
    public var id: String
    public var closeout: Closeout?
    public var reviews: [(file: String, record: Signed<RetentionReview>)]
    public var decisions: [Signed<RetentionDecision>]
    public var holds: [(file: String, record: Signed<LegalHold>)]

    public init(
      id: String, closeout: Closeout?, reviews: [(file: String, record: Signed<RetentionReview>)],
      decisions: [Signed<RetentionDecision>], holds: [(file: String, record: Signed<LegalHold>)]
    ) {
      (self.id, self.closeout, self.reviews, self.decisions, self.holds) = (
        id, closeout, reviews, decisions, holds
      )
    }

    /// The holds in force: every hold set and not named by a lift, the closeout's
    /// `legal_hold` among them (kept data is the safe side).
    public var holdsInForce: [Hold] {
      let lifted = Set(
        holds.flatMap { $0.record.record.action == .lift ? $0.record.record.lifts ?? [] : [] })
      var inForce = holds.filter { $0.record.record.action == .set && !lifted.contains($0.file) }
        .map {
          Hold(
            release: id, set_by: $0.record.signer.id, set_at: $0.record.record.created,
            reason: $0.record.record.reason)
        }
      if let closeout, closeout.legal_hold, !lifted.contains(LegalHold.closeoutHold) {
        inForce.insert(
          Hold(
            release: id, set_by: closeout.actor, set_at: closeout.created,
            reason: "legal hold set at closeout"), at: 0)
      }
      return inForce
    }

    /// The file names a lift may name now: the holds in force, `closeout` for the closeout's.
    public var liftable: [String] {
      let lifted = Set(
        holds.flatMap { $0.record.record.action == .lift ? $0.record.record.lifts ?? [] : [] })
      var names = holds.filter { $0.record.record.action == .set && !lifted.contains($0.file) }.map(
        \.file)
      if let closeout, closeout.legal_hold, !lifted.contains(LegalHold.closeoutHold) {
        names.append(LegalHold.closeoutHold)
      }
      return names
    }

    /// The decision on each review, by the review's file name. Where two decisions disagree,
    /// the one that keeps data wins (a rejected deletion, an approved extension), so no
    /// decision can be overridden by one dated earlier: their times are their signers' claims.
    public var decided: [String: Signed<RetentionDecision>] {
      let actions = Dictionary(
        reviews.map { ($0.file, $0.record.record.action) }, uniquingKeysWith: { first, _ in first })
      var decided: [String: Signed<RetentionDecision>] = [:]
      for decision in decisions {
        let review = decision.record.review
        guard let earlier = decided[review] else {
          decided[review] = decision
          continue
        }
        let keeps: RetentionDecision.Outcome = actions[review] == .extend ? .approved : .rejected
        if earlier.record.outcome != keeps && decision.record.outcome == keeps {
          decided[review] = decision
        }
      }
      return decided
    }

    /// The end of retention: the closeout's `retain_until`, or the latest end an approved
    /// `extend` review set.
    public var retainUntil: Date? {
      let decided = self.decided
      let extended = reviews.compactMap { review -> Date? in
        guard review.record.record.action == .extend,
          decided[review.file]?.record.outcome == .approved
        else { return nil }
        return review.record.record.retain_until.flatMap(Timestamp.parse)
      }
      let closed = closeout?.retain_until.flatMap(Timestamp.parse)
      return (extended + [closed].compactMap { $0 }).max()
    }
  }

  public init(_ releases: [Release], at now: Date, approvers: (String) -> [String]) {
    at = Timestamp.format(now)
    for release in releases.sorted(by: { $0.id < $1.id }) {
      let decided = release.decided
      for review in release.reviews where decided[review.file] == nil {
        let record = review.record.record
        reviews_pending.append(
          PendingReview(
            release: release.id, review: review.file, requested_by: review.record.signer.id,
            requested_at: record.created, action: record.action.rawValue,
            retain_until: record.retain_until, reason: record.reason,
            approvers: approvers(review.record.signer.id),
            command: "git govern retention approve \(release.id) \(review.file) (or --reject)"))
      }
      let held = release.holdsInForce
      if !held.isEmpty {
        holds += held
        continue
      }
      guard let until = release.retainUntil else { continue }
      let untilText = Timestamp.format(until)
      if until <= now {
        let deletion = release.reviews.first {
          $0.record.record.action == .delete && decided[$0.file]?.record.outcome == .approved
        }.flatMap { decided[$0.file] }
        let due = Due(
          release: release.id, retain_until: untilText, approved_by: deletion?.signer.id,
          artifacts: release.closeout?.artifacts ?? [],
          command: deletion == nil
            ? "git govern retention review \(release.id) --delete --reason <why>" : nil)
        if deletion == nil { expired_unreviewed.append(due) } else { deletions_due.append(due) }
      } else if until.timeIntervalSince(now) <= Self.lapsingWithin {
        lapsing.append(
          Lapse(
            release: release.id, retain_until: untilText,
            days_left: Int(until.timeIntervalSince(now) / 86400),
            command:
              "git govern retention review \(release.id) --delete --reason <why> (or --extend-until <date>)"
          ))
      }
    }
  }
}
