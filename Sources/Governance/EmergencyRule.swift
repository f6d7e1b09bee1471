/// The break-glass path (`emergency:`): how many people of which roles must sign an exception,
/// and the obligations it opens.
public struct EmergencyRule: Sendable, Equatable {
  public var approvals: Int
  public var roles: [String: Int]
  /// How long after the push (or the exception) post-deploy `validation` evidence is due.
  public var validationWithin: PolicyDuration?
  /// How long after the push (or the exception) a retrospective review is due.
  public var reviewWithin: PolicyDuration?

  public init(
    approvals: Int = 1, roles: [String: Int] = [:], validationWithin: PolicyDuration? = nil,
    reviewWithin: PolicyDuration? = nil
  ) {
    self.approvals = approvals
    self.roles = roles
    self.validationWithin = validationWithin
    self.reviewWithin = reviewWithin
  }

  /// Roles whose holders may sign an exception; empty means any registered person.
  public var signingRoles: Set<String> { Set(roles.keys) }

  public func maySign(_ person: Person) -> Bool {
    signingRoles.isEmpty || person.roles.contains { signingRoles.contains($0) }
  }
}
