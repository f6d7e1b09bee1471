import Crypto

/// An unencrypted ed25519 key read from an OpenSSH private key file
/// (`-----BEGIN OPENSSH PRIVATE KEY-----`, the openssh-key-v1 format of
/// OpenSSH's PROTOCOL.key).
///
/// `@unchecked Sendable`: swift-crypto 3.12 does not mark its Curve25519 keys
/// `Sendable`, but the key is never mutated after parsing.
struct OpenSSHEd25519PrivateKey: @unchecked Sendable {
  private static let authMagic: [UInt8] = Array("openssh-key-v1".utf8) + [0]

  let privateKey: Curve25519.Signing.PrivateKey
  let publicKey: SSHPublicKey
  let comment: String

  init(fileContents text: String) throws {
    let bytes = try SSHArmor.privateKey.decode(text)
    var reader = SSHWireReader(bytes) { SignatureError.malformedPrivateKey($0) }
    let magic = try reader.readBytes(Self.authMagic.count, field: "openssh-key-v1 preamble")
    guard magic == Self.authMagic else {
      throw SignatureError.malformedPrivateKey("the key does not start with \"openssh-key-v1\"")
    }
    let cipher = try reader.readText(field: "cipher name")
    let kdf = try reader.readText(field: "KDF name")
    _ = try reader.readString(field: "KDF options")
    guard cipher == "none", kdf == "none" else {
      throw SignatureError.malformedPrivateKey(
        "the key is encrypted with a passphrase (cipher \"\(cipher)\"); only unencrypted keys can be used natively, sign through ssh-keygen instead"
      )
    }
    let keyCount = try reader.readUInt32(field: "number of keys")
    guard keyCount == 1 else {
      throw SignatureError.malformedPrivateKey("the file holds \(keyCount) keys, expected 1")
    }
    let outerPublicBlob = try reader.readString(field: "public key")
    let privateSection = try reader.readString(field: "private key section")
    try reader.expectEnd(after: "the private key section")

    var section = SSHWireReader(privateSection) { SignatureError.malformedPrivateKey($0) }
    let check1 = try section.readUInt32(field: "check value")
    let check2 = try section.readUInt32(field: "check value")
    guard check1 == check2 else {
      throw SignatureError.malformedPrivateKey("the check values differ (corrupt or encrypted key)")
    }
    let keyType = try section.readText(field: "key type")
    guard keyType == SSHKeyType.ed25519.rawValue else {
      throw SignatureError.malformedPrivateKey(
        "the key is a \(keyType) key; only ssh-ed25519 keys can be used natively")
    }
    let publicBytes = try section.readString(field: "ed25519 public key")
    // OpenSSH stores the 32-byte seed followed by the 32-byte public key.
    let secretBytes = try section.readString(field: "ed25519 private key")
    let comment = try section.readText(field: "comment")
    let padding = try section.readBytes(section.remainingCount, field: "padding")
    guard padding.count < 8, padding.enumerated().allSatisfy({ $0.element == UInt8($0.offset + 1) })
    else {
      throw SignatureError.malformedPrivateKey("the private key section has invalid padding")
    }
    guard publicBytes.count == 32, secretBytes.count == 64,
      Array(secretBytes[32...]) == publicBytes
    else {
      throw SignatureError.malformedPrivateKey("the ed25519 key material has the wrong layout")
    }

    privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: secretBytes[..<32])
    guard Array(privateKey.publicKey.rawRepresentation) == publicBytes else {
      throw SignatureError.malformedPrivateKey("the ed25519 seed does not match its public key")
    }
    var blob = SSHWireWriter()
    blob.appendString(keyType)
    blob.appendString(publicBytes)
    guard blob.bytes == outerPublicBlob else {
      throw SignatureError.malformedPrivateKey(
        "the public key does not match the private key section")
    }
    publicKey = try SSHPublicKey(wireBlob: blob.bytes)
    self.comment = comment
  }
}
