import Foundation
import GitKit
import Governance
import Signing

/// What the server checks before the governance branch moves: it only fast-forwards; every new
/// commit is signed by a registered key; records are only added, never changed or removed; every
/// new record verifies for the person it names, in this repository, for the release whose folder
/// holds it; and `people.yml`/`policy.yml` change only as the policy in force before allowed.
public struct GovernanceUpdateCheck {
  public let repository: Repository
  public let ref: String
  /// Called after each commit checked, with how many are done and how many there are.
  public var progress: ((Int, Int) -> Void)?
  /// The server's own clock, when it judges a push (never the pusher's `GIT_GOVERN_NOW`): new
  /// records may not be dated beyond it, and their keys must be valid at it. Nil in the audit,
  /// which re-checks commits long after they were accepted.
  public var now: Date?
  /// The states, parses and record seals this check works out, kept for its other commits (the
  /// audit passes its own, shared with the rest of the audit).
  public var memo = LedgerMemo()
  /// Commit signatures seen to verify before (the audit's `VerificationCache`): each one
  /// found there is not verified again; whose key signed is still judged here. Without a
  /// server clock (`now`, the audit's case), whole commits this checker found sound before are
  /// taken from it too: such a verdict depends on the commit's history alone.
  var cache: VerificationCache?

  /// Raised whenever what `checkCommit` finds changes (a rule added, a message reworded): the
  /// verification cache's "found sound" entries name it, so an audit by a build with other
  /// rules checks every commit again instead of believing an older build's verdict.
  static let rulesRevision = 1

  public init(repository: Repository, ref: String) {
    self.repository = repository
    self.ref = ref
  }

  /// Index entries that may be added and removed; everything else is a record, added once.
  static func isIndex(_ path: String) -> Bool {
    path.hasPrefix("targets/") || path.hasPrefix("incidents/open/")
  }

  /// Every reason to refuse the update; empty when it may go ahead.
  public func problems(old: OID, new: OID) -> [String] {
    switch plan(old: old, new: new) {
    case .refused(let problems): return problems
    case .commits(_, let tipProblem?): return [tipProblem]
    case .commits(let commits, nil):
      return problems(in: commits[...], new: new) { done in progress?(done, commits.count) }
    }
  }

  /// What an update needs checked: its new commits, oldest first, or why it is refused
  /// before any of them is looked at. A tip that is not a sound governance state refuses the
  /// update at once on the server; the audit still checks each commit, to say which one broke it.
  enum Plan {
    case refused([String])
    case commits([OID], tipProblem: String?)
  }

  func plan(old: OID, new: OID) -> Plan {
    do {
      if new.isZero {
        return .refused(["\(ref) holds the governance records; deleting it is not allowed"])
      }
      guard case .commit = try repository.kind(of: new) else {
        return .refused(["\(ref) must point at a commit"])
      }
      if !old.isZero {
        guard try old == new || repository.isDescendant(new, of: old) else {
          return .refused([
            "\(ref) only fast-forwards: this push would drop commits of \(old.hex.prefix(10)); run `git govern sync` and push again"
          ])
        }
      }
      let commits = try repository.walk(
        from: [new], hiding: old.isZero ? [] : [old], order: .topological, reverse: true
      ).collect()
      // The tip must be a sound governance state (genesis, proven policy and people).
      do {
        _ = try GovernanceState.load(
          LedgerSnapshot(repository: repository, commit: new), memo: memo)
      } catch {
        return .commits(commits, tipProblem: "\(ref) at \(new.hex.prefix(10)): \(error)")
      }
      return .commits(commits, tipProblem: nil)
    } catch {
      return .refused([cannotCheck(error)])
    }
  }

  /// The problems of some of the planned commits (the audit checks slices on every core);
  /// `checked` is called after each commit with how many of these are done.
  func problems(in commits: ArraySlice<OID>, new: OID, checked: (Int) -> Void = { _ in })
    -> [String]
  {
    do {
      // The governance root, as the signed genesis record names it: any other root is foreign.
      let root = try GovernanceState.readGenesis(
        LedgerSnapshot(repository: repository, commit: new), memo: memo
      )
      .repo
      var problems: [String] = []
      let trees = ObjectHygiene.SubtreeMemo()
      // Only without a server clock: with one, new records are judged against that clock.
      let soundCommits = now == nil ? cache : nil
      for (index, oid) in commits.enumerated() {
        defer { checked(index + 1) }
        if soundCommits?.knows(soundCommit: oid) == true { continue }
        let found = try checkCommit(oid, root: root, trees: trees)
        if found.isEmpty { soundCommits?.learn(soundCommit: oid) }
        problems += found
      }
      return problems
    } catch {
      return [cannotCheck(error)]
    }
  }

  private func cannotCheck(_ error: Error) -> String {
    "\(ref) cannot be checked, so it stays where it is: \(error)"
  }

  private func checkCommit(_ oid: OID, root: String, trees: ObjectHygiene.SubtreeMemo) throws
    -> [String]
  {
    let hygiene = try ObjectHygiene(repository: repository, trees: trees)
      .problems(ofGovernanceCommit: oid, root: root)
    if !hygiene.isEmpty { return hygiene }
    let commit = try repository.commit(oid)
    let label = "governance commit \(oid.hex.prefix(10))"
    if commit.parents.isEmpty {
      // The root holds only the first policy and people; its signer is registered in them
      // (the genesis record, checked with every state, names that very people.yml).
      guard
        let peopleBlob = try repository.entry(atPath: LedgerPaths.people, inTree: commit.tree)?.oid
      else { return ["\(label): the root holds no people.yml"] }
      let people = try GovernanceState.people(peopleBlob, in: repository, memo: memo)
      return try commitSignatureProblem(oid, people: [people]).map { ["\(label): \($0)"] } ?? []
    }
    let snapshot = try LedgerSnapshot(repository: repository, commit: oid)
    let state: GovernanceState
    let binding = ChangeBinding(repository: repository, now: now, memo: memo)
    do {
      state = try GovernanceState.load(snapshot, memo: memo)
    } catch {
      // Which change broke the state, and how, is what an auditor needs to know.
      return ["\(label): \(error)"]
        + (try binding.problems(parents: commit.parents, snapshot: snapshot)).map {
          "\(label) \($0)"
        }
    }
    var problems: [String] = []
    // The commit itself: signed, by a key registered now or before it.
    let parentStates = commit.parents.compactMap {
      try? GovernanceState.load(LedgerSnapshot(repository: repository, commit: $0), memo: memo)
    }
    if let problem = try commitSignatureProblem(oid, people: ([state] + parentStates).map(\.people))
    {
      problems.append("\(label): \(problem)")
    }
    if commit.parents.isEmpty { return problems }
    problems += try binding.problems(parents: commit.parents, snapshot: snapshot)
      .map { "\(label) \($0)" }
    // Records are only added: compared with every parent, nothing is removed or changed, and
    // each record that is new to all parents verifies.
    var added: [String: TreeEntry] = [:]
    var indexProblems: [String] = []
    for (index, parent) in commit.parents.enumerated() {
      var addedHere: [String: TreeEntry] = [:]
      var removedIndex: [String] = []
      for change in try repository.changes(
        from: try repository.tree(ofCommit: parent), to: commit.tree)
      {
        let path = change.path
        if change.kind == .added {
          addedHere[path] = change.new
          if index == 0 || added[path] != nil { added[path] = change.new }
          continue
        }
        added[path] = nil
        if path == LedgerPaths.policy || path == LedgerPaths.people { continue }
        if change.kind == .removed, IndexJustification.isRemovable(path) {
          removedIndex.append(path)
          continue
        }
        problems.append(
          "\(label) \(change.kind == .removed ? "removes" : "changes") \(path); records are only ever added"
        )
      }
      // Index entries are pointers the gate follows: each one added or removed must be
      // justified by a signed record this commit adds against the same parent.
      for problem in IndexJustification(state: state, now: now).problems(
        added: addedHere, removed: removedIndex) where !indexProblems.contains(problem)
      {
        indexProblems.append(problem)
      }
      if index > 0 {
        // A path new against the first parent but present in this one is not new to all.
        added = added.filter { path, _ in
          (try? repository.entry(atPath: path, inTree: repository.tree(ofCommit: parent))) == nil
        }
      }
    }
    var fileProblems: [(path: String, problem: String)] = []
    for (path, entry) in added {
      if let problem = try newFileProblem(path, entry: entry, state: state, added: added) {
        fileProblems.append((path, problem))
      }
    }
    // In the order of the paths, whatever order the tree diff gave them in.
    return problems + indexProblems.map { "\(label): \($0)" }
      + fileProblems.sorted { $0.path < $1.path }.map { "\(label): \($0.path) \($0.problem)" }
  }

  private func commitSignatureProblem(_ oid: OID, people: [People]) throws -> String? {
    let raw = try repository.rawObject(oid).bytes
    let envelope: CommitSignature
    do {
      envelope = try CommitSignature(rawCommit: raw)
    } catch {
      return "has an unreadable signature header: \(error)"
    }
    guard envelope.armoredSignature != nil else {
      return "is not signed; governance commits are made by git govern, which signs them"
    }
    let signature = try envelope.parsedSignature()
    guard
      people.contains(where: { $0.person(key: signature.publicKey.authorizedKey) != nil })
    else {
      return "is signed by a key nobody registered (\(signature.publicKey.fingerprint))"
    }
    if cache?.knows(commit: oid, key: signature.publicKey) == true { return nil }
    do {
      try envelope.verify(expectedKey: signature.publicKey)
    } catch {
      return "has a signature that does not verify: \(error)"
    }
    cache?.learn(commit: oid, key: signature.publicKey)
    return nil
  }

  private func newFileProblem(
    _ path: String, entry: TreeEntry, state: GovernanceState, added: [String: TreeEntry]
  ) throws -> String? {
    guard entry.fileMode == TreeEntry.modeBlob else {
      return "is not a plain file (mode \(String(entry.fileMode, radix: 8)))"
    }
    // Index entries are judged by IndexJustification, signatures with their records.
    if Self.isIndex(path) || path.hasSuffix(LedgerPaths.signatureSuffix) { return nil }
    if path == LedgerPaths.policy || path == LedgerPaths.people { return nil }  // proven by GovernanceState.load
    let parts = LedgerPaths.parts(of: path)
    if parts.first == "changes", parts.count == 4,
      parts[3] == "policy.yml" || parts[3] == "people.yml"
    {
      return nil
    }
    guard path.hasSuffix(".json") else {
      return "is not a record (records end in .json, with a .sig beside them)"
    }
    var verifier = state.verifier
    verifier.acceptedAt = now
    let snapshot = state.snapshot
    func outcome<R: GovernanceRecord>(_ type: R.Type) -> Result<Signed<R>, RecordProblem> {
      verifier.verify(type, at: path, in: snapshot, known: added)
    }
    func describe<R: GovernanceRecord>(
      _ result: Result<Signed<R>, RecordProblem>, release: String? = nil
    ) -> String? {
      switch result {
      case .failure(let problem): return problem.message
      case .success(let signed):
        if let release, let bound = signed.record as? any ReleaseBoundRecord,
          bound.release != release
        {
          return
            "names release \(bound.release) but sits in \(release)'s folder: a record replayed from another release"
        }
        return nil
      }
    }
    func declarer<R: GovernanceRecord>(_ result: Result<Signed<R>, RecordProblem>, _ what: String)
      -> String?
    {
      guard case .success(let signed) = result else { return nil }
      return CalendarRecords.declarerProblem(signed, state: state, what: what)?.message
    }
    switch parts.first {
    case "releases" where parts.count == 4:
      let release = String(parts[2])
      let name = String(parts[3])
      guard parts[1] == LedgerPaths.releaseShard(release), LedgerPaths.isValidReleaseID(release)
      else {
        return
          "is not where git-govern keeps the records of \(release) (\(LedgerPaths.releaseDirectory(release)))"
      }
      guard let type = LedgerPaths.releaseRecordType(fileName: name) else {
        return "is not a kind of record git-govern knows"
      }
      func check<R: GovernanceRecord>(_ type: R.Type) -> String? {
        let result = outcome(type)
        if case .success(let signed) = result,
          R.self == PushReceipt.self || R.self == AcceptanceReceipt.self,
          !signed.signer.hasRole(PushReceipt.serverRole)
        {
          return "is a server receipt signed by \(signed.signer.id), who is not a server"
        }
        if case .success(let signed) = result, let closeout = signed as? Signed<Closeout> {
          // Only the requester, a policy-admin or a closeout_roles holder ends a release.
          guard
            case .success(let request) = verifier.verify(
              ReleaseRequest.self, at: LedgerPaths.request(release), in: snapshot, known: added)
          else { return "is a closeout of \(release), which has no readable request" }
          if let problem = ReleaseCatalog.closeoutProblem(
            closeout, requester: request.signer.id, policy: state.policy)
          {
            return problem
          }
        }
        // Read only where the folder holds a closeout at all: most approvals have none.
        if case .success(let signed) = result, signed is Signed<Approval>,
          (try? snapshot.entries(in: LedgerPaths.releaseDirectory(release)))?.contains(where: {
            LedgerPaths.releaseRecordKind(fileName: $0.name) == "closeout"
          }) == true,
          let ended = try? ReleaseCatalog(state: state).records(of: release).closeouts.min(by: {
            $0.record.created < $1.record.created
          })
        {
          // A closed, cancelled or withdrawn release is over: nothing more counts for it.
          return
            "is an approval of \(release), which was \(ended.record.outcome == .cancelled ? "cancelled" : "closed out as \(ended.record.outcome.rawValue)") by \(ended.signer.id) at \(ended.record.created): it is over, so no approval is taken; request a new release"
        }
        // On the server, an approval in another's place needs that delegation in force by the
        // server's clock: the approval's own time is its signer's claim.
        if case .success(let signed) = result, let approval = signed as? Signed<Approval>,
          let holder = approval.record.on_behalf_of, let now
        {
          let delegations = try? DelegationRecords.load(
            state, sinceMonth: String(Timestamp.format(now).prefix(7)))
          if delegations?.delegations.inForce(from: holder, to: approval.signer.id, at: now) == nil
          {
            return
              "is an approval by \(approval.signer.id) in \(holder)'s place, but no delegation from \(holder) to \(approval.signer.id) is in force now (\(Timestamp.format(now)), the server's clock); \(holder) can run: git govern delegate \(approval.signer.id) --until <time>"
          }
        }
        return describe(result, release: release)
      }
      return check(type)
    case "changes" where parts.count == 4:
      // A change record verifies against the people in force before it, which it names.
      guard let bytes = try snapshot.file(at: path),
        let unverified = try? CanonicalJSON.decode(ChangeProposal.self, from: bytes, path: path),
        let before = OID(hex: unverified.people), repository.objectExists(before)
      else { return "is not a readable change record" }
      let people = try GovernanceState.people(before, in: repository, memo: memo)
      var earlier = RecordVerifier(
        people: people.withRevocations(from: state.people), repoID: state.repoID,
        repository: repository, seals: memo.seals)
      earlier.acceptedAt = now
      return describe(earlier.verify(ChangeProposal.self, at: path, in: snapshot))
    case "freezes" where parts.count == 3:
      // Only a holder of a `freezes.declare` role declares or cancels a freeze.
      if CalendarRecords.isCancellation(String(parts[2])) {
        let result = outcome(FreezeCancellation.self)
        return describe(result) ?? declarer(result, "a freeze cancellation")
      }
      let result = outcome(FreezeRecord.self)
      return describe(result) ?? declarer(result, "a freeze")
    case "incidents" where parts.count == 4 && parts[1] == "records":
      let result = outcome(IncidentRecord.self)
      return describe(result) ?? declarer(result, "an incident record")
    case "delegations" where parts.count == 3:
      let result = outcome(Delegation.self)
      guard case .success(let signed) = result else { return describe(result) }
      return DelegationRecords.problem(signed, month: String(parts[1]), people: state.people)
    case "recertifications" where parts.count == 3:
      let result = outcome(Recertification.self)
      guard case .success(let signed) = result else { return describe(result) }
      // A recertification counts from its own `created`, the signer's claim: the server takes
      // it only while that claim is close to its own clock, so an admin cannot date one back
      // to cover a push made while a role had lapsed.
      if let now, let created = Timestamp.parse(signed.record.created),
        created < now.addingTimeInterval(-RecertificationRecords.maximumAge)
      {
        return
          "is a recertification dated \(signed.record.created), more than \(DurationText.text(fromSeconds: Int(RecertificationRecords.maximumAge))) before the server's clock (\(Timestamp.format(now))); recertify again and push it at once: git govern recertify \(signed.record.person) --push"
      }
      return RecertificationRecords.problem(
        signed, folder: String(parts[1]), people: state.people)
    case "retention" where parts.count == 3:
      func judged<R: GovernanceRecord>(_ type: R.Type) throws -> String? {
        let result = outcome(type)
        guard case .success(let signed) = result else { return describe(result) }
        return try RetentionRecords.problem(signed, folder: String(parts[1]), state: state)
      }
      switch RetentionRecords.recordType(fileName: String(parts[2])) {
      case is RetentionReview.Type: return try judged(RetentionReview.self)
      case is RetentionDecision.Type: return try judged(RetentionDecision.self)
      case is LegalHold.Type: return try judged(LegalHold.self)
      default: return "is not a retention record (review-, decision- or hold-…json)"
      }
    case "controls" where parts.count == 2:
      let result = outcome(ControlsRecord.self)
      guard case .success(let signed) = result else { return describe(result) }
      return ControlCatalogRecords.problem(signed)
    case _ where path == LedgerPaths.repository:
      return nil  // added once, right after the root, and verified by GovernanceState.load
    default:
      return "is not where git-govern keeps records"
    }
  }
}
