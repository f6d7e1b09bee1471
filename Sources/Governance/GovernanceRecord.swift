/// What every signed record on the governance branch carries. `repo` is the OID of the
/// governance branch's root commit, so a record cannot be replayed into another repository.
public protocol GovernanceRecord: Codable, Sendable {
  static var recordKind: String { get }
  var kind: String { get }
  var version: Int { get }
  var repo: String { get }
  var actor: String { get }
  var email: String { get }
  var created: String { get }
}

/// A record about one release, bound to the exact commit, tree and ref it speaks of.
public protocol ReleaseBoundRecord: GovernanceRecord {
  var release: String { get }
  var target: String { get }
  var tree: String { get }
  var ref: String { get }
}

/// Who wrote a record and when; the same for every kind.
public struct RecordAuthorship: Sendable {
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String

  public init(repo: String, actor: String, email: String, created: String) {
    self.repo = repo
    self.actor = actor
    self.email = email
    self.created = created
  }
}
