import Foundation

/// Why a key, a signature or a signing request was refused.
///
/// Every case renders as a sentence meant to be shown to users as is.
public enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
  /// An OpenSSH public key (authorized_keys line or wire blob) could not be parsed.
  case malformedPublicKey(String)
  /// An armored or binary SSHSIG signature could not be parsed.
  case malformedSignature(String)
  /// An OpenSSH private key file could not be used.
  case malformedPrivateKey(String)
  /// A git commit object could not be split into payload and signature.
  case malformedCommit(String)
  /// The key type is not one this tool verifies.
  case unsupportedKeyType(String)
  /// The SSHSIG container version is not 1.
  case unsupportedSignatureVersion(UInt32)
  /// The SSHSIG message hash is not sha256 or sha512.
  case unsupportedHashAlgorithm(String)
  /// The signature algorithm is unknown.
  case unsupportedSignatureAlgorithm(String)
  /// The signature algorithm does not belong to the signing key's type.
  case algorithmKeyMismatch(signatureAlgorithm: String, keyType: String)
  /// RSA signatures made with SHA-1 (`ssh-rsa`) are refused.
  case rsaSHA1Refused
  /// RSA keys with a modulus shorter than 2048 bits are refused.
  case rsaKeyTooSmall(bits: Int)
  /// The signature was made for another namespace.
  case namespaceMismatch(signed: String, expected: String)
  /// The signature was made by another key than the expected one (fingerprints).
  case keyMismatch(signedBy: String, expected: String)
  /// The cryptographic check failed.
  case signatureDoesNotMatch
  /// The commit carries no `gpgsig` header.
  case commitNotSigned
  /// `ssh-keygen` failed to sign, or its output was unusable.
  case signingFailed(keyPath: String, reason: String)
  /// A public key could not be obtained for a signing key path.
  case keyUnavailable(keyPath: String, reason: String)
  /// The signing key path names no file at all (nor `<path>.pub`): most often a typo.
  case keyFileMissing(keyPath: String)

  public var description: String {
    switch self {
    case .malformedPublicKey(let reason):
      return "malformed SSH public key: \(reason)"
    case .malformedSignature(let reason):
      return "malformed SSH signature: \(reason)"
    case .malformedPrivateKey(let reason):
      return "unusable OpenSSH private key: \(reason)"
    case .malformedCommit(let reason):
      return "malformed commit object: \(reason)"
    case .unsupportedKeyType(let type):
      return
        "unsupported key type \"\(type)\"; only ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa are accepted"
    case .unsupportedSignatureVersion(let version):
      return "unsupported SSHSIG version \(version)"
    case .unsupportedHashAlgorithm(let name):
      return "signature uses hash algorithm \"\(name)\"; only sha256 and sha512 are accepted"
    case .unsupportedSignatureAlgorithm(let name):
      return "unsupported signature algorithm \"\(name)\""
    case .algorithmKeyMismatch(let signatureAlgorithm, let keyType):
      return "signature algorithm \"\(signatureAlgorithm)\" cannot be made by a \(keyType) key"
    case .rsaSHA1Refused:
      return
        "RSA signature uses SHA-1 (\"ssh-rsa\"); only rsa-sha2-256 and rsa-sha2-512 are accepted"
    case .rsaKeyTooSmall(let bits):
      return "RSA key has a \(bits)-bit modulus; at least 2048 bits are required"
    case .namespaceMismatch(let signed, let expected):
      return "signed for namespace \"\(signed)\", expected \"\(expected)\""
    case .keyMismatch(let signedBy, let expected):
      return "signed by key \(signedBy), expected key \(expected)"
    case .signatureDoesNotMatch:
      return "signature does not match the message"
    case .commitNotSigned:
      return "commit has no gpgsig header (it is not signed)"
    case .signingFailed(let keyPath, let reason):
      return "signing with key \"\(keyPath)\" failed: \(reason)"
    case .keyUnavailable(let keyPath, let reason):
      return "cannot read public key for \"\(keyPath)\": \(reason)"
    case .keyFileMissing(let keyPath):
      return
        "key file \(keyPath) does not exist (nor \(keyPath).pub); point user.signingkey or --signing-key at your SSH key"
    }
  }
}

extension SignatureError: LocalizedError {
  public var errorDescription: String? { description }
}
