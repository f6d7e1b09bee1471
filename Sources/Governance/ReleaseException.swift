/// What a break-glass exception lets through.
public enum ExceptionKind: String, Codable, Sendable, CaseIterable {
  /// Through a freeze and with the policy's smaller `emergency` threshold instead of the rule's.
  case emergency
  /// Through a freeze only; the rule's approvals are still needed.
  case freezeOverride = "freeze-override"
}

/// A signed break-glass exception for one release. Each signer of the emergency role signs one;
/// it takes effect once as many as `emergency.approvals` demands have.
public struct ReleaseException: ReleaseBoundRecord, Equatable {
  public static let recordKind = "exception"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var target: String
  public var tree: String
  public var ref: String
  public var policy: String
  public var exception: ExceptionKind
  public var reason: String

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    policy: String,
    exception: ExceptionKind, reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref, self.policy) = (
      release, target, tree, ref, policy
    )
    (self.exception, self.reason) = (exception, reason)
  }
}
