import Crypto
import Foundation

/// A Dead Simple Signing Envelope, the wrapper in-toto attestations travel in: a payload, its
/// type, and signatures over the pre-authentication encoding (PAE) of both, so a signature
/// for one payload type can never be read as one for another.
///
/// Spec: github.com/secure-systems-lab/dsse, envelope.md and protocol.md.
public struct DSSEEnvelope: Sendable, Equatable {
  public struct Signature: Sendable, Equatable {
    /// A hint only: which key made it. Never trusted; every registered key is tried.
    public var keyid: String?
    public var sig: [UInt8]
  }

  public var payloadType: String
  public var payload: [UInt8]
  public var signatures: [Signature]

  public static let inTotoPayloadType = "application/vnd.in-toto+json"

  /// Reads one envelope (a JSON object; one line of a `.intoto.jsonl` file).
  public init(json: [UInt8]) throws(DSSEError) {
    struct Wire: Decodable {
      struct Sig: Decodable {
        var keyid: String?
        var sig: String
      }
      var payloadType: String
      var payload: String
      var signatures: [Sig]
    }
    let wire: Wire
    do {
      wire = try JSONDecoder().decode(Wire.self, from: Data(json))
    } catch {
      throw DSSEError(
        "is not a DSSE envelope (a JSON object with payloadType, payload and signatures): \(Self.describe(error))"
      )
    }
    guard let payload = Self.base64(wire.payload) else {
      throw DSSEError("its payload is not base64")
    }
    guard !wire.signatures.isEmpty else { throw DSSEError("carries no signature") }
    var signatures: [Signature] = []
    for (index, signature) in wire.signatures.enumerated() {
      guard let bytes = Self.base64(signature.sig), !bytes.isEmpty else {
        throw DSSEError("signature \(index + 1) is not base64")
      }
      signatures.append(Signature(keyid: signature.keyid, sig: bytes))
    }
    self.payloadType = wire.payloadType
    self.payload = payload
    self.signatures = signatures
  }

  /// The envelopes of a `.intoto.jsonl` file, one per non-blank line, with their line numbers;
  /// a file holding one pretty-printed envelope is read whole.
  public static func lines(of bytes: [UInt8]) -> [(line: Int, bytes: [UInt8])] {
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .enumerated().map { (line: $0.offset + 1, bytes: Array($0.element)) }
      .filter { !$0.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
    let whole = (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any]
    return whole && lines.count > 1 ? [(line: 1, bytes: bytes)] : lines
  }

  /// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in ASCII decimal bytes.
  public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
    let type = Array(payloadType.utf8)
    return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
  }

  /// The keys among `candidates` one of whose signatures verifies over this envelope's PAE.
  /// ed25519 signs the PAE itself; ECDSA signs its SHA-256 (P-256), SHA-384 (P-384) or
  /// SHA-512 (P-521), with the signature in DER (as cosign writes it) or raw r‖s. RSA keys are
  /// not accepted for attestations.
  public func signingKeys(among candidates: [SSHPublicKey]) -> [SSHPublicKey] {
    let signed = Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload)
    return candidates.filter { key in
      signatures.contains { Self.verifies($0.sig, over: signed, with: key) }
    }
  }

  static func verifies(_ sig: [UInt8], over signed: [UInt8], with key: SSHPublicKey) -> Bool {
    switch key.material {
    case .ed25519(let publicKey):
      return publicKey.isValidSignature(sig, for: signed)
    case .ecdsaP256(let publicKey):
      guard
        let signature = (try? P256.Signing.ECDSASignature(derRepresentation: sig))
          ?? (try? P256.Signing.ECDSASignature(rawRepresentation: sig))
      else { return false }
      return publicKey.isValidSignature(signature, for: signed)
    case .ecdsaP384(let publicKey):
      guard
        let signature = (try? P384.Signing.ECDSASignature(derRepresentation: sig))
          ?? (try? P384.Signing.ECDSASignature(rawRepresentation: sig))
      else { return false }
      return publicKey.isValidSignature(signature, for: signed)
    case .ecdsaP521(let publicKey):
      guard
        let signature = (try? P521.Signing.ECDSASignature(derRepresentation: sig))
          ?? (try? P521.Signing.ECDSASignature(rawRepresentation: sig))
      else { return false }
      return publicKey.isValidSignature(signature, for: signed)
    case .rsa:
      return false
    }
  }

  /// Standard or URL-safe base64, padded or not: the spec allows either.
  static func base64(_ text: String) -> [UInt8]? {
    var standard = text.replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
    return Data(base64Encoded: standard).map(Array.init)
  }

  private static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "no \"\(key.stringValue)\""
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return "\(path.isEmpty ? "the value" : "\"\(path)\"") has the wrong type"
    default: return "not valid JSON"
    }
  }
}

/// Why an envelope was refused, as a sentence fragment that follows the envelope's name.
public struct DSSEError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
