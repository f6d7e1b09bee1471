import Foundation

/// Where a release stands in its life, worked out from its records alone:
/// - `requested`: asked for, not ready (approvals missing, or something else blocks);
/// - `approved`: ready to push as of now (every control passes);
/// - `pushed`: the server signed a receipt of its push (or, where no server wrote one, the
///   ref points at its commit);
/// - `closed`: a closeout says how it ended (`deployed`, `rolled-back` or `failed`);
/// - `cancelled`: a closeout with outcome `cancelled`, by someone other than the requester;
/// - `withdrawn`: the requester closed their own request out as `cancelled`;
/// - `rejected`: a rejection of its commit and ref stands (not withdrawn).
/// `closed`, `cancelled` and `withdrawn` are final: no approval is taken and no push is let
/// through any more; a new release must be requested.
public enum ReleaseLifecycle: String, Sendable, Equatable, Codable, CaseIterable {
  case requested, approved, pushed, closed, cancelled, withdrawn, rejected

  /// Whether the release is over: nothing more counts for it.
  public var isFinal: Bool { self == .closed || self == .cancelled || self == .withdrawn }

  /// The state of a release from what is known of it. `closeout` is the one that counts (the
  /// earliest, `ReleaseLifecycle.finalCloseout`); `pushed`, whether a push of it is known;
  /// `rejected`, whether a rejection stands; `ready`, whether it would pass the gate now.
  public static func of(
    closeout: Signed<Closeout>?, requester: String, pushed: Bool, rejected: Bool, ready: Bool
  ) -> ReleaseLifecycle {
    if let closeout {
      guard closeout.record.outcome == .cancelled else { return .closed }
      return closeout.signer.id == requester ? .withdrawn : .cancelled
    }
    if pushed { return .pushed }
    if rejected { return .rejected }
    return ready ? .approved : .requested
  }

  /// The closeout that ended the release as of `now`: the first one that counted by then
  /// (its server acceptance time where known, else its signer's claimed time). A closeout made
  /// later does not reach back: a push before it is judged without it.
  public static func finalCloseout(_ facts: ReleaseFacts, at now: Date) -> Signed<Closeout>? {
    finalCloseout(of: facts.closeouts, acceptedAt: facts.acceptedAt, at: now)
  }

  /// The one of `closeouts` that counts: the earliest by the time it counts from, the server's
  /// acceptance (`acceptedAt`, by record path) where known, else its signer's claimed time.
  /// With `now`, only those that counted by then are in the running (no allowance for clock
  /// skew: a push judged as of its receipt must not be undone by a closeout made seconds
  /// later). Without, every closeout is, one whose time cannot be read coming last: the
  /// release is over either way, and its retention runs from the one that counts.
  public static func finalCloseout(
    of closeouts: [Signed<Closeout>], acceptedAt: [String: Date], at now: Date?
  ) -> Signed<Closeout>? {
    closeouts.compactMap { closeout -> (Signed<Closeout>, Date)? in
      let at = acceptedAt[closeout.path] ?? Timestamp.parse(closeout.record.created)
      guard let now else { return (closeout, at ?? .distantFuture) }
      guard let at, at <= now else { return nil }
      return (closeout, at)
    }.min { $0.1 < $1.1 }?.0
  }

  /// What a final state means, in words, with the way forward.
  public static func finalMessage(_ closeout: Signed<Closeout>, facts: ReleaseFacts) -> String {
    let request = facts.request.record
    let how =
      closeout.record.outcome == .cancelled
      ? (closeout.signer.id == facts.request.signer.id
        ? "was withdrawn by its requester \(closeout.signer.id)"
        : "was cancelled by \(closeout.signer.id)")
      : "was closed out by \(closeout.signer.id) as \(closeout.record.outcome.rawValue)"
    return
      "release \(request.release) \(how) at \(closeout.record.created); it is over, so nothing more counts for it: "
      + "request a new release: git govern request \(short(request.target)) --to \(request.ref)"
  }
}

extension ReleaseEvaluator {
  /// A closed, cancelled or withdrawn release lets nothing through.
  func lifecycleChecks(_ facts: ReleaseFacts) -> [Check] {
    guard let closeout = ReleaseLifecycle.finalCloseout(facts, at: now) else { return [] }
    return [Check("lifecycle", .blocker, ReleaseLifecycle.finalMessage(closeout, facts: facts))]
  }

  /// The release's state as of `now`, from the facts and this evaluation's readiness.
  public func lifecycle(_ facts: ReleaseFacts, readiness: Readiness, pushed: Bool)
    -> ReleaseLifecycle
  {
    ReleaseLifecycle.of(
      closeout: ReleaseLifecycle.finalCloseout(facts, at: now),
      requester: facts.request.signer.id, pushed: pushed,
      rejected: !standingRejections(facts).isEmpty, ready: readiness.status != .blocked)
  }
}
