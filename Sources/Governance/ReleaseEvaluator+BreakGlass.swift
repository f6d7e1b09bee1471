import Foundation

/// Freezes, exceptions and their obligations, evidence, change records and incidents.
extension ReleaseEvaluator {
  /// A break-glass exception that has enough signers of the emergency roles.
  public struct EffectiveException: Sendable {
    public var kind: ExceptionKind
    public var signers: [String]
    /// When the last needed signature was made: obligations run from here.
    public var since: Date
  }

  public func effectiveException(_ facts: ReleaseFacts) -> (EffectiveException?, [Check]) {
    guard !facts.exceptions.isEmpty else { return (nil, []) }
    guard let rule = policy.emergency else {
      return (
        nil,
        [
          Check(
            "exception", .warn,
            "exceptions were raised, but the policy has no `emergency:` section, so none counts")
        ]
      )
    }
    var checks: [Check] = []
    var counted: [ExceptionKind: [String: (Person, Date)]] = [:]
    for exception in facts.exceptions {
      let record = exception.record
      let who = exception.signer.id
      var reason: String?
      if record.target != facts.target || record.ref != facts.ref {
        reason = "\(who)'s exception is for \(short(record.target)) to \(record.ref), not this push"
      } else if let changed = policyChanges(since: record.policy, facts: facts), !changed.isEmpty {
        reason =
          "\(who)'s exception was raised under an earlier policy; since then \(changed.joined(separator: ", ")) changed"
      } else if let disqualified = exceptionDisqualification(of: exception.signer, for: facts) {
        reason = disqualified
      } else if let created = Timestamp.parse(record.created) {
        if created.timeIntervalSince(now) > Self.clockSkew {
          reason = "\(who)'s exception is dated in the future"
        } else if now.timeIntervalSince(
          facts.countsFrom(exception.path, created: record.created) ?? created)
          > TimeInterval(policy.approvalTTL ?? 86400)
        {
          reason = "\(who)'s exception of \(record.created) has expired"
        } else if counted[record.exception]?[who] == nil {
          counted[record.exception, default: [:]][who] = (exception.signer, created)
        }
      }
      if let reason { checks.append(Check("exception", .warn, "not counted: \(reason)")) }
    }
    // An emergency exception also counts towards a freeze override, never the other way round.
    let emergency = counted[.emergency] ?? [:]
    let freezeOverride = (counted[.freezeOverride] ?? [:]).merging(emergency) { first, _ in first }
    for (kind, signers) in [
      (ExceptionKind.emergency, emergency), (.freezeOverride, freezeOverride),
    ] {
      guard !signers.isEmpty, meets(rule, signers.values.map { counting($0.0, facts) }) else {
        continue
      }
      let since = signers.values.map(\.1).max() ?? now
      return (EffectiveException(kind: kind, signers: signers.keys.sorted(), since: since), checks)
    }
    if let pending = counted.first {
      let people = pending.value.keys.sorted().joined(separator: ", ")
      checks.append(
        Check(
          "exception", .warn,
          "the \(pending.key.rawValue) exception signed by \(people) needs \(rule.approvals) signer\(rule.approvals == 1 ? "" : "s") "
            + "of the emergency roles; another can run `git govern exception \(facts.request.record.release) --kind \(pending.key.rawValue) --reason \"…\"`"
        ))
    }
    return (nil, checks)
  }

  /// Why an exception `signer` would sign for this release would not count, in words; nil when
  /// it would. The separation of duties applies to breaking glass as to approving.
  public func exceptionDisqualification(of signer: Person, for facts: ReleaseFacts) -> String? {
    guard let rule = policy.emergency else {
      return "the policy has no `emergency:` section, so no exception counts"
    }
    if signer.hasRole(PushReceipt.serverRole) {
      return
        "\(signer.id) is the server's identity (role \(PushReceipt.serverRole)), which signs push receipts and never raises exceptions"
    }
    if !rule.maySign(signer) {
      return
        "\(signer.id) does not hold an emergency role (\(rule.signingRoles.sorted().joined(separator: ", ")))"
    }
    if !policy.requesterMayRaiseException, signer.id == facts.request.signer.id {
      return
        "\(signer.id) requested this release, and the policy does not let a requester raise an exception to it (requester_may_raise_exception: false)"
    }
    if !policy.authorsMayRaiseException,
      let commit = facts.contributors.first(where: { $0.person == signer.id })
    {
      return
        "\(signer.id) authored or committed \(short(commit.commit)) in the release range (as \(commit.email)), "
        + "and the policy does not let authors raise an exception to it (authors_may_raise_exception: false)"
    }
    return nil
  }

  /// People who could sign an exception that counts for this release.
  public func exceptionSigners(_ facts: ReleaseFacts) -> [Person] {
    people.persons.filter {
      !$0.usableKeys(at: now).isEmpty && exceptionDisqualification(of: $0, for: facts) == nil
    }
  }

  private func meets(_ rule: EmergencyRule, _ signers: [Person]) -> Bool {
    signers.count >= rule.approvals
      && rule.roles.allSatisfy { role, needed in signers.filter { $0.hasRole(role) }.count >= needed
      }
  }

  func freezeChecks(_ facts: ReleaseFacts, exception: EffectiveException?) -> [Check] {
    let freeze =
      knownFreeze?.occurrence(policy: policy.freezes, adHoc: facts.adHocFreezes, at: now)
      ?? FreezeCalendar(policy: policy.freezes, adHoc: facts.adHocFreezes).occurrence(at: now)
    guard let freeze else { return [] }
    if let exception {
      return [
        Check(
          "freeze", .warn,
          "\(facts.ref) is \(freeze.frozenUntilDescription), overridden by the \(exception.kind.rawValue) exception of "
            + exception.signers.joined(separator: ", "))
      ]
    }
    let signers = exceptionSigners(facts).map(\.id)
    let who =
      policy.emergency == nil
      ? "The policy has no `emergency:` section, so only waiting helps"
      : (signers.isEmpty
        ? "Nobody holds an emergency role; a policy-admin must register someone"
        : "\(list(signers)) can run: git govern exception \(facts.request.record.release) --kind freeze-override --reason \"…\"")
    return [Check("freeze", .blocker, "\(facts.ref) is \(freeze.frozenUntilDescription). \(who)")]
  }

  func evidenceChecks(_ facts: ReleaseFacts, type: ReleaseType) -> [Check] {
    let request = facts.request.record
    let needed = policy.evidenceRequired[type] ?? []
    guard !needed.isEmpty else { return [] }
    let attestedOnly = Set(policy.attestations.requiredFor)
    // An attested kind counts only from a builder's statement (one that failed to verify is
    // not in `facts.evidence` at all); a person's own file hash does not stand for it.
    let present = Set(
      facts.evidence.filter {
        $0.record.target == facts.target
          && ($0.record.attestation != nil || !attestedOnly.contains($0.record.evidence))
      }.map(\.record.evidence))
    let missing = needed.filter { !present.contains($0) }
    if missing.isEmpty {
      return [Check("evidence", .pass, "evidence present: \(needed.joined(separator: ", "))")]
    }
    return missing.map {
      attestedOnly.contains($0)
        ? Check(
          "evidence", .blocker,
          "\(type.rawValue) releases need \($0) evidence attested by a registered builder; add the build's statement: git govern evidence \(request.release) --attestation <file.intoto.jsonl>"
        )
        : Check(
          "evidence", .blocker,
          "\(type.rawValue) releases need \($0) evidence; add it: git govern evidence \(request.release) --kind \($0) --file <file> (or --url <url>)"
        )
    }
  }

  func changeChecks(_ facts: ReleaseFacts, type: ReleaseType) -> [Check] {
    let request = facts.request.record
    guard policy.changeRequired.contains(type) else { return [] }
    if let change = request.change, !change.isEmpty {
      return [Check("change", .pass, "implements change \(change)")]
    }
    return [
      Check(
        "change", .blocker,
        "\(type.rawValue) releases must name a change record; request it again with it: "
          + "git govern request \(short(facts.target)) --to \(facts.ref) --change <id>")
    ]
  }

  func incidentChecks(_ facts: ReleaseFacts) -> [Check] {
    let linked = facts.request.record.incident
    return facts.openIncidents.sorted(by: { $0.key < $1.key }).compactMap { id, title in
      if id == linked { return Check("incident", .pass, "fixes open incident \(id) (\(title))") }
      return Check(
        "incident", .blocker,
        "incident \(id) (\(title)) is open: only releases requested with --incident \(id) may go out until it is closed "
          + "(git govern incident close \(id))")
    }
  }

  /// Obligations an emergency opens: post-deploy validation evidence, and a review by someone
  /// other than the requester, each with a deadline. They do not block this push; they warn here
  /// and are audit findings when late.
  public func obligations(_ facts: ReleaseFacts, exception: EffectiveException) -> [Check] {
    let release = facts.request.record.release
    let requester = facts.request.signer.id
    return emergencyObligations(facts, exception: exception).map { obligation in
      let state = obligation.isOverdue(at: now) ? "OVERDUE since" : "due by"
      switch (obligation.kind, obligation.discharged) {
      case (.validation, let done?):
        return Check(
          "obligations", .pass, "validation evidence recorded by \(done.by) at \(done.at)")
      case (.validation, nil):
        return Check(
          "obligations", .warn,
          "post-deploy validation \(state) \(Timestamp.format(obligation.due)): git govern evidence \(release) --kind validation --file <report>"
        )
      case (.review, let done?):
        return Check(
          "obligations", .pass,
          "retrospective review by \(done.by) (\(done.outcome ?? ""))")
      case (.review, nil):
        return Check(
          "obligations", .warn,
          "retrospective review \(state) \(Timestamp.format(obligation.due)), by someone other than \(requester): "
            + "git govern review \(release) --outcome ok|issues --notes \"…\"")
      }
    }
  }

  /// The obligations an emergency exception opened, each with its deadline and what
  /// discharged it; none for other exceptions or without the policy's `emergency` section.
  public func emergencyObligations(_ facts: ReleaseFacts, exception: EffectiveException)
    -> [Obligation]
  {
    guard exception.kind == .emergency, let rule = policy.emergency else { return [] }
    let start = obligationStart(facts, exception: exception)
    var obligations: [Obligation] = []
    if let within = rule.validationWithin {
      obligations.append(
        Obligation(
          kind: .validation, due: within.end(from: start, calendar: policy.calendar),
          discharged: validation(facts).map { ($0.signer.id, $0.record.created, nil) }))
    }
    if let within = rule.reviewWithin {
      obligations.append(
        Obligation(
          kind: .review, due: within.end(from: start, calendar: policy.calendar),
          discharged: retrospective(facts).map {
            ($0.signer.id, $0.record.created, $0.record.outcome.rawValue)
          }))
    }
    return obligations
  }

  /// Deadlines run from the push when the server receipted one, else from the exception.
  public func obligationStart(_ facts: ReleaseFacts, exception: EffectiveException) -> Date {
    facts.receipts.compactMap { Timestamp.parse($0.record.created) }.min() ?? exception.since
  }

  /// The evidence that discharges post-deploy validation.
  public func validation(_ facts: ReleaseFacts) -> Signed<Evidence>? {
    facts.evidence.first { $0.record.evidence == "validation" }
  }

  /// The review that discharges the retrospective: by someone other than the requester.
  public func retrospective(_ facts: ReleaseFacts) -> Signed<ReleaseReview>? {
    facts.reviews.first { $0.signer.id != facts.request.signer.id }
  }

  func list(_ names: [String]) -> String {
    names.count <= 1
      ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
  }
}
