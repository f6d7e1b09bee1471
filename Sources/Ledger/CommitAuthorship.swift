import GitKit
import Governance
import Signing

/// Who signed the commits of a release range. A commit's author, committer and trailers are
/// what whoever made it typed (`git commit --author` sets any of them); its `gpgsig` is the
/// proof. Signatures are read from the commit's own bytes and verified natively in the `git`
/// namespace, as governance commits are; only SSH signatures by keys registered in people.yml
/// count.
enum CommitAuthorship {
  /// Verifies the signature of every commit of `range`, and adds each signer to the facts'
  /// contributors (once per person). For policies with `signed_commits: true` only: reading
  /// every commit's signature costs what reading the commits does again.
  static func addSignatures(
    to facts: inout ReleaseFacts, range: ReleaseRange, repository: Repository, people: People
  ) throws {
    var signatures = RangeSignatures()
    var signers = Set<String>()
    for (oid, outcome) in try zip(range.commits, outcomes(range.commits, repository, people)) {
      switch outcome {
      case .success(let signer):
        guard signers.insert(signer.person).inserted else { continue }
        signatures.signers.append(signer)
        facts.contributors.append(
          Contributor(
            commit: oid.hex, email: signer.fingerprint, person: signer.person,
            contribution: .signed))
      case .failure(let unsigned):
        signatures.unsigned.append(unsigned)
      }
    }
    facts.signatures = signatures
  }

  /// Each commit's signer or why it has none, in order; a long range (a first release over the
  /// whole history) is read on every core, as its contributors are.
  static func outcomes(_ commits: [OID], _ repository: Repository, _ people: People)
    throws -> [Result<CommitSigner, UnsignedCommit>]
  {
    guard commits.count >= ReleaseRange.parallelReading else {
      return try commits.map { try signer(of: $0, in: repository, people: people) }
    }
    let handles = try WorkerHandles(repository)
    let size =
      (commits.count + 4 * handles.repositories.count - 1) / (4 * handles.repositories.count)
    return try ParallelJobs.run(handles, chunksOf: commits.count, size: size) { range in
      let chunk = commits[range]
      return { repository in try chunk.map { try signer(of: $0, in: repository, people: people) } }
    }
  }

  /// An OpenPGP signature counts when gpg finds it good and its key's fingerprint (or its
  /// primary key's) is registered in people.yml; gpg's own trust database is not asked.
  private static func openPGPSigner(
    of oid: OID, _ payload: [UInt8], _ armored: String, people: People
  ) -> Result<CommitSigner, UnsignedCommit> {
    switch OpenPGPVerifier.verify(payload: payload, armoredSignature: armored) {
    case .notVerified(let why):
      return .failure(UnsignedCommit(commit: oid.hex, reason: .openPGP(why)))
    case .valid(let fingerprints):
      for fingerprint in fingerprints {
        if let person = people.person(pgpFingerprint: fingerprint) {
          return .success(
            CommitSigner(
              commit: oid.hex, person: person.id, key: "openpgp \(fingerprint)",
              fingerprint: "OpenPGP \(fingerprint)"))
        }
      }
      return .failure(
        UnsignedCommit(
          commit: oid.hex, reason: .unknownKey("OpenPGP \(fingerprints.last ?? "")")))
    }
  }

  /// The registered key that validly signed `oid`, or why there is none.
  static func signer(of oid: OID, in repository: Repository, people: People) throws -> Result<
    CommitSigner, UnsignedCommit
  > {
    func unsigned(_ reason: UnsignedCommit.Reason) -> Result<CommitSigner, UnsignedCommit> {
      .failure(UnsignedCommit(commit: oid.hex, reason: reason))
    }
    let raw = try repository.rawObject(oid)
    guard raw.kind == .commit else { return unsigned(.invalid("it is not a commit")) }
    let envelope: CommitSignature
    do {
      envelope = try CommitSignature(rawCommit: raw.bytes)
    } catch {
      return unsigned(.invalid("its signature header is unreadable: \(error)"))
    }
    guard let armored = envelope.armoredSignature else { return unsigned(.unsigned) }
    if armored.hasPrefix("-----BEGIN PGP SIGNATURE-----") {
      return openPGPSigner(of: oid, envelope.payload, armored, people: people)
    }
    guard armored.hasPrefix("-----BEGIN SSH SIGNATURE-----") else { return unsigned(.notSSH) }
    let signature: SSHSignature
    do {
      signature = try envelope.parsedSignature()
    } catch {
      return unsigned(.invalid("\(error)"))
    }
    let key = signature.publicKey.authorizedKey
    guard let person = people.person(key: key) else {
      return unsigned(.unknownKey(signature.publicKey.fingerprint))
    }
    do {
      try envelope.verify(expectedKey: signature.publicKey)
    } catch {
      return unsigned(.invalid("\(error)"))
    }
    return .success(
      CommitSigner(
        commit: oid.hex, person: person.id, key: Person.normalisedKey(key),
        fingerprint: signature.publicKey.fingerprint))
  }
}
