/// A signed withdrawal of a rejection. A rejection binds its (commit, ref): every release of
/// that commit to that ref stays blocked until the rejecter withdraws it, or as many
/// policy-admins as a policy change needs (`admins.approvals`) withdraw it for them.
public struct Withdrawal: ReleaseBoundRecord, Equatable {
  public static let recordKind = "withdrawal"
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
  /// The file name of the rejection record withdrawn, in the same release's folder.
  public var rejection: String
  public var reason: String

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    rejection: String, reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.rejection, self.reason) = (rejection, reason)
  }
}
