/// The approval rule a release was judged by, with what it required and what it got: the
/// figures an auditor compares.
public struct RuleApplied: Codable, Sendable, Equatable {
  /// Approvals of one role: how many the rule wants, how many counted approvers have it.
  public struct RoleCount: Codable, Sendable, Equatable {
    public var role: String
    public var required: Int
    public var counted: Int

    public init(role: String, required: Int, counted: Int) {
      self.role = role
      self.required = required
      self.counted = counted
    }
  }

  public var name: String
  public var approvals_required: Int
  public var approvals_counted: Int
  /// The people whose approvals counted, sorted.
  public var approved_by: [String]
  public var roles: [RoleCount]

  public init(
    name: String, approvalsRequired: Int, approvalsCounted: Int, approvedBy: [String],
    roles: [RoleCount]
  ) {
    self.name = name
    self.approvals_required = approvalsRequired
    self.approvals_counted = approvalsCounted
    self.approved_by = approvedBy
    self.roles = roles
  }
}

extension ReleaseEvaluator {
  /// The rule that applies to the release and what it got as of `now`: the approvals that
  /// count (one per person, as `evaluate` counts them), with the roles of their signers. Nil
  /// when no rule applies. An emergency exception replaces the rule's approvals; the figures
  /// are then the rule's, as asked and as given.
  public func ruleApplied(_ facts: ReleaseFacts) -> RuleApplied? {
    let (type, _) = judgedType(facts)
    guard let rule = policy.rule(type: type, risk: facts.request.record.risk) else { return nil }
    var counted: [String: Person] = [:]
    for approval in facts.approvals where reasonNotCounted(approval, facts: facts) == nil {
      counted[approval.signer.id] = approval.signer
    }
    return RuleApplied(
      name: rule.name, approvalsRequired: rule.approvals, approvalsCounted: counted.count,
      approvedBy: counted.keys.sorted(),
      roles: rule.roles.sorted { $0.key < $1.key }.map { role, needed in
        RuleApplied.RoleCount(
          role: role, required: needed, counted: counted.values.filter { $0.hasRole(role) }.count)
      })
  }
}
