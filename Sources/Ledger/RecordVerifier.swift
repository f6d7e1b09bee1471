import Foundation
import GitKit
import Governance
import Signing

/// Reads a record and its detached signature from the governance tree and decides whether to
/// trust it: the signature must verify natively in the `git-govern` namespace, by a key
/// registered to the person the record names, for this repository. Anything less is a
/// `RecordProblem`, never a silent skip.
public struct RecordVerifier {
  public let people: People
  public let repoID: String
  /// Where revocations are checked: a record signed by a revoked key counts only if the
  /// governance commit named by the revocation already held it. Without it, such records fail.
  public let repository: Repository?
  /// The server's own clock when it accepts the record (pre-receive), or when a server-signed
  /// acceptance says it first saw it. A record's `created` is only its signer's claim: when this
  /// is known, the key must also be valid at this time, and `created` may not lie beyond it.
  public var acceptedAt: Date?
  /// Where seals already worked out are kept (a state's memo), so a record judged again is not
  /// verified again; nil: each record is verified afresh.
  let seals: RecordSeals?

  public init(people: People, repoID: String, repository: Repository? = nil) {
    self.init(people: people, repoID: repoID, repository: repository, seals: nil)
  }

  init(people: People, repoID: String, repository: Repository?, seals: RecordSeals?) {
    self.people = people
    self.repoID = repoID
    self.repository = repository
    self.seals = seals
  }

  /// `known` may hold tree entries by path already listed by the caller (a release folder, the
  /// files a commit adds), so the record and its signature are not looked up again.
  public func verify<R: GovernanceRecord>(
    _ type: R.Type, at path: String, in snapshot: LedgerSnapshot, known: [String: TreeEntry] = [:]
  ) -> Result<Signed<R>, RecordProblem> {
    func blobID(_ path: String) throws -> OID? {
      guard let entry = known[path] else { return try snapshot.blobID(at: path) }
      return try LedgerSnapshot.plainFile(entry, at: path)
    }
    do {
      guard let recordID = try blobID(path) else {
        return .failure(RecordProblem(path: path, message: "is missing"))
      }
      guard let signatureID = try blobID(path + LedgerPaths.signatureSuffix) else {
        return .failure(
          RecordProblem(
            path: path,
            message: "has no signature beside it (\(path).sig); an unsigned record never counts"))
      }
      let key = RecordSeals.Key(record: recordID, signature: signatureID)
      if let seal = seals?.seal(key) {
        return judge(type, seal: seal, path: path) { try snapshot.file(recordID, at: path) }
      }
      let bytes = try snapshot.file(recordID, at: path)
      let armored = try snapshot.file(signatureID, at: path + LedgerPaths.signatureSuffix)
      let seal = RecordSeal.make(type, bytes: bytes, armoredSignature: armored, path: path)
      seals?.store(seal, for: key)
      return judge(type, seal: seal, path: path) { bytes }
    } catch {
      return .failure(RecordProblem(path: path, message: "cannot be read: \(error)"))
    }
  }

  public func verify<R: GovernanceRecord>(
    _ type: R.Type, bytes: [UInt8], armoredSignature: [UInt8], path: String
  ) -> Result<Signed<R>, RecordProblem> {
    let seal = RecordSeal.make(type, bytes: bytes, armoredSignature: armoredSignature, path: path)
    return judge(type, seal: seal, path: path) { bytes }
  }

  /// The people-dependent half: whose key signed, and whether that person may have signed this.
  /// `bytes` is read only when a revocation has to be checked.
  func judge<R: GovernanceRecord>(
    _ type: R.Type, seal: RecordSeal, path: String, bytes: () throws -> [UInt8]
  ) -> Result<Signed<R>, RecordProblem> {
    func problem(_ message: String) -> Result<Signed<R>, RecordProblem> {
      .failure(RecordProblem(path: path, message: message))
    }
    let key: RecordSeal.SealedKey
    let failure: String?
    switch seal.signature {
    case .unreadable(let message): return problem(message)
    case .signed(let signedBy, let why):
      key = signedBy
      failure = why
    }
    let authorizedKey = key.authorizedKey
    guard let signer = people.person(key: authorizedKey) else {
      return problem(
        "is signed by a key nobody registered (\(key.fingerprint)); a policy-admin can register it with git govern identity add"
      )
    }
    if let failure {
      return problem(
        "signature by \(signer.id)'s key does not verify: \(failure); the record was changed after it was signed, or the signature is not for it"
      )
    }
    let record: R
    switch seal.record {
    case .failure(let error) where error.file == path: return problem(error.message)
    case .failure(let error):
      do {
        _ = try CanonicalJSON.decode(R.self, from: try bytes(), path: path)
        return problem(error.message)
      } catch let error as InputError {
        return problem(error.message)
      } catch {
        return problem("cannot be read: \(error)")
      }
    case .success(let decoded):
      guard let typed = decoded as? R else {
        return problem("is not a \(R.recordKind) record")
      }
      record = typed
    }
    if record.actor != signer.id {
      return problem("names actor \(record.actor) but was signed by \(signer.id)'s key")
    }
    if people.person(email: record.email)?.id != signer.id {
      return problem(
        "names email \(record.email), which is not one of \(signer.id)'s registered emails")
    }
    if record.repo != repoID {
      return problem(
        "belongs to another repository (its governance root is \(record.repo), this one's is \(repoID)); records cannot be replayed"
      )
    }
    let validity = signer.validity(of: authorizedKey)
    guard let created = Timestamp.parse(record.created) else {
      return problem("has an unreadable time \"\(record.created)\"")
    }
    if let reason = validity.problem(at: created) {
      return problem(
        "was signed with \(signer.id)'s key \(key.fingerprint), and \(reason)")
    }
    if let acceptedAt {
      if created.timeIntervalSince(acceptedAt) > ReleaseEvaluator.clockSkew {
        return problem(
          "is dated \(record.created), in the future of the server's clock (\(Timestamp.format(acceptedAt))); records are signed when they are made"
        )
      }
      if let reason = validity.problem(at: acceptedAt) {
        return problem(
          "reached the server at \(Timestamp.format(acceptedAt)), when \(signer.id)'s key \(key.fingerprint) could not sign: it \(reason.replacingOccurrences(of: "was signed at", with: "would count at"))"
        )
      }
    }
    if let revocation = validity.revoked,
      !existed(path, bytes: (try? bytes()) ?? [], before: revocation.ledger)
    {
      return problem(
        "was signed with \(signer.id)'s key \(key.fingerprint), revoked at \(Timestamp.format(revocation.at)) "
          + "(\(revocation.reason)); only records already on the governance branch then still count"
      )
    }
    return .success(Signed(record: record, path: path, signer: signer, key: authorizedKey))
  }
}

extension RecordVerifier {
  /// Whether the governance commit `ledger` held these very bytes at `path`.
  func existed(_ path: String, bytes: [UInt8], before ledger: String) -> Bool {
    guard let repository, let commit = OID(hex: ledger),
      let tree = try? repository.tree(ofCommit: commit),
      let entry = try? repository.entry(atPath: path, inTree: tree),
      let stored = try? repository.blob(entry.oid)
    else { return false }
    return stored == bytes
  }
}
