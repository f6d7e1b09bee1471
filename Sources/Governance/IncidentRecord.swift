/// An incident opened or closed with `git govern incident open|close`. While one is open, every
/// protected release is blocked except those requested with `--incident <id>` (the fix).
public struct IncidentRecord: GovernanceRecord, Equatable {
  public enum State: String, Codable, Sendable { case open, closed }
  public static let recordKind = "incident"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var id: String
  public var state: State
  public var title: String?
  /// How many records of this incident came before: orders an open and a close made in the same second.
  public var sequence: Int

  public init(_ by: RecordAuthorship, id: String, state: State, title: String? = nil, sequence: Int)
  {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.id, self.state, self.title, self.sequence) = (id, state, title, sequence)
  }
}
