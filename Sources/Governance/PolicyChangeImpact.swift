/// What of a policy change can alter the verdict for one release: the rule that applies to
/// it, separation of duties, the evidence and change record its type needs, how long an
/// approval lasts, and (for a standard change) the templates. An approval or exception made
/// under an earlier policy keeps counting when none of these changed: a new freeze window,
/// a protected pattern elsewhere or an admin threshold is no reason to approve again.
extension Policy {
  /// The parts that differ from `earlier` for a release of this type and risk, in words;
  /// empty when the change does not touch how such a release is judged.
  public func changes(since earlier: Policy, type: ReleaseType, risk: Risk) -> [String] {
    var changed: [String] = []
    let now = rule(type: type, risk: risk)
    let then = earlier.rule(type: type, risk: risk)
    if now != then {
      changed.append(
        "the rule that applies (\(then.map(Self.describe) ?? "none") → \(now.map(Self.describe) ?? "none"))"
      )
    }
    let duties: [(String, Bool, Bool)] = [
      ("requester_may_approve", earlier.requesterMayApprove, requesterMayApprove),
      ("authors_may_approve", earlier.authorsMayApprove, authorsMayApprove),
      ("pusher_may_be_sole_approver", earlier.pusherMaySoleApprove, pusherMaySoleApprove),
      ("signed_commits", earlier.signedCommits, signedCommits),
      (
        "requester_may_raise_exception", earlier.requesterMayRaiseException,
        requesterMayRaiseException
      ),
      ("authors_may_raise_exception", earlier.authorsMayRaiseException, authorsMayRaiseException),
    ]
    for (name, before, after) in duties where before != after {
      changed.append("separation_of_duties.\(name) (\(before) → \(after))")
    }
    if (earlier.evidenceRequired[type] ?? []) != (evidenceRequired[type] ?? []) {
      changed.append("the evidence a \(type.rawValue) release needs")
    }
    if earlier.changeRequired.contains(type) != changeRequired.contains(type) {
      changed.append("whether a \(type.rawValue) release must name a change record")
    }
    if earlier.approvalTTL != approvalTTL { changed.append("approval_ttl") }
    if earlier.recertifyEvery != recertifyEvery { changed.append("recertify_every") }
    if earlier.emergency != emergency { changed.append("the emergency section") }
    if earlier.owners != owners { changed.append("the owners section") }
    if type == .standard, earlier.standardChanges != standardChanges {
      changed.append("standard_changes")
    }
    return changed
  }

  private static func describe(_ rule: ApprovalRule) -> String {
    let roles = rule.roles.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    return "\"\(rule.name)\": \(rule.approvals) approval\(rule.approvals == 1 ? "" : "s")"
      + (roles.isEmpty ? "" : ", roles {\(roles.joined(separator: ", "))}")
  }
}
