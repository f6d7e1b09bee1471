/// One approval path of the policy: when it applies, how many distinct people must approve,
/// and how many of them must hold each role.
public struct ApprovalRule: Sendable, Equatable {
  public var name: String
  public var types: [ReleaseType]?
  public var risks: [Risk]?
  public var approvals: Int
  public var roles: [String: Int]
  /// Seconds a release under this rule may wait for its approvals before `git govern pending`
  /// calls it overdue (`approval_sla`); a nudge, never a gate, so it is left out of `==` and a
  /// change to it asks for no new approvals.
  public var approvalSLA: PolicyDuration?

  public init(
    name: String, types: [ReleaseType]? = nil, risks: [Risk]? = nil, approvals: Int,
    roles: [String: Int] = [:]
  ) {
    self.name = name
    self.types = types
    self.risks = risks
    self.approvals = approvals
    self.roles = roles
  }

  public static func == (lhs: ApprovalRule, rhs: ApprovalRule) -> Bool {
    lhs.name == rhs.name && lhs.types == rhs.types && lhs.risks == rhs.risks
      && lhs.approvals == rhs.approvals && lhs.roles == rhs.roles
  }

  public func applies(type: ReleaseType, risk: Risk) -> Bool {
    (types?.contains(type) ?? true) && (risks?.contains(risk) ?? true)
  }

  /// A rule demanding one security approval and zero in total still needs that one person.
  public var peopleNeeded: Int { max(approvals, roles.values.max() ?? 0) }
}
