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

  public init(
    version: Int = 1, protected: [RefPattern], rules: [ApprovalRule], requesterMayApprove: Bool = false,
    authorsMayApprove: Bool = false, approvalTTL: Int? = nil, adminApprovals: Int = 1
  ) {
    self.version = version
    self.protected = protected
    self.rules = rules
    self.requesterMayApprove = requesterMayApprove
    self.authorsMayApprove = authorsMayApprove
    self.approvalTTL = approvalTTL
    self.adminApprovals = adminApprovals
  }

  public func protectingPattern(for ref: String) -> RefPattern? {
    protected.first { $0.matches(ref) }
  }

  public func isProtected(_ ref: String) -> Bool { protectingPattern(for: ref) != nil }

  public func rule(type: ReleaseType, risk: Risk) -> ApprovalRule? {
    rules.first { $0.applies(type: type, risk: risk) }
  }
}
