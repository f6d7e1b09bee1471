/// An ad-hoc freeze declared with `git govern freeze add`: no protected ref moves in
/// `[from, until)` without a freeze-override or emergency exception.
public struct FreezeRecord: GovernanceRecord, Equatable {
  public static let recordKind = "freeze"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var id: String
  /// RFC 3339, UTC.
  public var from: String
  public var until: String
  /// The zone it was declared in, for display.
  public var timezone: String
  public var reason: String

  public init(
    _ by: RecordAuthorship, id: String, from: String, until: String, timezone: String,
    reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.id, self.from, self.until, self.timezone, self.reason) = (
      id, from, until, timezone, reason
    )
  }
}

/// The end of an ad-hoc freeze before its time, made with `git govern freeze cancel`: a signed
/// record beside the freeze (records are only ever added), counted, like the freeze, only when
/// its signer may declare freezes.
public struct FreezeCancellation: GovernanceRecord, Equatable {
  public static let recordKind = "freeze-cancel"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  /// The freeze it ends.
  public var freeze: String
  public var reason: String

  public init(_ by: RecordAuthorship, freeze: String, reason: String) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.freeze, self.reason) = (freeze, reason)
  }
}
