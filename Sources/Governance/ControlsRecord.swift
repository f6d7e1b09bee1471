/// A policy-admin's signed statement that this control catalog is the one audits report
/// against (`git govern controls apply`). The catalog is kept as the text they signed, so
/// `git govern controls show` prints exactly that; the newest such record is in force.
public struct ControlsRecord: GovernanceRecord, Equatable {
  public static let recordKind = "controls"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  /// The framework the catalog names, for readers who do not parse the text.
  public var framework: String
  /// The catalog's YAML, byte for byte as applied.
  public var catalog: String

  public init(_ by: RecordAuthorship, framework: String, catalog: String) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.framework, self.catalog) = (framework, catalog)
  }
}
