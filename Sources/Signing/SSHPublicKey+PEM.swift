import Foundation

extension SSHPublicKey {
  /// The key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), for `openssl pkeyutl -verify` and
  /// `openssl dgst -verify`, which read no OpenSSH key lines; nil for RSA and P-384/P-521
  /// keys, which attestations here do not use. (`ssh-keygen -e -m PKCS8` does not convert
  /// ed25519 keys.)
  public var pemRepresentation: String? {
    switch material {
    case .ed25519(let key):
      // SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32-byte key) }
      let der: [UInt8] =
        [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
        + Array(key.rawRepresentation)
      let encoded = Array(Data(der).base64EncodedString().utf8)
      let body = stride(from: 0, to: encoded.count, by: 64).map {
        String(decoding: encoded[$0..<min($0 + 64, encoded.count)], as: UTF8.self)
      }.joined(separator: "\n")
      return "-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----\n"
    case .ecdsaP256(let key):
      return key.pemRepresentation + "\n"
    default:
      return nil
    }
  }
}
