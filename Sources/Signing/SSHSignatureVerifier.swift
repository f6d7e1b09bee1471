import Crypto
import Foundation
import _CryptoExtras

/// Verifies SSHSIG signatures natively, accepting what `ssh-keygen -Y verify`
/// accepts except for weak RSA (SHA-1 signatures, keys under 2048 bits).
///
/// Stateless and thread-safe; no process is started.
public enum SSHSignatureVerifier {
  /// RSA moduli below this many bits are refused.
  public static let minimumRSAModulusBits = 2048

  /// Checks `signature` over `message`.
  ///
  /// - Parameters:
  ///   - namespace: the namespace the signature must have been made for (`git` for commits).
  ///   - expectedKey: the key that must have made the signature; nil accepts the
  ///     key embedded in the signature (the caller must then check that key itself).
  /// - Throws: `SignatureError` saying exactly why the signature is not acceptable.
  public static func verify(
    _ signature: SSHSignature, message: some DataProtocol, namespace: String,
    expectedKey: SSHPublicKey?
  ) throws {
    guard signature.namespace == namespace else {
      throw SignatureError.namespaceMismatch(signed: signature.namespace, expected: namespace)
    }
    if let expectedKey, expectedKey != signature.publicKey {
      throw SignatureError.keyMismatch(
        signedBy: signature.publicKey.description, expected: expectedKey.description)
    }
    let key = signature.publicKey
    try checkAlgorithm(signature.signatureAlgorithm, for: key)
    let signedData = SSHSignature.signedData(
      namespace: signature.namespace, hashAlgorithm: signature.hashAlgorithm, message: message)
    guard try isValidInnerSignature(signature, over: signedData, key: key) else {
      throw SignatureError.signatureDoesNotMatch
    }
  }

  /// Like `verify`, but answers true or false instead of explaining.
  public static func isValid(
    _ signature: SSHSignature, message: some DataProtocol, namespace: String,
    expectedKey: SSHPublicKey?
  ) -> Bool {
    do {
      try verify(signature, message: message, namespace: namespace, expectedKey: expectedKey)
      return true
    } catch {
      return false
    }
  }

  private static func checkAlgorithm(_ algorithm: String, for key: SSHPublicKey) throws {
    if key.type.acceptedSignatureAlgorithms.contains(algorithm) { return }
    if key.type == .rsa && algorithm == SSHKeyType.rsa.rawValue {
      throw SignatureError.rsaSHA1Refused
    }
    if SSHKeyType.knownSignatureAlgorithms.contains(algorithm) {
      throw SignatureError.algorithmKeyMismatch(
        signatureAlgorithm: algorithm, keyType: key.algorithm)
    }
    throw SignatureError.unsupportedSignatureAlgorithm(algorithm)
  }

  private static func isValidInnerSignature(
    _ signature: SSHSignature, over signedData: [UInt8], key: SSHPublicKey
  ) throws -> Bool {
    let blob = signature.signatureBlob
    switch key.material {
    case .ed25519(let publicKey):
      guard blob.count == 64 else {
        throw SignatureError.malformedSignature(
          "ssh-ed25519 signature is \(blob.count) bytes, expected 64")
      }
      return publicKey.isValidSignature(blob, for: signedData)
    case .ecdsaP256(let publicKey):
      let raw = try ECDSASignatureBlob(blob: blob, fieldSize: 32).rawRepresentation
      let ecdsa = try P256.Signing.ECDSASignature(rawRepresentation: raw)
      return publicKey.isValidSignature(ecdsa, for: signedData)
    case .ecdsaP384(let publicKey):
      let raw = try ECDSASignatureBlob(blob: blob, fieldSize: 48).rawRepresentation
      let ecdsa = try P384.Signing.ECDSASignature(rawRepresentation: raw)
      return publicKey.isValidSignature(ecdsa, for: signedData)
    case .ecdsaP521(let publicKey):
      let raw = try ECDSASignatureBlob(blob: blob, fieldSize: 66).rawRepresentation
      let ecdsa = try P521.Signing.ECDSASignature(rawRepresentation: raw)
      return publicKey.isValidSignature(ecdsa, for: signedData)
    case .rsa(let publicKey, let modulusBits, let modulusByteCount):
      guard modulusBits >= minimumRSAModulusBits else {
        throw SignatureError.rsaKeyTooSmall(bits: modulusBits)
      }
      guard blob.count <= modulusByteCount else {
        throw SignatureError.malformedSignature(
          "RSA signature is \(blob.count) bytes, longer than the \(modulusByteCount)-byte modulus")
      }
      // Some signers drop leading zero bytes; OpenSSH pads them back, BoringSSL needs full width.
      let padded = [UInt8](repeating: 0, count: modulusByteCount - blob.count) + blob
      let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: padded)
      let isValid: Bool
      if signature.signatureAlgorithm == "rsa-sha2-256" {
        isValid = publicKey.isValidSignature(
          rsaSignature, for: SHA256.hash(data: signedData), padding: .insecurePKCS1v1_5)
      } else {
        isValid = publicKey.isValidSignature(
          rsaSignature, for: SHA512.hash(data: signedData), padding: .insecurePKCS1v1_5)
      }
      return isValid
    }
  }
}
