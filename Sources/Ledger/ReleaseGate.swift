import Foundation
import GitKit
import Governance

/// One ref update as a hook sees it. A zero `old` creates the ref; a zero `new` deletes it.
/// A nil `old` is a planned update (`check <rev> --to <ref>`): the range is then measured
/// against what the ref and its remote-tracking copies hold now.
public struct RefUpdate: Sendable, Equatable {
  public var ref: String
  public var old: OID?
  public var new: OID
  /// The symbolic ref the push named, when `ref` is the ref it moves on the server.
  public var pushedAs: String?

  public init(ref: String, old: OID?, new: OID, pushedAs: String? = nil) {
    self.ref = ref
    self.old = old
    self.new = new
    self.pushedAs = pushedAs
  }
}

/// What the gate decided for one ref update, with every reason.
public struct GateVerdict: Sendable {
  public var update: RefUpdate
  public var allowed: Bool
  /// The release judged (the one let through, or the closest to passing).
  public var readiness: Readiness?
  public var reasons: [String]

  public init(update: RefUpdate, allowed: Bool, readiness: Readiness?, reasons: [String]) {
    self.update = update
    self.allowed = allowed
    self.readiness = readiness
    self.reasons = reasons
  }
}

/// The gate the hooks and `check` share: unprotected refs pass at once; a protected ref moves
/// only to a commit with a release that is ready for that ref now. Any error on a protected
/// ref blocks (fail closed).
public struct ReleaseGate {
  public let repository: Repository
  /// Who is pushing, as the forge says (`GIT_GOVERN_PUSHER`).
  public let pusher: String?

  public init(repository: Repository, pusher: String? = nil) {
    self.repository = repository
    self.pusher = pusher
  }

  /// Warnings shown with a block: they say why an approval, an exception or a standard
  /// type did not count.
  static let explainsBlock: Set<String> = ["approvals", "exception", "type"]

  /// The governance state is loaded once per push and shared by its updates.
  public func judge(_ updates: [RefUpdate], now: Date, state: () throws -> GovernanceState)
    -> [GateVerdict]
  {
    var loaded: Result<GovernanceState, Error>?
    return updates.map { update in
      if loaded == nil { loaded = Result { try state() } }
      switch loaded! {
      case .failure(let error):
        return GateVerdict(
          update: update, allowed: false, readiness: nil,
          reasons: ["cannot read the governance branch, so protected refs stay closed: \(error)"])
      case .success(let state):
        return judge(update, now: now, state: state)
      }
    }
  }

  public func judge(_ update: RefUpdate, now: Date, state: GovernanceState) -> GateVerdict {
    if let refusal = unprotectedTargetRefusal(update, policy: state.policy) {
      return GateVerdict(update: update, allowed: false, readiness: nil, reasons: [refusal])
    }
    // Before protection: no policy pattern reaches git-govern's own names.
    if ReviewRef.isInNamespace(update.ref) || update.pushedAs.map(ReviewRef.isInNamespace) == true {
      return ReviewRef.judge(update, state: state)
    }
    guard let pattern = state.policy.protectingPattern(for: update.ref) else {
      return GateVerdict(
        update: update, allowed: true, readiness: nil, reasons: ["\(update.ref) is not protected"])
    }
    if update.new.isZero {
      return GateVerdict(
        update: update, allowed: false, readiness: nil,
        reasons: ["\(update.ref) is protected (\(pattern)); deleting it is not allowed"])
    }
    do {
      if let rewrite = try rewriteRefusal(update, pattern: pattern, policy: state.policy) {
        return GateVerdict(update: update, allowed: false, readiness: nil, reasons: [rewrite])
      }
      return try judgeProtected(update, pattern: pattern, now: now, state: state)
    } catch {
      return GateVerdict(
        update: update, allowed: false, readiness: nil,
        reasons: [
          "\(update.ref) is protected and could not be checked, so it stays closed: \(error)"
        ])
    }
  }

  /// A protected name that is a symbolic ref to a ref the policy does not protect: judging
  /// the push as that ref would let it through, judging it as the protected name would
  /// approve a ref that does not move. Neither is right, so it is refused.
  private func unprotectedTargetRefusal(_ update: RefUpdate, policy: Policy) -> String? {
    guard let pushed = update.pushedAs, let pattern = policy.protectingPattern(for: pushed),
      !policy.isProtected(update.ref)
    else { return nil }
    return
      "\(pushed) is protected (\(pattern)) but is a symbolic ref to \(update.ref) here, which the policy does not protect; "
      + "a push through it is refused. A policy-admin can protect \(update.ref) (git govern policy apply), or the server's admin can make \(pushed) a plain ref"
  }

  /// A protected tag never moves, and a protected branch only fast-forwards, unless the policy
  /// lists the ref in `allow_non_fast_forward`.
  private func rewriteRefusal(_ update: RefUpdate, pattern: RefPattern, policy: Policy) throws
    -> String?
  {
    guard let old = update.old, !old.isZero, old != update.new,
      !policy.nonFastForward.contains(where: { $0.matchesExactly(update.ref) })
    else { return nil }
    if update.ref.lowercased().hasPrefix("refs/tags/") {
      return
        "\(update.ref) is a protected tag and already points at \(old.hex.prefix(10)); tags do not move. Release under a new tag"
    }
    guard repository.objectExists(old) else { return nil }  // the range walk reports what is missing
    let oldCommit = try repository.peelToCommit(old)
    let newCommit = try repository.peelToCommit(update.new)
    if oldCommit != newCommit, try !repository.isDescendant(newCommit, of: oldCommit) {
      return
        "\(update.ref) is protected (\(pattern)) and this is not a fast-forward of \(old.hex.prefix(10)); "
        + "rewriting its history is not allowed (a policy-admin can list it in allow_non_fast_forward)"
    }
    return nil
  }

  private func judgeProtected(
    _ update: RefUpdate, pattern: RefPattern, now: Date, state: GovernanceState
  ) throws -> GateVerdict {
    let target = try repository.peelToCommit(update.new)
    // The range is walked only once a release for this commit and ref is found.
    let decision = try decide(
      target: target, ref: update.ref,
      range: {
        try update.old.map {
          try ReleaseRange.forUpdate(
            repository, target: target, ref: update.ref, old: $0, pattern: pattern,
            releasedBefore: state.releasedBefore)
        }
          ?? ReleaseRange.forRelease(
            repository, target: target, ref: update.ref, pattern: pattern,
            releasedBefore: state.releasedBefore)
      }, now: now, state: state)
    guard let readiness = decision.readiness else {
      let reasons = [
        "\(update.ref) is protected (\(pattern)) and no release was requested for \(target.hex.prefix(10)) to \(update.ref); "
          + "request one: git govern request \(target.hex.prefix(10)) --to \(update.ref)"
      ]
      return GateVerdict(
        update: update, allowed: false, readiness: nil, reasons: reasons + decision.problems)
    }
    if readiness.status != .blocked {
      return GateVerdict(
        update: update, allowed: true, readiness: readiness,
        reasons: readiness.warnings.map(\.message) + decision.problems)
    }
    // What did not count explains a block: an approval or exception left out, and why.
    let explained = readiness.warnings.filter { Self.explainsBlock.contains($0.name) }
    return GateVerdict(
      update: update, allowed: false, readiness: readiness,
      reasons: (readiness.blockers + explained).map(\.message) + decision.problems)
  }

  /// The one place a release is chosen for a (commit, ref) and judged: `check`, both hooks,
  /// `status`, `record-push` and the audit all come here. Every release whose signed request
  /// names exactly this commit, tree and ref is judged as of `now`; the newest one that is not
  /// blocked wins, else the one closest to passing. A rejection of any of them binds them all.
  /// `range` gives the release range for the ref (worked out only when a release exists);
  /// `contributors` and `unattributable`, when the caller read the range's commits already;
  /// `attribution`, the same for the range once it is worked out, when the caller holds its
  /// commits (nil from it: they are read here); `known`, releases whose records the caller
  /// read from `state` already.
  public func decide(
    target: OID, ref: String, range: () throws -> ReleaseRange, now: Date,
    state: GovernanceState, calendar: CalendarRecords? = nil, contributors: [Contributor]? = nil,
    unattributable: [String]? = nil,
    attribution: (ReleaseRange) throws -> RangeAttribution? = { _ in nil },
    known: [ReleaseRecords] = []
  ) throws -> ReleaseDecision {
    let catalog = ReleaseCatalog(state: state)
    let choices = try catalog.releases(for: target, ref: ref, known: known)
    var decision = ReleaseDecision(problems: choices.problems)
    guard !choices.releases.isEmpty else { return decision }
    let range = try range()
    // The range's commits are read once, for who wrote them and whether that can be told:
    // a commit whose identity git and libgit2 read differently cannot be attributed, so it
    // blocks whatever the records say.
    var appearances: [(OID, CommitIdentities)]?
    func readRange() throws -> [(OID, CommitIdentities)] {
      if let appearances { return appearances }
      let read = try range.firstAppearances(repository)
      appearances = read
      return read
    }
    let attributed = contributors == nil || unattributable == nil ? try attribution(range) : nil
    let contributors =
      try contributors ?? attributed?.contributors
      ?? ReleaseRange.contributors(of: readRange(), people: state.people)
    let unattributable =
      try unattributable ?? attributed?.unattributable
      ?? ReleaseRange.identityProblems(of: readRange())
    let calendar =
      try calendar
      ?? CalendarRecords.load(
        state, sinceMonth: String(Timestamp.format(now).prefix(7)),
        delegationsSinceMonth: DelegationRecords.firstMonth(
          for: choices.releases.map(\.records), now: now))
    // Rejections bind the (commit, ref): each release is judged with all of them.
    let rejections = choices.releases.flatMap(\.records.rejections)
    let withdrawals = choices.releases.flatMap(\.records.withdrawals)
    let evaluator = catalog.evaluator(now: now)
    for (records, request) in choices.releases {
      var facts = try catalog.facts(
        records, request: request, target: target, ref: ref, range: range, now: now,
        contributors: contributors, calendar: calendar)
      facts.rejections = rejections
      facts.withdrawals = withdrawals
      facts.unattributable = unattributable
      facts.pusher = pusher
      let readiness = evaluator.evaluate(facts)
      let better: Bool
      if let best = decision.readiness {
        better =
          best.status == .blocked
          && (readiness.status != .blocked || readiness.blockers.count < best.blockers.count)
      } else {
        better = true
      }
      if better {
        decision.readiness = readiness
        decision.facts = facts
        decision.records = records
      }
    }
    return decision
  }
}

/// Who wrote a release range's commits, as `people` resolves them, and why any of them cannot
/// be attributed (`ReleaseRange.identityProblem`): what the gate would read from the commits.
public struct RangeAttribution {
  public var contributors: [Contributor]
  public var unattributable: [String]
}

/// What the gate decided for a (commit, ref): the release chosen and its verdict, or none when
/// no release was requested for it; and the index entries it ignored, with why.
public struct ReleaseDecision {
  public var readiness: Readiness?
  public var facts: ReleaseFacts?
  public var records: ReleaseRecords?
  public var problems: [String]

  public init(
    readiness: Readiness? = nil, facts: ReleaseFacts? = nil, records: ReleaseRecords? = nil,
    problems: [String] = []
  ) {
    self.readiness = readiness
    self.facts = facts
    self.records = records
    self.problems = problems
  }

  public var allowed: Bool { readiness.map { $0.status != .blocked } ?? false }
}
