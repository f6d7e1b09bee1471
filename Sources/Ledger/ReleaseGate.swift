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

  public init(ref: String, old: OID?, new: OID) {
    self.ref = ref
    self.old = old
    self.new = new
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
  public let ledger: Ledger
  /// Who is pushing, as the forge says (`GIT_GOVERN_PUSHER`).
  public let pusher: String?

  public init(repository: Repository, ledger: Ledger, pusher: String? = nil) {
    self.repository = repository
    self.ledger = ledger
    self.pusher = pusher
  }

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

  /// A protected tag never moves, and a protected branch only fast-forwards, unless the policy
  /// lists the ref in `allow_non_fast_forward`.
  private func rewriteRefusal(_ update: RefUpdate, pattern: RefPattern, policy: Policy) throws
    -> String?
  {
    guard let old = update.old, !old.isZero, old != update.new,
      !policy.nonFastForward.contains(where: { $0.matches(update.ref) })
    else { return nil }
    if update.ref.hasPrefix("refs/tags/") {
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
    let catalog = ReleaseCatalog(state: state)
    var candidates: [(ReleaseRecords, Signed<ReleaseRequest>)] = []
    var problems: [String] = []
    for id in try catalog.releaseIDs(forTarget: target) {
      let records = try catalog.records(of: id)
      if let request = records.request, request.record.target == target.hex,
        request.record.ref == update.ref
      {
        candidates.append((records, request))
      } else if records.request == nil {
        problems += records.problems.map { "\($0.path): \($0.message)" }
      }
    }
    guard !candidates.isEmpty else {
      var reasons = [
        "\(update.ref) is protected (\(pattern)) and no release was requested for \(target.hex.prefix(10)) to \(update.ref); "
          + "request one: git govern request \(target.hex.prefix(10)) --to \(update.ref)"
      ]
      reasons += problems
      return GateVerdict(update: update, allowed: false, readiness: nil, reasons: reasons)
    }
    let range =
      try update.old.map {
        try ReleaseRange.forUpdate(
          repository, target: target, ref: update.ref, old: $0, pattern: pattern)
      }
      ?? ReleaseRange.forRelease(repository, target: target, ref: update.ref, pattern: pattern)
    let evaluator = catalog.evaluator(now: now)
    var best: Readiness?
    for (records, request) in candidates.sorted(by: { $0.1.record.created > $1.1.record.created }) {
      var facts = try catalog.facts(
        records, request: request, target: target, ref: update.ref, range: range, now: now)
      facts.pusher = pusher
      let readiness = evaluator.evaluate(facts)
      if readiness.status != .blocked {
        return GateVerdict(
          update: update, allowed: true, readiness: readiness,
          reasons: readiness.warnings.map(\.message))
      }
      if best == nil || readiness.blockers.count < best!.blockers.count { best = readiness }
    }
    return GateVerdict(
      update: update, allowed: false, readiness: best,
      reasons: best.map { $0.blockers.map(\.message) + $0.uncountedApprovals } ?? [])
  }
}
