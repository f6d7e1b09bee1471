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

extension KeyValidity {
  /// Where a key stands at an instant, as `identity list` shows it.
  public enum State: Sendable, Equatable {
    case active
    case notYetValid(until: Date)
    case expired(at: Date)
    case revoked(Revocation)

    /// `active`, `not yet valid`, `expired`, `revoked`: the words `identity list` prints.
    public var name: String {
      switch self {
      case .active: "active"
      case .notYetValid: "not yet valid"
      case .expired: "expired"
      case .revoked: "revoked"
      }
    }
  }

  /// A revocation ends a key whatever its window says; otherwise the window does.
  public func state(at instant: Date) -> State {
    if let revoked { return .revoked(revoked) }
    if let validAfter, instant < validAfter { return .notYetValid(until: validAfter) }
    if let validBefore, instant >= validBefore { return .expired(at: validBefore) }
    return .active
  }

  /// OpenSSH allowed_signers options (`valid-after="…"`, `valid-before="…"`, UTC, to the second)
  /// that make `ssh-keygen -Y verify` refuse what this validity refuses. OpenSSH's bounds are
  /// both inclusive and whole seconds, while a record here counts from `validAfter` on and
  /// strictly before `validBefore`: the first is rounded up, and the last whole second before
  /// the second is written. A revocation is written as its second (people.yml keeps it to the
  /// second, as records keep `created`), so a record made in that second still verifies: the
  /// check behind a revocation here (only records already on the branch then count) has no
  /// stock equivalent. The earlier end wins.
  public var allowedSignersOptions: [String] {
    var options: [String] = []
    if let validAfter {
      let first = validAfter.timeIntervalSince1970.rounded(.up)
      options.append("valid-after=\"\(Self.openSSHTime(first))\"")
    }
    let ends = [
      validBefore.map { $0.timeIntervalSince1970.rounded(.up) - 1 },
      revoked.map { $0.at.timeIntervalSince1970.rounded(.down) },
    ].compactMap { $0 }
    if let last = ends.min() {
      options.append("valid-before=\"\(Self.openSSHTime(last))\"")
    }
    return options
  }

  /// `YYYYMMDDHHMMSSZ`, the form OpenSSH reads as UTC.
  static func openSSHTime(_ seconds: TimeInterval) -> String {
    Timestamp.format(Date(timeIntervalSince1970: seconds)).filter(\.isNumber) + "Z"
  }
}
