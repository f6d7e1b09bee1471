/// Produces armored SSHSIG signatures (`-----BEGIN SSH SIGNATURE-----`).
public protocol SSHMessageSigner: Sendable {
  /// Signs `message` for `namespace` and returns the armored signature.
  func sign(_ message: [UInt8], namespace: String) throws -> String
}
