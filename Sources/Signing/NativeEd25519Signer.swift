import Crypto
import Foundation

/// Signs in-process with an unencrypted OpenSSH ed25519 private key file.
///
/// Meant for tests and benchmarks: its signatures are byte-compatible with
/// `ssh-keygen -Y sign` (and accepted by `ssh-keygen -Y verify`), but it cannot
/// use passphrase-protected keys or ssh-agent; use `SSHKeygenSigner` for that.
public struct NativeEd25519Signer: SSHMessageSigner {
  /// The key signatures are made with.
  public let publicKey: SSHPublicKey
  /// The hash applied to messages; ssh-keygen's default is sha512.
  public let hashAlgorithm: SSHSignature.HashAlgorithm
  private let privateKey: OpenSSHEd25519PrivateKey

  /// Loads the key from the contents of an OpenSSH private key file.
  public init(privateKeyText: String, hashAlgorithm: SSHSignature.HashAlgorithm = .sha512) throws {
    privateKey = try OpenSSHEd25519PrivateKey(fileContents: privateKeyText)
    publicKey = privateKey.publicKey
    self.hashAlgorithm = hashAlgorithm
  }

  /// Loads the key from an OpenSSH private key file.
  public init(privateKeyPath path: String, hashAlgorithm: SSHSignature.HashAlgorithm = .sha512)
    throws
  {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw SignatureError.malformedPrivateKey("cannot read \(path)")
    }
    do {
      try self.init(
        privateKeyText: String(decoding: contents, as: UTF8.self), hashAlgorithm: hashAlgorithm)
    } catch SignatureError.malformedPrivateKey(let reason) {
      throw SignatureError.malformedPrivateKey("\(path): \(reason)")
    }
  }

  public func sign(_ message: [UInt8], namespace: String) throws -> String {
    SSHArmor.signature.encode(try signatureBytes(message, namespace: namespace))
  }

  /// Signs and returns the parsed signature instead of its armour.
  public func signature(_ message: [UInt8], namespace: String) throws -> SSHSignature {
    try SSHSignature(wireBytes: signatureBytes(message, namespace: namespace))
  }

  private func signatureBytes(_ message: [UInt8], namespace: String) throws -> [UInt8] {
    guard !namespace.isEmpty else {
      throw SignatureError.malformedSignature("the namespace is empty")
    }
    let signedData = SSHSignature.signedData(
      namespace: namespace, hashAlgorithm: hashAlgorithm, message: message)
    let rawSignature = try privateKey.privateKey.signature(for: signedData)
    return SSHSignature.assembleWireBytes(
      publicKey: publicKey, namespace: namespace, hashAlgorithm: hashAlgorithm,
      signatureAlgorithm: SSHKeyType.ed25519.rawValue, signatureBlob: Array(rawSignature))
  }
}
