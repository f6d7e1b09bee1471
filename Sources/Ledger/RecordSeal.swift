import Foundation
import GitKit
import Governance
import Signing

/// What a record and its signature file say before anyone's keys are consulted: the key that
/// signed, whether the signature holds for these bytes, and the decoded record. It depends
/// only on the two blobs, so an audit works it out once per pair (`RecordSeals`, kept in its
/// `LedgerMemo`): the history check and the release audit read the same records.
struct RecordSeal: Sendable {
  enum Signature: Sendable {
    /// Why the signature file could not be read.
    case unreadable(String)
    /// The key embedded in the signature, and why the signature does not hold (nil: it holds).
    case signed(SealedKey, failure: String?)
  }

  /// The signing key's text forms.
  struct SealedKey: Sendable {
    var authorizedKey: String
    var fingerprint: String
  }

  /// The texts one verifier keeps once: the text forms of the keys it has met, worked out once
  /// per key (a few hundred people sign tens of thousands of records), and the long values
  /// of the records it has read (`StringTable`). Each verifier keeps its own: nothing to lock.
  struct SharedTexts {
    private var known: [SSHPublicKey: SealedKey] = [:]
    let strings = StringTable()

    init() {}

    mutating func of(_ key: SSHPublicKey) -> SealedKey {
      if let sealed = known[key] { return sealed }
      let sealed = SealedKey(authorizedKey: key.authorizedKey, fingerprint: key.fingerprint)
      known[key] = sealed
      return sealed
    }
  }

  let signature: Signature
  let record: Result<any GovernanceRecord, InputError>

  /// Verifies the signature of `bytes` and decodes them: the one place a record's signature
  /// is verified. `blobs` and `cache`, when given, spare the verification of a signature this
  /// user's git-govern saw verify before (`VerificationCache`); what it decides is the same.
  static func make<R: GovernanceRecord>(
    _ type: R.Type, bytes: [UInt8], armoredSignature: [UInt8], path: String,
    blobs: RecordSeals.Key? = nil, cache: VerificationCache? = nil
  ) -> RecordSeal {
    var texts = SharedTexts()
    return make(
      type, bytes: bytes, armoredSignature: armoredSignature, path: path, texts: &texts,
      blobs: blobs, cache: cache)
  }

  static func make<R: GovernanceRecord>(
    _ type: R.Type, bytes: [UInt8], armoredSignature: [UInt8], path: String,
    texts: inout SharedTexts, blobs: RecordSeals.Key? = nil, cache: VerificationCache? = nil
  ) -> RecordSeal {
    RecordSeal(
      signature: signature(
        of: bytes, armored: armoredSignature, keys: &texts, blobs: cache == nil ? nil : blobs,
        cache: cache),
      record: Result {
        try CanonicalJSON.decode(R.self, from: bytes, path: path, strings: texts.strings)
      }.mapError {
        $0 as? InputError ?? InputError(file: path, "\($0)")
      })
  }

  private static func signature(
    of bytes: [UInt8], armored: [UInt8], keys: inout SharedTexts, blobs: RecordSeals.Key?,
    cache: VerificationCache?
  ) -> Signature {
    let signature: SSHSignature
    do {
      if let written = try SSHSignature.fromWrittenArmor(armored) {
        signature = written
      } else {
        guard let text = String(validating: armored, as: UTF8.self) else {
          return .unreadable("has a signature file that is not text")
        }
        signature = try SSHSignature(armored: text)
      }
    } catch {
      return .unreadable("has an unreadable signature: \(error)")
    }
    if let blobs, let cache,
      cache.knows(record: blobs.record, signature: blobs.signature, key: signature.publicKey)
    {
      return .signed(keys.of(signature.publicKey), failure: nil)
    }
    do {
      try SSHSignatureVerifier.verify(
        signature, message: bytes, namespace: LedgerPaths.recordNamespace,
        expectedKey: signature.publicKey)
      if let blobs {
        cache?.learn(record: blobs.record, signature: blobs.signature, key: signature.publicKey)
      }
      return .signed(keys.of(signature.publicKey), failure: nil)
    } catch {
      return .signed(keys.of(signature.publicKey), failure: "\(error)")
    }
  }
}

/// Seals by (record blob, signature blob), for one command's run (`LedgerMemo` holds one).
/// The same blobs at another path share the seal; only a decoding error names a path, and
/// `judge` words it again for the path it judges. A seal is a verdict on two content-addressed
/// blobs, never a read error: those are thrown where they happen and kept nowhere.
final class RecordSeals: @unchecked Sendable {
  struct Key: Hashable, Sendable {
    var record: OID
    var signature: OID

    func hash(into hasher: inout Hasher) {
      hasher.combine(record.hashWord ^ signature.hashWord.byteSwapped)
    }
  }

  private var seals: [Key: RecordSeal] = [:]
  /// Readers do not wait for each other: the audit's jobs look up every record's seal, side by
  /// side, and through a plain lock they mostly slept waiting for one another.
  private let lock = ReadWriteLock()

  init() {}

  func seal(_ key: Key) -> RecordSeal? { lock.reading { seals[key] } }

  func store(_ seal: RecordSeal, for key: Key) { lock.writing { seals[key] = seal } }

  /// Adds seals worked out elsewhere (the audit's verifiers), keeping any already here.
  func store(_ batch: [Key: RecordSeal]) {
    lock.writing {
      if seals.isEmpty {
        seals = batch
      } else {
        seals.merge(batch) { kept, _ in kept }
      }
    }
  }

  /// Every seal, leaving none: the caller frees them where it chooses.
  func takeAll() -> [Key: RecordSeal] {
    lock.writing {
      defer { seals = [:] }
      return seals
    }
  }
}
