import Foundation

/// Verifies an OpenPGP signature with `gpg --verify`, for commits signed with
/// `gpg.format=openpgp`. Unlike SSH signatures this needs a process and the signer's public
/// key in gpg's keyring; gpg only says which key made a good signature, and whether that key
/// counts is for the caller to decide (its fingerprint registered in people.yml), never gpg's
/// trust database.
public enum OpenPGPVerifier {
  public enum Outcome: Sendable, Equatable {
    /// A good signature by the key with these fingerprints (the signing key's, then its
    /// primary key's), uppercase hex.
    case valid(fingerprints: [String])
    /// gpg could not check it: not installed, the public key not in its keyring, a bad
    /// signature; in words.
    case notVerified(String)
  }

  public static func verify(payload: [UInt8], armoredSignature: String) -> Outcome {
    do {
      return try TemporaryDirectory.withNew { directory in
        let signature = directory.appendingPathComponent("commit.asc")
        let message = directory.appendingPathComponent("commit")
        try Data(armoredSignature.utf8).write(to: signature)
        try Data(payload).write(to: message)
        let output = try ProcessRunner.run(
          [
            "gpg", "--batch", "--no-tty", "--status-fd", "1", "--verify", signature.path,
            message.path,
          ], environment: nil, in: directory)
        return outcome(status: String(decoding: output.standardOutput, as: UTF8.self), output)
      }
    } catch {
      return .notVerified("gpg could not be run: \(error)")
    }
  }

  /// Reads gpg's machine-readable status lines: `VALIDSIG <fingerprint> … <primary>` for a
  /// good signature; `NO_PUBKEY <id>`, `BADSIG`, `ERRSIG` otherwise.
  static func outcome(status: String, _ output: ProcessRunner.Output) -> Outcome {
    var fingerprints: [String] = []
    var missingKey: String?
    var bad = false
    for line in status.split(separator: "\n") {
      let fields = line.split(separator: " ").map(String.init)
      guard fields.count >= 2, fields[0] == "[GNUPG:]" else { continue }
      switch fields[1] {
      case "VALIDSIG" where fields.count >= 3:
        fingerprints.append(fields[2].uppercased())
        if let primary = fields.last, primary.count >= 40, primary != fields[2] {
          fingerprints.append(primary.uppercased())
        }
      case "NO_PUBKEY" where fields.count >= 3: missingKey = fields[2]
      case "BADSIG", "ERRSIG", "EXPKEYSIG", "REVKEYSIG": bad = true
      default: continue
      }
    }
    if output.succeeded, !bad, !fingerprints.isEmpty { return .valid(fingerprints: fingerprints) }
    if output.status == 127 { return .notVerified("gpg is not installed") }
    if let missingKey {
      return .notVerified("its OpenPGP key \(missingKey) is not in gpg's keyring")
    }
    return .notVerified("gpg did not verify it: \(output.failureDescription())")
  }
}
