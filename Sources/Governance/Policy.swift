/// The rules in force, as read from `policy.yml` (version 1).
public struct Policy: Sendable, Equatable {
  public var version: Int
  public var protected: [RefPattern]
  public var rules: [ApprovalRule]
  public var requesterMayApprove: Bool
  public var authorsMayApprove: Bool
  /// Seconds an approval keeps counting; nil means it never expires.
  public var approvalTTL: Int?
  /// How many `policy-admin` signatures a change to `policy.yml` or `people.yml` needs.
  public var adminApprovals: Int
  /// Freeze windows (`freezes:`); none unless the policy declares some.
  public var freezes: FreezePolicy
  /// Evidence kinds a release of each type needs (`evidence:`).
  public var evidenceRequired: [ReleaseType: [String]] = [:]
  /// Which attested predicate types count as which evidence kind (`attestations:`).
  public var attestations = AttestationPolicy()
  /// Release types that must name a change record (`require_change:`).
  public var changeRequired: Set<ReleaseType> = []
  /// The break-glass path (`emergency:`); without it no exception can be raised.
  public var emergency: EmergencyRule?
  /// How long after the push a closeout is due (`closeout_within`).
  public var closeoutWithin: PolicyDuration?
  /// Working days, hours and holidays (`calendar:`), for business durations and
  /// `freezes.holidays`; nil when the policy names none.
  public var calendar: BusinessCalendar?
  /// Seconds a closeout must keep records and artifacts at least (`retention_min`).
  public var retentionMin: Int?
  /// Who approves retention reviews and who sets and lifts legal holds (`retention:`).
  public var retentionRoles = RetentionRoles()
  /// Whether the person pushing (`GIT_GOVERN_PUSHER`) may be a release's only approver.
  public var pusherMaySoleApprove = true
  /// Whether every commit of a release range must carry a valid signature by a key registered
  /// in people.yml (`separation_of_duties.signed_commits`); its signer then counts as a
  /// contributor beside the author and committer, who are only what the commit claims.
  public var signedCommits = false
  /// Protected refs that may move by a non-fast-forward update (still only with a ready release).
  public var nonFastForward: [RefPattern] = []
  /// Whether the requester may sign an exception to their own release
  /// (`separation_of_duties.requester_may_raise_exception`).
  public var requesterMayRaiseException = false
  /// Whether an author or committer of the range may sign an exception to it
  /// (`separation_of_duties.authors_may_raise_exception`).
  public var authorsMayRaiseException = false
  /// The pre-approved change templates (`standard_changes:`): a release requested as
  /// `standard` counts as one only if it fits one of them.
  public var standardChanges: [StandardChange] = []
  /// Roles whose holders may open and close incidents (`incidents.declare`).
  public var incidentDeclarers = Policy.defaultIncidentDeclarers
  /// Roles whose holders may declare and cancel ad-hoc freezes (`freezes.declare`).
  public var freezeDeclarers = Policy.defaultFreezeDeclarers

  /// Roles whose holders may close out any release (`closeout_roles`), beside its requester
  /// and the policy-admins: a closeout ends a release, so not everyone may sign one.
  public var closeoutRoles = Policy.defaultCloseoutRoles

  /// Who must approve changes to which paths (`owners:`), beside the rule's approvals.
  public var owners = PathOwners()

  /// Seconds a role keeps counting for approvals and exceptions after a policy-admin last
  /// recertified it (`recertify_every`); nil: roles never lapse.
  public var recertifyEvery: Int?

  /// Protected refs grouped into environments, each promoted from an earlier one
  /// (`environments:`); none unless the policy names some.
  public var environments = Environments()

  public static let defaultCloseoutRoles = ["release-manager"]
  public static let defaultIncidentDeclarers = ["policy-admin", "incident-commander"]
  public static let defaultFreezeDeclarers = ["policy-admin", "release-manager"]
  /// Where each rule and section was written, so later checks can point at it.
  public var positions: [String: SourcePosition] = [:]

  public init(
    version: Int = 1, protected: [RefPattern], rules: [ApprovalRule],
    requesterMayApprove: Bool = false,
    authorsMayApprove: Bool = false, approvalTTL: Int? = nil, adminApprovals: Int = 1,
    freezes: FreezePolicy = FreezePolicy()
  ) {
    self.version = version
    self.protected = protected
    self.rules = rules
    self.requesterMayApprove = requesterMayApprove
    self.authorsMayApprove = authorsMayApprove
    self.approvalTTL = approvalTTL
    self.adminApprovals = adminApprovals
    self.freezes = freezes
  }

  /// Two policies are equal when they say the same; where it was written does not count.
  public static func == (lhs: Policy, rhs: Policy) -> Bool {
    let (left, right) = (lhs, rhs)
    return left.version == right.version && left.protected == right.protected
      && left.rules == right.rules
      && left.requesterMayApprove == right.requesterMayApprove
      && left.authorsMayApprove == right.authorsMayApprove
      && left.approvalTTL == right.approvalTTL && left.adminApprovals == right.adminApprovals
      && left.freezes == right.freezes && left.evidenceRequired == right.evidenceRequired
      && left.attestations == right.attestations && left.retentionRoles == right.retentionRoles
      && left.changeRequired == right.changeRequired && left.emergency == right.emergency
      && left.closeoutWithin == right.closeoutWithin && left.retentionMin == right.retentionMin
      && left.pusherMaySoleApprove == right.pusherMaySoleApprove
      && left.signedCommits == right.signedCommits
      && left.nonFastForward == right.nonFastForward
      && left.requesterMayRaiseException == right.requesterMayRaiseException
      && left.authorsMayRaiseException == right.authorsMayRaiseException
      && left.standardChanges == right.standardChanges
      && left.incidentDeclarers == right.incidentDeclarers
      && left.freezeDeclarers == right.freezeDeclarers
      && left.closeoutRoles == right.closeoutRoles && left.owners == right.owners
      && left.recertifyEvery == right.recertifyEvery
      && left.environments == right.environments && left.calendar == right.calendar
  }

  /// Whether `person` may open or close an incident: a holder of an `incidents.declare` role.
  public func mayDeclareIncident(_ person: Person) -> Bool {
    !person.hasRole(PushReceipt.serverRole) && incidentDeclarers.contains(where: person.hasRole)
  }

  /// Whether `person` may close out (and so end: close or cancel) a release `requester`
  /// asked for: its requester, a policy-admin, or a holder of a `closeout_roles` role.
  public func mayCloseOut(_ person: Person, requester: String) -> Bool {
    guard !person.hasRole(PushReceipt.serverRole) else { return false }
    return person.id == requester || person.hasRole("policy-admin")
      || closeoutRoles.contains(where: person.hasRole)
  }

  /// Whether `person` may declare or cancel an ad-hoc freeze: a holder of a `freezes.declare` role.
  public func mayDeclareFreeze(_ person: Person) -> Bool {
    !person.hasRole(PushReceipt.serverRole) && freezeDeclarers.contains(where: person.hasRole)
  }

  /// git-govern's own refs (`refs/govern/review/<release>`, where a requested commit waits for
  /// its approvers): never protected, even by a pattern such as `refs/*`, because they release
  /// nothing; the server checks them by their own rule instead.
  public static let toolNamespace = "refs/govern/"

  public func protectingPattern(for ref: String) -> RefPattern? {
    guard !ref.hasPrefix(Self.toolNamespace) else { return nil }
    return protected.first { $0.matches(ref) }
  }

  public func isProtected(_ ref: String) -> Bool { protectingPattern(for: ref) != nil }

  public func rule(type: ReleaseType, risk: Risk) -> ApprovalRule? {
    rules.first { $0.applies(type: type, risk: risk) }
  }
}

/// A line and column in a file, for messages that point at what they are about.
public struct SourcePosition: Sendable, Equatable {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
}
