import Foundation

/// When a registered key may sign. `validAfter`/`validBefore` bound the record's time; a
/// revocation names the governance commit that was the tip when it was made (`ledger`), and a
/// record signed by the key counts only if that commit already held it. A revoked key therefore
/// cannot be used to backdate a record, whatever time the record claims.
public struct KeyValidity: Sendable, Equatable {
  public var validAfter: Date?
  public var validBefore: Date?
  public var revoked: Revocation?

  public struct Revocation: Sendable, Equatable {
    public var at: Date
    /// The governance commit the revocation was made on top of.
    public var ledger: String
    public var reason: String

    public init(at: Date, ledger: String, reason: String) {
      self.at = at
      self.ledger = ledger
      self.reason = reason
    }
  }

  public init(validAfter: Date? = nil, validBefore: Date? = nil, revoked: Revocation? = nil) {
    self.validAfter = validAfter
    self.validBefore = validBefore
    self.revoked = revoked
  }

  public var isUnrestricted: Bool { validAfter == nil && validBefore == nil && revoked == nil }

  /// Why a record made at `created` by this key does not count by time alone; nil when it may.
  /// (The revocation's ledger check needs the repository and is done by the ledger.)
  public func problem(at created: Date) -> String? {
    if let validAfter, created < validAfter {
      return
        "was signed at \(Timestamp.format(created)), before the key became valid (\(Timestamp.format(validAfter)))"
    }
    if let validBefore, created >= validBefore {
      return
        "was signed at \(Timestamp.format(created)), after the key expired (\(Timestamp.format(validBefore)))"
    }
    return nil
  }
}
