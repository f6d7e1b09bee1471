/// A post-implementation or retrospective review of a release; discharges the review obligation
/// an emergency opens when made by someone other than the requester.
public struct ReleaseReview: ReleaseBoundRecord, Equatable {
  public enum Outcome: String, Codable, Sendable, CaseIterable { case ok, issues }
  public static let recordKind = "review"
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
  public var outcome: Outcome
  public var notes: String?

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    outcome: Outcome,
    notes: String? = nil
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.outcome, self.notes) = (outcome, notes)
  }
}
