/// The server's signed word that a protected ref moved: written by the `post-receive` hook with
/// the server's own key (a person with role `server`). Receipts are the trusted timeline: when
/// a release really went out, and who pushed it.
public struct PushReceipt: ReleaseBoundRecord, Equatable {
  public static let recordKind = "receipt"
  public static let serverRole = "server"
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
  /// The ref's value before the push (40 zeros for a new ref) and after it.
  public var old: String
  public var new: String
  /// Who pushed, as the forge said (`GIT_GOVERN_PUSHER`), if it said.
  public var pusher: String?
  /// The governance commit the gate judged the push under: the policy, people, records and
  /// calendar in force then. The audit judges the push by that state, so a later change never
  /// turns a good push into a finding, nor hides a bad one. Absent in older receipts.
  public var governance: String?

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String, old: String,
    new: String,
    pusher: String?, governance: String? = nil
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.old, self.new, self.pusher, self.governance) = (old, new, pusher, governance)
  }
}
