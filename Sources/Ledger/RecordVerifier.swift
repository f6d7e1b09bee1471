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

  public init(people: People, repoID: String, repository: Repository? = nil) {
    self.people = people
    self.repoID = repoID
    self.repository = repository
  }

  public func verify<R: GovernanceRecord>(
    _ type: R.Type, at path: String, in snapshot: LedgerSnapshot
  ) -> Result<Signed<R>, RecordProblem> {
    do {
      guard let bytes = try snapshot.file(at: path) else {
        return .failure(RecordProblem(path: path, message: "is missing"))
      }
      guard let armored = try snapshot.file(at: path + LedgerPaths.signatureSuffix) else {
        return .failure(
          RecordProblem(
            path: path,
            message: "has no signature beside it (\(path).sig); an unsigned record never counts"))
      }
      return verify(type, bytes: bytes, armoredSignature: armored, path: path)
    } catch {
      return .failure(RecordProblem(path: path, message: "cannot be read: \(error)"))
    }
  }

  public func verify<R: GovernanceRecord>(
    _ type: R.Type, bytes: [UInt8], armoredSignature: [UInt8], path: String
  ) -> Result<Signed<R>, RecordProblem> {
    func problem(_ message: String) -> Result<Signed<R>, RecordProblem> {
      .failure(RecordProblem(path: path, message: message))
    }
    guard let armoredText = String(validating: armoredSignature, as: UTF8.self) else {
      return problem("has a signature file that is not text")
    }
    let signature: SSHSignature
    do {
      signature = try SSHSignature(armored: armoredText)
    } catch {
      return problem("has an unreadable signature: \(error)")
    }
    guard let signer = people.person(key: signature.publicKey.authorizedKey) else {
      return problem(
        "is signed by a key nobody registered (\(signature.publicKey.fingerprint)); a policy-admin can register it with git govern identity add"
      )
    }
    do {
      try SSHSignatureVerifier.verify(
        signature, message: bytes, namespace: LedgerPaths.recordNamespace,
        expectedKey: signature.publicKey)
    } catch {
      return problem(
        "signature by \(signer.id)'s key does not verify: \(error); the record was changed after it was signed, or the signature is not for it"
      )
    }
    let record: R
    do {
      record = try CanonicalJSON.decode(R.self, from: bytes, path: path)
    } catch {
      return problem(error.message)
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
    let validity = signer.validity(of: signature.publicKey.authorizedKey)
    guard let created = Timestamp.parse(record.created) else {
      return problem("has an unreadable time \"\(record.created)\"")
    }
    if let reason = validity.problem(at: created) {
      return problem(
        "was signed with \(signer.id)'s key \(signature.publicKey.fingerprint), and \(reason)")
    }
    if let revocation = validity.revoked, !existed(path, bytes: bytes, before: revocation.ledger) {
      return problem(
        "was signed with \(signer.id)'s key \(signature.publicKey.fingerprint), revoked at \(Timestamp.format(revocation.at)) "
          + "(\(revocation.reason)); only records already on the governance branch then still count"
      )
    }
    return .success(Signed(record: record, path: path, signer: signer))
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
