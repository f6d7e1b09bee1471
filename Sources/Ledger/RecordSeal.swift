import Foundation
import GitKit
import Governance
import Signing
import Synchronization

/// What a record and its signature file say before anyone's keys are consulted: the key that
/// signed, whether the signature holds for these bytes, and the decoded record. It depends
/// only on the two blobs, so a process works it out once per pair: the history check and the
/// release audit read the same 60,000 records, and the audit works them out on every core.
struct RecordSeal: Sendable {
  enum Signature: Sendable {
    /// Why the signature file could not be read.
    case unreadable(String)
    /// The key embedded in the signature, and why the signature does not hold (nil: it holds).
    case signed(SealedKey, failure: String?)
  }

  /// The signing key's text forms, worked out once per key and shared by its records.
  struct SealedKey: Sendable {
    var authorizedKey: String
    var fingerprint: String

    private static let known = Mutex<[SSHPublicKey: SealedKey]>([:])

    static func of(_ key: SSHPublicKey) -> SealedKey {
      if let sealed = known.withLock({ $0[key] }) { return sealed }
      let sealed = SealedKey(authorizedKey: key.authorizedKey, fingerprint: key.fingerprint)
      known.withLock { $0[key] = sealed }
      return sealed
    }
  }

  let signature: Signature
  let record: Result<any GovernanceRecord, InputError>

  /// `blobs` and `cache`, when given, spare the verification of a signature this user's
  /// git-govern saw verify before (`VerificationCache`); what it decides is the same.
  static func make<R: GovernanceRecord>(
    _ type: R.Type, bytes: [UInt8], armoredSignature: [UInt8], path: String,
    blobs: RecordSeals.Key? = nil, cache: VerificationCache? = nil
  ) -> RecordSeal {
    RecordSeal(
      signature: signature(
        of: bytes, armored: armoredSignature, blobs: cache == nil ? nil : blobs, cache: cache),
      record: Result { try CanonicalJSON.decode(R.self, from: bytes, path: path) }.mapError {
        $0 as? InputError ?? InputError(file: path, "\($0)")
      })
  }

  private static func signature(
    of bytes: [UInt8], armored: [UInt8], blobs: RecordSeals.Key?, cache: VerificationCache?
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
      return .signed(SealedKey.of(signature.publicKey), failure: nil)
    }
    do {
      try SSHSignatureVerifier.verify(
        signature, message: bytes, namespace: LedgerPaths.recordNamespace,
        expectedKey: signature.publicKey)
      if let blobs {
        cache?.learn(record: blobs.record, signature: blobs.signature, key: signature.publicKey)
      }
      return .signed(SealedKey.of(signature.publicKey), failure: nil)
    } catch {
      return .signed(SealedKey.of(signature.publicKey), failure: "\(error)")
    }
  }
}

/// Seals by (record blob, signature blob), shared by the whole process. The same blobs at
/// another path share the seal; only a decoding error names a path, and `judge` words it
/// again for the path it judges.
final class RecordSeals: @unchecked Sendable {
  static let shared = RecordSeals()

  struct Key: Hashable {
    var record: OID
    var signature: OID

    func hash(into hasher: inout Hasher) {
      hasher.combine(record.hashWord ^ signature.hashWord.byteSwapped)
    }
  }

  private var seals: [Key: RecordSeal] = [:]
  /// Readers do not wait for each other: after the first pass, the audit's two workers look up
  /// 120,000 seals, and through a plain lock they mostly slept waiting for one another.
  private let lock = ReadWriteLock()

  func seal(_ key: Key) -> RecordSeal? { lock.reading { seals[key] } }

  func store(_ seal: RecordSeal, for key: Key) { lock.writing { seals[key] = seal } }

  func removeAll() { lock.writing { seals = [:] } }

  /// Every seal, leaving none: the caller frees them where it chooses.
  func takeAll() -> [Key: RecordSeal] {
    lock.writing {
      defer { seals = [:] }
      return seals
    }
  }

  /// Room for `count` seals, so that storing them never rehashes the table.
  func reserve(_ count: Int) { lock.writing { seals.reserveCapacity(count) } }

  func store(_ batch: [(Key, RecordSeal)]) {
    lock.writing {
      for (key, seal) in batch { seals[key] = seal }
    }
  }
}
