import Crypto
import Foundation

/// A parsed SSHSIG signature, as produced by `ssh-keygen -Y sign`
/// (OpenSSH PROTOCOL.sshsig).
///
/// Parsing checks the structure only; use `SSHSignatureVerifier` to check it
/// against a message, a namespace and a key.
public struct SSHSignature: Sendable {
  /// The hash applied to the message before signing. OpenSSH signs with sha512 by default.
  public enum HashAlgorithm: String, CaseIterable, Sendable {
    case sha256
    case sha512

    func digest(of message: some DataProtocol) -> [UInt8] {
      switch self {
      case .sha256: return Array(SHA256.hash(data: message))
      case .sha512: return Array(SHA512.hash(data: message))
      }
    }
  }

  static let magicPreamble: [UInt8] = Array("SSHSIG".utf8)
  static let supportedVersion: UInt32 = 1

  /// The key that made the signature, as embedded in it.
  public let publicKey: SSHPublicKey
  /// The domain the signature was made for, e.g. `git` for commits.
  public let namespace: String
  public let hashAlgorithm: HashAlgorithm
  /// The inner signature's algorithm name, e.g. `ssh-ed25519` or `rsa-sha2-512`.
  public let signatureAlgorithm: String
  /// The raw signature bytes of `signatureAlgorithm`.
  public let signatureBlob: [UInt8]
  /// The complete binary SSHSIG structure (the armour's base64 body).
  public let wireBytes: [UInt8]

  /// Parses an armored signature (`-----BEGIN SSH SIGNATURE-----` ... `-----END SSH SIGNATURE-----`).
  public init(armored: String) throws {
    try self.init(wireBytes: SSHArmor.signature.decode(armored))
  }

  /// `init(armored:)` for a signature file's bytes laid out as ssh-keygen writes them, read
  /// without a detour through `String`; nil for any other layout (read it with
  /// `init(armored:)`, which accepts or refuses it in words).
  public static func fromWrittenArmor(_ bytes: [UInt8]) throws -> SSHSignature? {
    try SSHArmor.signature.decodeWritten(bytes).map(SSHSignature.init(wireBytes:))
  }

  /// Parses the binary SSHSIG structure.
  public init(wireBytes: [UInt8]) throws {
    var reader = SSHWireReader(wireBytes) { SignatureError.malformedSignature($0) }
    let magic = try reader.readBytes(Self.magicPreamble.count, field: "SSHSIG preamble")
    guard magic == Self.magicPreamble else {
      throw SignatureError.malformedSignature("data does not start with the \"SSHSIG\" preamble")
    }
    let version = try reader.readUInt32(field: "version")
    guard version == Self.supportedVersion else {
      throw SignatureError.unsupportedSignatureVersion(version)
    }
    let keyBlob = try reader.readString(field: "public key")
    let namespace = try reader.readText(field: "namespace")
    // The reserved field carries no meaning; OpenSSH ignores its contents too.
    _ = try reader.readString(field: "reserved field")
    let hashName = try reader.readText(field: "hash algorithm")
    guard let hashAlgorithm = HashAlgorithm(rawValue: hashName) else {
      throw SignatureError.unsupportedHashAlgorithm(hashName)
    }
    let signature = try reader.readString(field: "signature")
    try reader.expectEnd(after: "the signature")

    var signatureReader = SSHWireReader(signature) { SignatureError.malformedSignature($0) }
    let signatureAlgorithm = try signatureReader.readText(field: "signature algorithm")
    let signatureBlob = try signatureReader.readString(field: "signature blob")
    try signatureReader.expectEnd(after: "the signature blob")

    self.publicKey = try SSHPublicKey(wireBlob: keyBlob)
    self.namespace = namespace
    self.hashAlgorithm = hashAlgorithm
    self.signatureAlgorithm = signatureAlgorithm
    self.signatureBlob = signatureBlob
    self.wireBytes = wireBytes
  }

  /// The signature armored as ssh-keygen writes it (70-column base64, trailing newline).
  public var armored: String {
    SSHArmor.signature.encode(wireBytes)
  }

  /// The bytes the inner signature is computed over (PROTOCOL.sshsig):
  /// "SSHSIG" || string(namespace) || string(reserved) || string(hash algorithm) || string(H(message)).
  static func signedData(
    namespace: String, hashAlgorithm: HashAlgorithm, message: some DataProtocol
  ) -> [UInt8] {
    var writer = SSHWireWriter()
    writer.appendRaw(magicPreamble)
    writer.appendString(namespace)
    writer.appendString([UInt8]())
    writer.appendString(hashAlgorithm.rawValue)
    writer.appendString(hashAlgorithm.digest(of: message))
    return writer.bytes
  }

  /// Assembles the binary SSHSIG structure around an inner signature.
  static func assembleWireBytes(
    publicKey: SSHPublicKey, namespace: String, hashAlgorithm: HashAlgorithm,
    signatureAlgorithm: String, signatureBlob: [UInt8]
  ) -> [UInt8] {
    var inner = SSHWireWriter()
    inner.appendString(signatureAlgorithm)
    inner.appendString(signatureBlob)
    var writer = SSHWireWriter()
    writer.appendRaw(magicPreamble)
    writer.appendUInt32(supportedVersion)
    writer.appendString(publicKey.blob)
    writer.appendString(namespace)
    writer.appendString([UInt8]())
    writer.appendString(hashAlgorithm.rawValue)
    writer.appendString(inner.bytes)
    return writer.bytes
  }
}
