import Foundation
import GitKit
import Governance

/// The policy and people in force at one governance commit, each proven to be in force: the
/// genesis record signed them, or a chain of admin-signed changes leads back to it.
/// Loading fails closed: anything unproven is an error, and the gate blocks on it.
public struct GovernanceState {
  public let snapshot: LedgerSnapshot
  public let repoID: String
  public let policy: Policy
  public let policyBlob: OID
  public let people: People
  public let peopleBlob: OID
  /// The commits `init --baseline` marked as released before governance (from the signed
  /// genesis record): what they reach is in no release's range.
  public let releasedBefore: [OID]
  /// What was worked out on the way, shared with every state loaded through this one's memo.
  public let memo: LedgerMemo

  public var verifier: RecordVerifier {
    RecordVerifier(
      people: people, repoID: repoID, repository: snapshot.repository, seals: memo.seals)
  }

  /// `memo`: a command loading many states (an audit, an update check) passes its own, so that
  /// each distinct state is proven once.
  public static func load(_ snapshot: LedgerSnapshot, memo: LedgerMemo = LedgerMemo()) throws
    -> GovernanceState
  {
    // The proof reads only these five entries and the blobs they name: states with the same
    // entries are the same state (the audit loads one per governance commit).
    let key = try [
      LedgerPaths.repository, LedgerPaths.repository + LedgerPaths.signatureSuffix,
      LedgerPaths.policy, LedgerPaths.people, "changes",
    ].map { try snapshot.repository.entry(atPath: $0, inTree: snapshot.tree)?.oid }
    let proven = try memo.state(key) {
      guard let cache = memo.provenStates, let repoID = try? unverifiedRepoID(snapshot),
        // policy.yml and people.yml, by the key's order above.
        let root = OID(hex: repoID), let policyBlob = key[2], let peopleBlob = key[3]
      else { return Proven(try prove(snapshot, memo: memo)) }
      cache.bind(toGovernanceRoot: root)
      if cache.knows(key) {
        return try Proven(
          provenBefore: snapshot.repository, repoID: repoID, policyBlob: policyBlob,
          peopleBlob: peopleBlob,
          releasedBefore: try unverifiedGenesis(snapshot)?.releasedBefore() ?? [],
          memo: memo)
      }
      let proven = Proven(try prove(snapshot, memo: memo))
      cache.learn(key)
      return proven
    }
    return GovernanceState(
      snapshot: snapshot, repoID: proven.repoID, policy: proven.policy,
      policyBlob: proven.policyBlob, people: proven.people, peopleBlob: proven.peopleBlob,
      releasedBefore: proven.releasedBefore, memo: memo)
  }

  /// What a proof found, kept by the memo (a whole state would hold the memo itself).
  struct Proven {
    var repoID: String
    var policy: Policy
    var policyBlob: OID
    var people: People
    var peopleBlob: OID
    var releasedBefore: [OID]

    init(_ state: GovernanceState) {
      repoID = state.repoID
      policy = state.policy
      policyBlob = state.policyBlob
      people = state.people
      peopleBlob = state.peopleBlob
      releasedBefore = state.releasedBefore
    }

    /// A state with the proof entries of one this user proved before (`ProvenStateCache`):
    /// the genesis record, policy and people are those very blobs, so they are read, not
    /// proven again.
    init(
      provenBefore repository: Repository, repoID: String, policyBlob: OID, peopleBlob: OID,
      releasedBefore: [OID], memo: LedgerMemo
    ) throws {
      self.repoID = repoID
      self.releasedBefore = releasedBefore
      policy = try GovernanceState.policy(policyBlob, in: repository, memo: memo)
      people = try GovernanceState.people(peopleBlob, in: repository, memo: memo)
      (self.policyBlob, self.peopleBlob) = (policyBlob, peopleBlob)
    }
  }

  /// The repository id (governance root) the genesis record claims, before it is verified:
  /// what binds a `ProvenStateCache` to this repository's file (the seal, not this, is what
  /// protects it), and, for a state proven before, its id (the record is that very blob).
  private static func unverifiedRepoID(_ snapshot: LedgerSnapshot) throws -> String? {
    try unverifiedGenesis(snapshot)?.repo
  }

  /// The genesis record as it reads, unverified: for a state proven before, it is the very
  /// blob that proof verified (the cache key holds it).
  private static func unverifiedGenesis(_ snapshot: LedgerSnapshot) throws -> RepositoryRecord? {
    guard let bytes = try snapshot.file(at: LedgerPaths.repository) else { return nil }
    return try CanonicalJSON.decode(
      RepositoryRecord.self, from: bytes, path: LedgerPaths.repository)
  }

  private static func prove(_ snapshot: LedgerSnapshot, memo: LedgerMemo) throws
    -> GovernanceState
  {
    let genesis = try readGenesis(snapshot, memo: memo)
    guard let policyBlob = try snapshot.blobID(at: LedgerPaths.policy) else {
      throw LedgerError(
        "the governance branch has no policy.yml; it is damaged: restore it from a clone (git govern audit shows when it went)"
      )
    }
    guard let peopleBlob = try snapshot.blobID(at: LedgerPaths.people) else {
      throw LedgerError(
        "the governance branch has no people.yml; it is damaged: restore it from a clone")
    }
    // Revocations in the people.yml at hand apply to every change record, whichever earlier
    // people.yml it names (they can only take signatures away, so reading them before that
    // file is proven is safe).
    var chain = ChangeChain(
      snapshot: snapshot, genesis: genesis, memo: memo,
      revocations: try? GovernanceState.people(peopleBlob, in: snapshot.repository, memo: memo))
    try chain.requireCurrent(file: LedgerPaths.people, blob: peopleBlob)
    try chain.requireCurrent(file: LedgerPaths.policy, blob: policyBlob)
    return GovernanceState(
      snapshot: snapshot, repoID: genesis.repo, policy: try chain.policy(policyBlob),
      policyBlob: policyBlob,
      people: try chain.people(peopleBlob), peopleBlob: peopleBlob,
      releasedBefore: try genesis.releasedBefore(), memo: memo)
  }

  static func readGenesis(_ snapshot: LedgerSnapshot, memo: LedgerMemo = LedgerMemo()) throws
    -> RepositoryRecord
  {
    let path = LedgerPaths.repository
    guard let bytes = try snapshot.file(at: path),
      let signature = try snapshot.file(at: path + LedgerPaths.signatureSuffix)
    else {
      throw LedgerError(
        "the governance branch has no signed \(path); it was not made by git govern init, or it is damaged"
      )
    }
    let unverified = try CanonicalJSON.decode(RepositoryRecord.self, from: bytes, path: path)
    guard let peopleOID = OID(hex: unverified.people) else {
      throw LedgerError("\(path): field \"people\" is not an object id")
    }
    let firstPeople = try people(peopleOID, in: snapshot.repository, memo: memo)
    let verifier = RecordVerifier(
      people: firstPeople, repoID: unverified.repo, repository: snapshot.repository)
    switch verifier.verify(
      RepositoryRecord.self, bytes: bytes, armoredSignature: signature, path: path)
    {
    case .success(let signed): return signed.record
    case .failure(let problem): throw LedgerError("\(problem.path) \(problem.message)")
    }
  }

  /// Parsed by blob id, once per memo: blobs are content-addressed, so a parse stays valid.
  /// (`load` reads the genesis people and the people in force, often the same blob.)
  static func people(_ blob: OID, in repository: Repository, memo: LedgerMemo = LedgerMemo())
    throws -> People
  {
    try memo.people(blob) { try parsePeopleUncached(repository.blob(blob), blob: blob) }
  }

  static func policy(_ blob: OID, in repository: Repository, memo: LedgerMemo = LedgerMemo())
    throws -> Policy
  {
    try memo.policy(blob) { try parsePolicyUncached(repository.blob(blob), blob: blob) }
  }

  private static func parsePeopleUncached(_ bytes: [UInt8], blob: OID) throws -> People {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw LedgerError("people.yml (blob \(blob.hex.prefix(10))) is not UTF-8 text")
    }
    return try PeopleFile.parse(text)
  }

  private static func parsePolicyUncached(_ bytes: [UInt8], blob: OID) throws -> Policy {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw LedgerError("policy.yml (blob \(blob.hex.prefix(10))) is not UTF-8 text")
    }
    return try PolicyParser.parse(text)
  }
}

/// Proves blobs of `policy.yml` and `people.yml` were put in force by enough admins, as counted
/// by the policy and people in force before each change. A change never authorises itself.
struct ChangeChain {
  let snapshot: LedgerSnapshot
  let genesis: RepositoryRecord
  let memo: LedgerMemo
  /// The people whose key revocations every change signature is also judged by.
  let revocations: People?
  private var proven: [String: Bool] = [:]

  init(
    snapshot: LedgerSnapshot, genesis: RepositoryRecord, memo: LedgerMemo,
    revocations: People? = nil
  ) {
    self.snapshot = snapshot
    self.genesis = genesis
    self.memo = memo
    self.revocations = revocations
  }

  func policy(_ blob: OID) throws -> Policy {
    try GovernanceState.policy(blob, in: snapshot.repository, memo: memo)
  }

  func people(_ blob: OID) throws -> People {
    try GovernanceState.people(blob, in: snapshot.repository, memo: memo)
  }

  /// The current blob must be proven, and no proven change may have replaced it (a rollback).
  mutating func requireCurrent(file: String, blob: OID) throws {
    guard try isProven(file: file, blob: blob) else {
      throw LedgerError(
        "\(file) in the governance branch (blob \(blob.hex.prefix(10))) was not signed by enough policy-admins; "
          + "it was changed outside git govern. Restore it from a clone, or have admins sign the change (git govern policy apply)"
      )
    }
    var successors: [OID: OID] = [:]  // base -> the proven change that replaced it
    for entry in try snapshot.entries(in: "changes/\(LedgerPaths.changeStem(file))") {
      guard let later = OID(hex: entry.name), try isProven(file: file, blob: later) else {
        continue
      }
      let bases = Set(
        try changeSignatures(file: file, blob: later).filter { Self.isBound($0.record) }.compactMap
        { OID(hex: $0.record.base) })
      for base in bases {
        if base == blob, later != blob {
          throw LedgerError(
            "\(file) was rolled back: blob \(blob.hex.prefix(10)) was replaced by \(later.hex.prefix(10)) in a signed change, yet it is back in force"
          )
        }
        // Two signed successors of one state: one of them was signed against a state that was
        // already replaced (the way round a raised admin threshold). Which came first only the
        // history tells (`git govern audit`); until then nothing is in force.
        if let other = successors[base], other != later {
          throw LedgerError(
            "\(file) has two signed changes of the same blob \(base.hex.prefix(10)) (to \(other.hex.prefix(10)) and to \(later.hex.prefix(10))): "
              + "one was signed against a state already replaced, so neither is trusted; `git govern audit` shows which commit did it"
          )
        }
        successors[base] = later
      }
    }
  }

  /// A change record is bound to the state it replaces: a policy change names, as the policy in
  /// force, the very blob it replaces (and a people change the people it replaces). Otherwise
  /// it could count admins under an older, weaker policy, or by an older people.yml.
  static func isBound(_ record: ChangeProposal) -> Bool {
    record.file == LedgerPaths.policy ? record.policy == record.base : record.people == record.base
  }

  mutating func isProven(file: String, blob: OID) throws -> Bool {
    let key = "\(file) \(blob.hex)"
    if let known = proven[key] { return known }
    let genesisBlob = file == LedgerPaths.policy ? genesis.policy : genesis.people
    if blob.hex == genesisBlob {
      proven[key] = true
      return true
    }
    proven[key] = false  // a cycle proves nothing
    let result = try proveChange(file: file, blob: blob)
    proven[key] = result
    return result
  }

  /// Signatures are grouped by the state they were made against; any group with enough
  /// admins of that earlier state proves the change.
  private mutating func proveChange(file: String, blob: OID) throws -> Bool {
    let signatures = try changeSignatures(file: file, blob: blob)
    let groups = Dictionary(grouping: signatures) {
      "\($0.record.base) \($0.record.policy) \($0.record.people)"
    }
    for group in groups.values {
      let first = group[0].record
      guard Self.isBound(first), let base = OID(hex: first.base),
        let policyBefore = OID(hex: first.policy),
        let peopleBefore = OID(hex: first.people),
        try isProven(file: file, blob: base),
        try isProven(file: LedgerPaths.policy, blob: policyBefore),
        try isProven(file: LedgerPaths.people, blob: peopleBefore)
      else { continue }
      let admins = try people(peopleBefore)
      let signers = Set(
        group.filter { admins[$0.signer.id]?.hasRole("policy-admin") == true }.map(\.signer.id))
      if signers.count >= (try policy(policyBefore)).adminApprovals { return true }
    }
    return false
  }

  /// The verified change records in `changes/<file>/<blob>/`, verified against the people
  /// the records say were in force (proven separately by the caller).
  mutating func changeSignatures(file: String, blob: OID) throws -> [Signed<ChangeProposal>] {
    let directory = LedgerPaths.changeDirectory(file: file, blob: blob.hex)
    var result: [Signed<ChangeProposal>] = []
    for entry in try snapshot.entries(in: directory) where entry.name.hasSuffix(".json") {
      let path = "\(directory)/\(entry.name)"
      guard let bytes = try snapshot.file(at: path),
        let unverified = try? CanonicalJSON.decode(ChangeProposal.self, from: bytes, path: path),
        unverified.file == file, unverified.blob == blob.hex,
        let peopleBefore = OID(hex: unverified.people)
      else { continue }
      var before = try people(peopleBefore)
      if let revocations { before = before.withRevocations(from: revocations) }
      let verifier = RecordVerifier(
        people: before, repoID: genesis.repo, repository: snapshot.repository,
        seals: memo.seals)
      if case .success(let signed) = verifier.verify(ChangeProposal.self, at: path, in: snapshot) {
        result.append(signed)
      }
    }
    return result.sorted { $0.record.created < $1.record.created }
  }
}

extension RepositoryRecord {
  /// `baseline_commit` as an object id; a signed genesis record naming something else is
  /// damaged, and the state does not load (fail closed: a floor read wrongly would hide commits).
  func releasedBefore() throws -> [OID] {
    guard let text = baseline_commit else { return [] }
    guard let oid = OID(hex: text) else {
      throw LedgerError(
        "\(LedgerPaths.repository): field \"baseline_commit\" is not a commit id, got \"\(text)\"")
    }
    return [oid]
  }
}
