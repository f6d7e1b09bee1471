import Foundation

/// Turns the facts about a release into a verdict under a policy. Pure: no I/O, no clock of
/// its own; `now` is given.
public struct ReleaseEvaluator: Sendable {
  public var policy: Policy
  /// Blob OID of the policy in force; approvals made under another one do not count.
  public var policyBlob: String
  public var people: People
  public var now: Date
  /// The freeze at `now`, when the caller worked it out for many evaluations; used only if it
  /// was worked out for this policy and the facts' ad-hoc freezes.
  public var knownFreeze: KnownFreeze?

  /// How far ahead of `now` a record's time may be before it is treated as backdating's twin.
  public static let clockSkew: TimeInterval = 300

  public init(policy: Policy, policyBlob: String, people: People, now: Date) {
    self.policy = policy
    self.policyBlob = policyBlob
    self.people = people
    self.now = now
  }

  public func evaluate(_ facts: ReleaseFacts) -> Readiness {
    let request = facts.request.record
    var checks: [Check] = []
    checks += facts.problems.map {
      Check("records", .blocker, "\($0.path): \($0.message)")
    }
    checks += facts.calendarProblems.map {
      Check("calendar", .warn, "\($0.path) \($0.message); it does not count")
    }
    checks += facts.delegationProblems.map {
      Check("delegation", .warn, "\($0.path) \($0.message); it does not count")
    }
    checks += facts.recertificationProblems.map {
      Check("recertification", .warn, "\($0.path) \($0.message); it does not count")
    }
    checks += facts.unattributable.map { Check("identity", .blocker, $0) }
    checks += requestChecks(facts)
    checks += lifecycleChecks(facts)
    let (type, typeCheck) = judgedType(facts)
    checks += typeCheck.map { [$0] } ?? []
    guard let rule = policy.rule(type: type, risk: request.risk) else {
      checks.append(
        Check(
          "rule", .blocker,
          "no rule of the policy applies to a \(type.rawValue) change of \(request.risk.rawValue) risk; "
            + "a policy-admin can add a rule without `when:` as the last one (git govern policy apply)"
        ))
      return Readiness(
        release: request.release, target: facts.target, ref: facts.ref, checks: checks)
    }
    checks.append(
      Check(
        "rule", .pass,
        "rule \"\(rule.name)\" applies (\(type.rawValue), \(request.risk.rawValue) risk)"))
    checks += rejectionChecks(facts)
    let (exception, exceptionChecks) = effectiveException(facts)
    checks += exceptionChecks
    checks += freezeChecks(facts, exception: exception)
    checks += promotionChecks(facts, exception: exception)
    checks += incidentChecks(facts)
    checks += changeChecks(facts, type: type)
    checks += evidenceChecks(facts, type: type)
    checks += authorshipChecks(facts)
    if let exception, exception.kind == .emergency {
      checks.append(
        Check(
          "approvals", .warn,
          "emergency: the rule's approvals are replaced by the exception signed by \(exception.signers.joined(separator: ", "))"
        ))
      checks += obligations(facts, exception: exception)
      checks += emergencyOwnerNote(facts)
    } else {
      checks += approvalChecks(facts, rule: rule)
      checks += ownerChecks(facts)
    }
    return Readiness(release: request.release, target: facts.target, ref: facts.ref, checks: checks)
  }

  private func requestChecks(_ facts: ReleaseFacts) -> [Check] {
    let request = facts.request.record
    var checks: [Check] = []
    if request.target != facts.target {
      checks.append(
        Check(
          "request", .blocker,
          "release \(request.release) is for commit \(short(request.target)), not \(short(facts.target)); "
            + "request this commit: git govern request \(short(facts.target)) --to \(facts.ref)"))
    } else if request.ref != facts.ref {
      checks.append(
        Check(
          "request", .blocker,
          "release \(request.release) is for \(request.ref), not \(facts.ref); "
            + "request this ref: git govern request \(short(facts.target)) --to \(facts.ref)"))
    } else if request.tree != facts.targetTree {
      checks.append(
        Check(
          "request", .blocker,
          "release \(request.release) names tree \(short(request.tree)) but the commit has \(short(facts.targetTree))"
        ))
    } else {
      checks.append(
        Check(
          "request", .pass,
          "requested by \(facts.request.signer.id) for \(short(request.target)) to \(request.ref)"))
    }
    return checks
  }

  /// A rejection binds its (commit, ref): asking again in a new release of the same commit
  /// does not get past it. It stands until withdrawn (`standingRejections`).
  private func rejectionChecks(_ facts: ReleaseFacts) -> [Check] {
    let release = facts.request.record.release
    return standingRejections(facts).map { rejection in
      let which =
        rejection.record.release == release
        ? "this release"
        : "commit \(short(facts.target)) to \(facts.ref) (in \(rejection.record.release))"
      return Check(
        "rejections", .blocker,
        "\(rejection.signer.id) rejected \(which): \"\(rejection.record.reason)\". Fix it and request the new commit "
          + "(git govern request <rev> --to \(facts.ref)), or \(rejection.signer.id) can withdraw the rejection: "
          + "git govern withdraw \(rejection.record.release) --reason \"…\"")
    }
  }

  /// Rejections of this commit and ref not withdrawn by their rejecter, nor by as many
  /// policy-admins as a policy change needs.
  public func standingRejections(_ facts: ReleaseFacts) -> [Signed<Rejection>] {
    facts.rejections.filter { rejection in
      guard rejection.record.target == facts.target, rejection.record.ref == facts.ref else {
        return false
      }
      let name = rejection.path.split(separator: "/").last.map(String.init) ?? rejection.path
      let withdrawals = facts.withdrawals.filter {
        $0.record.release == rejection.record.release && $0.record.rejection == name
      }
      if withdrawals.contains(where: { $0.signer.id == rejection.signer.id }) { return false }
      let admins = Set(withdrawals.filter { $0.signer.hasRole("policy-admin") }.map(\.signer.id))
      return admins.count < policy.adminApprovals
    }
  }

  /// Why `approver` would not count for this release, in words; nil when they would count.
  public func disqualification(of approver: Person, for facts: ReleaseFacts) -> String? {
    if approver.hasRole(PushReceipt.serverRole) {
      return
        "\(approver.id) is the server's identity (role \(PushReceipt.serverRole)), which signs push receipts and never approves"
    }
    if !policy.requesterMayApprove, approver.id == facts.request.signer.id {
      return
        "\(approver.id) requested this release, and the policy does not let a requester approve their own release"
    }
    if !policy.authorsMayApprove,
      let commit = facts.contributors.first(where: { $0.person == approver.id })
    {
      let how = commit.contribution == .signed ? "with key" : "as"
      return
        "\(approver.id) \(commit.contribution.rawValue) \(short(commit.commit)) in the release range (\(how) \(commit.email)), "
        + "and the policy does not let authors approve"
    }
    return nil
  }

  /// What changed since the policy `blob` for this release: nil when it is the policy in force,
  /// empty when the change does not touch how this release is judged. A policy this
  /// repository does not hold counts as changed throughout.
  func policyChanges(since blob: String, facts: ReleaseFacts) -> [String]? {
    guard blob != policyBlob else { return nil }
    guard let earlier = facts.earlierPolicies[blob] else {
      return ["the policy (\(short(blob)) is not one this repository holds)"]
    }
    return policy.changes(
      since: earlier, type: judgedType(facts).0, risk: facts.request.record.risk)
  }

  /// Why this approval record does not count, or nil when it does.
  func reasonNotCounted(_ approval: Signed<Approval>, facts: ReleaseFacts) -> String? {
    let record = approval.record
    let who = approval.signer.id
    if record.target != facts.target {
      return "\(who) approved commit \(short(record.target)), not \(short(facts.target))"
    }
    if record.tree != facts.targetTree {
      return "\(who) approved tree \(short(record.tree)), not \(short(facts.targetTree))"
    }
    if record.ref != facts.ref {
      return "\(who) approved a release to \(record.ref), not \(facts.ref)"
    }
    if let changed = policyChanges(since: record.policy, facts: facts), !changed.isEmpty {
      return
        "\(who) approved under an earlier policy (\(short(record.policy))); since then \(changed.joined(separator: ", ")) changed, so \(who) must approve again"
    }
    guard let created = Timestamp.parse(record.created) else {
      return "\(who)'s approval has an unreadable time"
    }
    if created.timeIntervalSince(now) > Self.clockSkew {
      return "\(who)'s approval is dated \(record.created), in the future"
    }
    let since = facts.countsFrom(approval.path, created: record.created) ?? created
    if let ttl = policy.approvalTTL, now.timeIntervalSince(since) > TimeInterval(ttl) {
      let when =
        facts.acceptedAt[approval.path] != nil
        ? "accepted by the server at \(Timestamp.format(since))" : "of \(record.created)"
      return
        "\(who)'s approval \(when) expired after \(DurationText.text(fromSeconds: ttl)) (approval_ttl)"
    }
    return disqualification(of: approval.signer, for: facts)
      ?? delegationProblem(approval, facts: facts)
  }

  private func approvalChecks(_ facts: ReleaseFacts, rule: ApprovalRule) -> [Check] {
    let (counted, warnings) = countedApprovals(facts)
    var checks = warnings.map { Check("approvals", .warn, $0) }
    checks += counted.flatMap { lapsedRoleChecks($0.seat.id, $0.lapsed) }
    for place in counted where place.approval.record.policy != policyBlob {
      checks.append(
        Check(
          "approvals", .warn,
          "\(place.label) approved under an earlier policy (\(short(place.approval.record.policy))); it still counts: "
            + "the change since touches nothing that judges this release (its rule, separation of duties, evidence)"
        ))
    }
    let approvers = counted.map(\.seat)
    // Neither a place filled nor a person who counts is offered again.
    let taken = Set(counted.map(\.seat.id) + counted.map(\.approval.signer.id))
    let release = facts.request.record.release
    var missing: [String] = []
    let totalShort = rule.approvals - approvers.count
    for (role, needed) in rule.roles.sorted(by: { $0.key < $1.key }) {
      let have = approvers.filter { $0.hasRole(role) }.count
      if have < needed {
        let candidates = eligible(facts, excluding: taken).filter { $0.hasRole(role) }
        let standIns = standIns(facts, excluding: taken).filter { $0.seat.hasRole(role) }
        missing.append(
          "needs \(needed - have) more approval\(needed - have == 1 ? "" : "s") with role \(role): "
            + offer(candidates, standIns: standIns, release: release, role: role)
            + lapsedHolders(of: role, facts, excluding: taken))
      }
    }
    if totalShort > 0 {
      missing.insert(
        "needs \(totalShort) more approval\(totalShort == 1 ? "" : "s") (rule \"\(rule.name)\" wants \(rule.approvals), "
          + "has \(approvers.count)): "
          + offer(
            eligible(facts, excluding: taken), standIns: standIns(facts, excluding: taken),
            release: release, role: nil), at: 0)
    }
    if missing.isEmpty, !policy.pusherMaySoleApprove, counted.count == 1 {
      missing += soleApproverProblem(facts, approver: counted[0], counted: taken)
    }
    if missing.isEmpty {
      let names = counted.map(\.label)
      let summary =
        names.isEmpty
        ? "no approval needed by rule \"\(rule.name)\""
        : "approved by \(names.joined(separator: ", "))"
      checks.append(Check("approvals", .pass, summary))
    } else {
      checks += missing.map { Check("approvals", .blocker, $0) }
    }
    if let ttl = policy.approvalTTL {
      let warnWithin = min(TimeInterval(ttl) / 4, 86400)
      for approval in counted.map(\.approval) {
        guard let created = facts.countsFrom(approval.path, created: approval.record.created)
        else { continue }
        let expiry = created.addingTimeInterval(TimeInterval(ttl))
        if expiry.timeIntervalSince(now) < warnWithin {
          checks.append(
            Check(
              "approval_ttl", .warn,
              "\(approval.signer.id)'s approval expires at \(Timestamp.format(expiry)); push before then or ask for a fresh approval"
            ))
        }
      }
    }
    return checks
  }

  /// With `pusher_may_be_sole_approver: false` and one approver, the count depends on who is
  /// pushing: it fails closed when nobody says who, or the pusher is not a registered person.
  private func soleApproverProblem(
    _ facts: ReleaseFacts, approver only: CountedApproval, counted: Set<String>
  )
    -> [String]
  {
    let release = facts.request.record.release
    let approver = only.seat
    let rule = "pusher_may_be_sole_approver: false"
    guard let pusher = facts.pusher, !pusher.isEmpty else {
      return [
        "nobody says who is pushing, and the policy does not let the pusher be the only approver (\(rule)), "
          + "so \(approver.id)'s approval alone is not enough: on the server the forge must set GIT_GOVERN_PUSHER "
          + "(or its own GITEA_PUSHER_NAME, GL_USERNAME, GL_USER or REMOTE_USER) for the hooks; with plain sshd, per key in "
          + "authorized_keys: environment=\"GIT_GOVERN_PUSHER=<principal>\" or a forced command (README, \"On the server\"); "
          + "or a second approval makes it not matter: "
          + offer(eligible(facts, excluding: counted), release: release, role: nil)
      ]
    }
    guard let pushing = people[pusher] ?? people.person(email: pusher) else {
      return [
        "the pusher \"\(pusher)\" is not a registered person, so the policy's \(rule) cannot be checked; "
          + "the forge's pusher name must be a principal or email in people.yml (a policy-admin can run: "
          + "git govern identity add), or a second approval makes it not matter: "
          + offer(eligible(facts, excluding: counted), release: release, role: nil)
      ]
    }
    // A delegate who pushes what they approved in another's place is still the only approver.
    guard approver.id == pushing.id || only.approval.signer.id == pushing.id else { return [] }
    let others = eligible(facts, excluding: counted).filter { $0.id != pushing.id }
    let standIns = standIns(facts, excluding: counted.union([pushing.id]))
    return [
      "\(pushing.id) is pushing and is the only approver (\(only.label)), which the policy forbids (\(rule)): "
        + offer(others, standIns: standIns, release: release, role: nil)
    ]
  }

  /// People who could still approve: registered with a key, not disqualified, not counted yet.
  func eligible(_ facts: ReleaseFacts, excluding already: Set<String>) -> [Person] {
    people.persons.filter { person in
      !person.keys.isEmpty && !already.contains(person.id) && !person.usableKeys(at: now).isEmpty
        && disqualification(of: person, for: facts) == nil
    }.map { counting($0, facts) }
  }

  func offer(_ candidates: [Person], standIns: [StandIn] = [], release: String, role: String?)
    -> String
  {
    let delegated = standIns.isEmpty ? "" : standInOffers(standIns, release: release)
    guard !candidates.isEmpty else {
      guard standIns.isEmpty else { return delegated }
      let who = role.map { "with role \($0) " } ?? ""
      return
        "nobody \(who)is left who may approve; a policy-admin must register someone (git govern identity add)"
    }
    let names = candidates.map(\.id)
    let list =
      names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
    return "\(list) can run `git govern approve \(release)`"
      + (delegated.isEmpty ? "" : "; or \(delegated)")
  }
}

func short(_ oid: String) -> String { String(oid.prefix(10)) }
