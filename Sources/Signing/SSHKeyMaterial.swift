import Crypto
import _CryptoExtras

/// The verification key decoded from an SSH public key blob, ready for CryptoKit.
///
/// Built once when the blob is parsed so that verifying many signatures with the
/// same `SSHPublicKey` does not decode the key again.
///
/// `@unchecked` because swift-crypto 3.12 does not yet declare its Curve25519 and
/// NIST public keys `Sendable`, although they are immutable after construction
/// and BoringSSL only reads them while verifying (its RSA key, built the same
/// way, is declared `Sendable`).
enum SSHKeyMaterial: @unchecked Sendable {
  case ed25519(Curve25519.Signing.PublicKey)
  case ecdsaP256(P256.Signing.PublicKey)
  case ecdsaP384(P384.Signing.PublicKey)
  case ecdsaP521(P521.Signing.PublicKey)
  case rsa(_RSA.Signing.PublicKey, modulusBits: Int, modulusByteCount: Int)

  /// Parses a wire-format public key blob (RFC 4253 section 6.6, RFC 5656 section 3.1,
  /// draft-ietf-curdle-ssh-ed25519).
  static func parse(blob: [UInt8]) throws -> (SSHKeyType, SSHKeyMaterial) {
    var reader = SSHWireReader(blob) { SignatureError.malformedPublicKey($0) }
    let typeName = try reader.readText(field: "key type")
    guard let type = SSHKeyType(rawValue: typeName) else {
      throw SignatureError.unsupportedKeyType(typeName)
    }
    let material: SSHKeyMaterial
    switch type {
    case .ed25519:
      let raw = try reader.readString(field: "ed25519 public key")
      guard raw.count == 32 else {
        throw SignatureError.malformedPublicKey(
          "ssh-ed25519 public key is \(raw.count) bytes, expected 32")
      }
      material = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: raw))
    case .ecdsaP256, .ecdsaP384, .ecdsaP521:
      material = try parseECDSA(type: type, reader: &reader)
    case .rsa:
      material = try parseRSA(reader: &reader)
    }
    try reader.expectEnd(after: "the \(typeName) public key")
    return (type, material)
  }

  private static func parseECDSA(type: SSHKeyType, reader: inout SSHWireReader) throws
    -> SSHKeyMaterial
  {
    // Both optionals are non-nil for ECDSA key types.
    let expectedCurve = type.ecdsaCurveName ?? ""
    let fieldSize = type.ecdsaFieldSize ?? 0
    let curve = try reader.readText(field: "ECDSA curve name")
    guard curve == expectedCurve else {
      throw SignatureError.malformedPublicKey(
        "\(type.rawValue) key names curve \"\(curve)\", expected \"\(expectedCurve)\"")
    }
    let point = try reader.readString(field: "ECDSA public point")
    guard point.count == 1 + 2 * fieldSize, point.first == 0x04 else {
      throw SignatureError.malformedPublicKey(
        "\(type.rawValue) public point must be an uncompressed SEC1 point of \(1 + 2 * fieldSize) bytes"
      )
    }
    do {
      switch type {
      case .ecdsaP256: return .ecdsaP256(try P256.Signing.PublicKey(x963Representation: point))
      case .ecdsaP384: return .ecdsaP384(try P384.Signing.PublicKey(x963Representation: point))
      default: return .ecdsaP521(try P521.Signing.PublicKey(x963Representation: point))
      }
    } catch {
      throw SignatureError.malformedPublicKey(
        "\(type.rawValue) public point is not on the curve")
    }
  }

  private static func parseRSA(reader: inout SSHWireReader) throws -> SSHKeyMaterial {
    let exponent = try reader.readPositiveMPInt(field: "RSA public exponent")
    let modulus = try reader.readPositiveMPInt(field: "RSA modulus")
    guard let leading = modulus.first else {
      throw SignatureError.malformedPublicKey("RSA modulus is zero")
    }
    guard !exponent.isEmpty else {
      throw SignatureError.malformedPublicKey("RSA public exponent is zero")
    }
    let bits = (modulus.count - 1) * 8 + (UInt8.bitWidth - leading.leadingZeroBitCount)
    // BoringSSL refuses moduli over 16384 bits; checking first gives a clearer message.
    guard bits <= 16384 else {
      throw SignatureError.malformedPublicKey(
        "RSA modulus has \(bits) bits; at most 16384 are supported")
    }
    do {
      let key = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
      return .rsa(key, modulusBits: bits, modulusByteCount: modulus.count)
    } catch {
      throw SignatureError.malformedPublicKey("RSA public key parameters are invalid")
    }
  }
}
