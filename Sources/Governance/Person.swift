import Foundation

/// Someone known to the governance branch: their emails and SSH keys all resolve to them,
/// so they count once however they sign or commit.
public struct Person: Sendable, Equatable {
  public var id: String
  public var name: String
  public var emails: [String]
  /// Public keys as `"<type> <base64>"` (comments dropped).
  public var keys: [String]
  public var roles: [String]
  public var team: String?
  /// Validity windows and revocations, by normalised key; a key not listed is valid always.
  public var keyValidity: [String: KeyValidity] = [:]
  /// Fingerprints of OpenPGP keys whose signatures on commits count as theirs (uppercase hex).
  public var pgpKeys: [String] = []

  public init(
    id: String, name: String, emails: [String], keys: [String], roles: [String], team: String? = nil
  ) {
    self.id = id
    self.name = name
    self.emails = emails
    self.keys = keys.map(Person.normalisedKey)
    self.roles = roles
    self.team = team
  }

  public func hasRole(_ role: String) -> Bool { roles.contains(role) }

  public func validity(of key: String) -> KeyValidity {
    if keyValidity.isEmpty { return KeyValidity() }
    return keyValidity[key] ?? keyValidity[Person.normalisedKey(key)] ?? KeyValidity()
  }

  /// Keys that are neither revoked nor expired at `instant`.
  public func usableKeys(at instant: Date) -> [String] {
    keys.filter { key in
      let validity = validity(of: key)
      return validity.revoked == nil && validity.problem(at: instant) == nil
    }
  }

  /// `"ssh-ed25519 AAAA… alice@laptop"` → `"ssh-ed25519 AAAA…"`.
  public static func normalisedKey(_ text: String) -> String {
    text.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(2).joined(separator: " ")
  }

  /// `"ABCD 1234 …"` or `"abcd1234…"` → `"ABCD1234…"` when it is a fingerprint (40 or 64 hex
  /// digits), else nil.
  public static func pgpFingerprint(_ text: String) -> String? {
    let hex = text.filter { $0 != " " }.uppercased()
    guard hex.count == 40 || hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
    return hex
  }

  /// Principals are short, lowercase and safe in paths and file names.
  public static func isValidID(_ id: String) -> Bool {
    guard let first = id.utf8.first, id.utf8.count <= 64 else { return false }
    let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
    return id.utf8.allSatisfy(allowed.contains) && first != UInt8(ascii: ".")
      && first != UInt8(ascii: "-")
  }
}

/// Emails compare without case and without a `+tag` in the local part.
public enum EmailAddress {
  public static func canonical(_ email: String) -> String {
    if isCanonical(email) { return email }
    let lowered = email.lowercased().trimmingCharacters(in: " <>")
    guard let at = lowered.lastIndex(of: "@") else { return lowered }
    var local = lowered[..<at]
    if let plus = local.firstIndex(of: "+") { local = local[..<plus] }
    return String(local + lowered[at...])
  }

  /// Already in canonical form: ASCII without capitals or `+`, nothing to trim. Most
  /// addresses are, and the audit canonicalises one per record and two per commit.
  private static func isCanonical(_ email: String) -> Bool {
    guard let first = email.utf8.first, let last = email.utf8.last,
      !" <>".utf8.contains(first), !" <>".utf8.contains(last)
    else { return false }
    return email.utf8.allSatisfy { byte in
      byte < 0x80 && byte != UInt8(ascii: "+")
        && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
  }
}

extension String {
  func trimmingCharacters(in set: String) -> String {
    var scalars = Substring(self)
    while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
    while let last = scalars.last, set.contains(last) { scalars.removeLast() }
    return String(scalars)
  }
}
