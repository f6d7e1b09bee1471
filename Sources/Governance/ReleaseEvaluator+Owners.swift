/// Path owners (`owners:`): each group of changed paths needs approvals from its owners, on
/// top of the rule's. The paths are worked out by the ledger from the commits (facts, not
/// claims); who owns them comes from the signed policy; an approval counts for a group only if
/// it counts at all (`reasonNotCounted`: right commit, tree, ref and policy, and separation of
/// duties, so an owner who wrote a commit of the range or requested the release does not count
/// for any path when the policy's separation of duties says so).
extension ReleaseEvaluator {
  /// How many paths a message names before it counts the rest.
  static let pathsNamed = 3

  public func ownerChecks(_ facts: ReleaseFacts) -> [Check] {
    let owners = policy.owners
    guard !owners.isEmpty else { return [] }
    guard let changed = facts.changedPaths else {
      // Fail closed: the policy names owners the ledger could not check.
      return [
        Check(
          "owners", .blocker,
          "the policy names path owners, but the paths this release changes could not be worked out "
            + "(its range merges in more than 64 bases); release in smaller steps")
      ]
    }
    let counted = countedApprovals(facts).counted
    let taken = Set(counted.map(\.seat.id) + counted.map(\.approval.signer.id))
    let release = facts.request.record.release
    var blockers: [Check] = []
    var passed: [String] = []
    for (rule, paths) in owners.groups(for: changed) {
      let have = counted.filter { rule.owns($0.seat) }.map(\.label)
      if have.count >= rule.approvals {
        passed.append("\(rule.groupText) (\(have.joined(separator: ", ")))")
        continue
      }
      let needed = rule.approvals - have.count
      let candidates = eligible(facts, excluding: taken).filter(rule.owns)
      let standIns = standIns(facts, excluding: taken).filter { rule.owns($0.seat) }
      let named = paths.prefix(Self.pathsNamed).joined(separator: ", ")
      let more = paths.count > Self.pathsNamed ? " and \(paths.count - Self.pathsNamed) more" : ""
      let sofar = have.isEmpty ? "" : "; counted so far: \(have.joined(separator: ", "))"
      blockers.append(
        Check(
          "owners", .blocker,
          "\(rule.groupText) (\(rule.ownersText)) must approve: \(paths.count) changed path\(paths.count == 1 ? "" : "s") "
            + "(\(named)\(more)) need\(paths.count == 1 ? "s" : "") \(needed) more owner approval\(needed == 1 ? "" : "s")"
            + "\(sofar): " + offer(candidates, standIns: standIns, release: release, role: nil)))
    }
    if !blockers.isEmpty { return blockers }
    guard !passed.isEmpty else {
      return [Check("owners", .pass, "no changed path has owners")]
    }
    return [Check("owners", .pass, "approved by \(passed.joined(separator: "; "))")]
  }

  /// Under an emergency exception the rule's approvals, owners' included, are replaced by the
  /// exception; said so the verdict shows what was skipped.
  func emergencyOwnerNote(_ facts: ReleaseFacts) -> [Check] {
    guard !policy.owners.isEmpty else { return [] }
    return [
      Check(
        "owners", .warn,
        "emergency: path owners' approvals are replaced by the exception, like the rule's; the review after it covers them"
      )
    ]
  }

}
