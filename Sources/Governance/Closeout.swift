/// How a release ended.
public enum CloseoutOutcome: String, Codable, Sendable, CaseIterable {
  case deployed
  case rolledBack = "rolled-back"
  case failed, cancelled
}

/// A file the release produced, by hash and size.
public struct Artifact: Codable, Sendable, Equatable {
  public var name: String
  public var sha256: String
  public var size: Int

  public init(name: String, sha256: String, size: Int) {
    self.name = name
    self.sha256 = sha256
    self.size = size
  }
}

/// The signed closeout of a release: its outcome, its artifacts, and how long its records and
/// artifacts must be kept.
public struct Closeout: ReleaseBoundRecord, Equatable {
  public static let recordKind = "closeout"
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
  public var outcome: CloseoutOutcome
  public var artifacts: [Artifact]
  /// RFC 3339; nil when no retention was asked for.
  public var retain_until: String?
  public var legal_hold: Bool

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    outcome: CloseoutOutcome,
    artifacts: [Artifact], retainUntil: String?, legalHold: Bool
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.outcome, self.artifacts, self.retain_until, self.legal_hold) = (
      outcome, artifacts, retainUntil, legalHold
    )
  }
}
