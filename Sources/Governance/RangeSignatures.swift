/// What the signatures of a release range's commits showed, as the ledger verified them.
/// Authors and committers are what a commit claims; its signature is the one fact about who
/// made it that the gate can check.
public struct RangeSignatures: Sendable, Equatable {
  /// Each registered key that signed commits of the range, with the first such commit.
  public var signers: [CommitSigner] = []
  /// The commits no registered key validly signed, in range order.
  public var unsigned: [UnsignedCommit] = []

  public init(signers: [CommitSigner] = [], unsigned: [UnsignedCommit] = []) {
    self.signers = signers
    self.unsigned = unsigned
  }
}

/// A registered key that signed a commit of the range (its signature verified).
public struct CommitSigner: Sendable, Equatable {
  public var commit: String
  public var person: String
  /// The key as people.yml holds it (`"ssh-ed25519 AAAA…"`), and its fingerprint.
  public var key: String
  public var fingerprint: String

  public init(commit: String, person: String, key: String, fingerprint: String) {
    self.commit = commit
    self.person = person
    self.key = key
    self.fingerprint = fingerprint
  }
}

/// A commit of the range without a valid signature by a registered key, and why.
public struct UnsignedCommit: Error, Sendable, Equatable {
  public enum Reason: Sendable, Equatable {
    case unsigned
    /// A signature by a key nobody registered (its fingerprint; `OpenPGP …` for one).
    case unknownKey(String)
    /// An OpenPGP signature gpg did not verify (not installed, the key not in its keyring, a
    /// bad signature), in words.
    case openPGP(String)
    /// A signature neither SSH nor OpenPGP (X.509), which git-govern does not verify.
    case notSSH
    /// A signature that does not parse or verify, in words.
    case invalid(String)
  }

  public var commit: String
  public var reason: Reason

  public init(commit: String, reason: Reason) {
    self.commit = commit
    self.reason = reason
  }
}
