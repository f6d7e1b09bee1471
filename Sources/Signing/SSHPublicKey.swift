import Crypto
import Foundation

/// An OpenSSH public key: ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa.
///
/// Two keys are equal when their wire blobs are equal; the comment is ignored.
/// The key material is decoded once at parse time, so one value can verify
/// many signatures cheaply and from any thread.
public struct SSHPublicKey: Hashable, Sendable, CustomStringConvertible {
  /// The key type name, e.g. `ssh-ed25519`.
  public let algorithm: String
  /// The SSH wire-format public key blob.
  public let blob: [UInt8]
  /// The free-text comment of an authorized_keys line, if there was one.
  public let comment: String?

  let type: SSHKeyType
  let material: SSHKeyMaterial

  /// Parses an SSH wire-format public key blob.
  public init(wireBlob: [UInt8]) throws {
    try self.init(wireBlob: wireBlob, comment: nil)
  }

  private init(wireBlob: [UInt8], comment: String?) throws {
    let (type, material) = try SSHKeyMaterial.parse(blob: wireBlob)
    self.algorithm = type.rawValue
    self.type = type
    self.material = material
    self.blob = wireBlob
    self.comment = comment
  }

  /// Parses a public key line such as `ssh-ed25519 AAAA... user@host`.
  ///
  /// Surrounding whitespace is ignored; authorized_keys options before the
  /// key type are refused.
  public init(authorizedKey line: String) throws {
    let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else {
      throw SignatureError.malformedPublicKey("the key line is empty")
    }
    guard !trimmed.contains(where: \.isNewline) else {
      throw SignatureError.malformedPublicKey("expected a single line, found several")
    }
    let fields = trimmed.split(
      maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" }
    ).map { $0.trimmingCharacters(in: .whitespaces) }
    guard let typeName = fields.first else {
      throw SignatureError.malformedPublicKey("the key line is empty")
    }
    guard SSHKeyType(rawValue: typeName) != nil else {
      throw Self.unrecognisedLeadingWord(typeName, line: trimmed)
    }
    guard fields.count >= 2 else {
      throw SignatureError.malformedPublicKey("no base64 key data after \"\(typeName)\"")
    }
    guard let blob = SSHBase64.decode(fields[1]) else {
      throw SignatureError.malformedPublicKey(
        "the key data after \"\(typeName)\" is not valid base64")
    }
    let comment = fields.count == 3 && !fields[2].isEmpty ? fields[2] : nil
    try self.init(wireBlob: blob, comment: comment)
    guard algorithm == typeName else {
      throw SignatureError.malformedPublicKey(
        "the line says \"\(typeName)\" but the key data is a \(algorithm) key")
    }
  }

  private static func unrecognisedLeadingWord(_ word: String, line: String) -> SignatureError {
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    let looksLikeOptions =
      word.contains("=") || word.contains(",") || word.contains("\"")
      || words.dropFirst().contains { SSHKeyType(rawValue: String($0)) != nil }
    if looksLikeOptions {
      return .malformedPublicKey(
        "the line starts with authorized_keys options (\"\(word)\"); give only \"<type> <base64> [comment]\""
      )
    }
    return .unsupportedKeyType(word)
  }

  /// The fingerprint exactly as `ssh-keygen -l -E sha256` prints it: `SHA256:<base64>`.
  public var fingerprint: String {
    let digest = SHA256.hash(data: blob)
    let encoded = SSHBase64.encode(Array(digest))
    return "SHA256:" + encoded.trimmingCharacters(in: CharacterSet(charactersIn: "="))
  }

  /// The key as one authorized_keys line without comment: `<type> <base64 blob>`.
  public var authorizedKey: String {
    "\(algorithm) \(SSHBase64.encode(blob))"
  }

  /// The number of bits in the modulus of an RSA key; nil for other key types.
  public var rsaModulusBits: Int? {
    if case .rsa(_, let bits, _) = material { return bits }
    return nil
  }

  /// `<type> <fingerprint>`, e.g. `ssh-ed25519 SHA256:...`.
  public var description: String { "\(algorithm) \(fingerprint)" }

  public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool {
    lhs.blob == rhs.blob
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(blob)
  }
}
