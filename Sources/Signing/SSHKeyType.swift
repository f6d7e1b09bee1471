/// The public key types this module parses and verifies.
enum SSHKeyType: String, CaseIterable, Sendable {
  case ed25519 = "ssh-ed25519"
  case ecdsaP256 = "ecdsa-sha2-nistp256"
  case ecdsaP384 = "ecdsa-sha2-nistp384"
  case ecdsaP521 = "ecdsa-sha2-nistp521"
  case rsa = "ssh-rsa"

  /// The curve identifier an ECDSA key blob repeats after the key type (RFC 5656).
  var ecdsaCurveName: String? {
    switch self {
    case .ecdsaP256: return "nistp256"
    case .ecdsaP384: return "nistp384"
    case .ecdsaP521: return "nistp521"
    case .ed25519, .rsa: return nil
    }
  }

  /// Byte length of one ECDSA scalar (r, s) or point coordinate on the key's curve.
  var ecdsaFieldSize: Int? {
    switch self {
    case .ecdsaP256: return 32
    case .ecdsaP384: return 48
    case .ecdsaP521: return 66
    case .ed25519, .rsa: return nil
    }
  }

  /// Signature algorithm names that a key of this type may legitimately produce.
  var acceptedSignatureAlgorithms: [String] {
    switch self {
    case .rsa: return ["rsa-sha2-256", "rsa-sha2-512"]
    default: return [rawValue]
    }
  }

  /// Every signature algorithm name this module recognises, accepted or refused.
  static let knownSignatureAlgorithms: Set<String> = Set(
    allCases.map(\.rawValue) + ["rsa-sha2-256", "rsa-sha2-512"])
}
