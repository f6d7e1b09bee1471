import Foundation
import GitKit
import Governance

/// The records of one release as found on the governance branch, each verified.
public struct ReleaseRecords {
  public var id: String
  public var request: Signed<ReleaseRequest>?
  public var approvals: [Signed<Approval>] = []
  public var rejections: [Signed<Rejection>] = []
  public var withdrawals: [Signed<Withdrawal>] = []
  public var exceptions: [Signed<ReleaseException>] = []
  public var evidence: [Signed<Evidence>] = []
  public var reviews: [Signed<ReleaseReview>] = []
  public var receipts: [Signed<PushReceipt>] = []
  /// When the server first accepted each record, by path, from its acceptance receipts (only
  /// where the receipt names the very blob the folder holds).
  public var acceptedAt: [String: Date] = [:]
  public var acceptances: [Signed<AcceptanceReceipt>] = []
  public var closeouts: [Signed<Closeout>] = []
  public var problems: [RecordProblem] = []
}

/// The releases found for a (commit, ref), newest request first, and what was wrong with the
/// index entries that pointed elsewhere.
public struct ReleaseChoices {
  public var releases: [(records: ReleaseRecords, request: Signed<ReleaseRequest>)] = []
  public var problems: [String] = []
}

/// Finds releases by id or by commit and reads their records.
public struct ReleaseCatalog {
  public let state: GovernanceState

  public init(state: GovernanceState) { self.state = state }

  var snapshot: LedgerSnapshot { state.snapshot }

  public func exists(_ release: String) throws -> Bool {
    guard LedgerPaths.isValidReleaseID(release) else { return false }
    return try snapshot.blobID(at: LedgerPaths.request(release)) != nil
  }

  /// The release's signed request, verified and naming this release; nil when there is none
  /// that stands (`records(of:)` says why).
  public func request(of release: String) -> Signed<ReleaseRequest>? {
    guard LedgerPaths.isValidReleaseID(release),
      case .success(let request) = state.verifier.verify(
        ReleaseRequest.self, at: LedgerPaths.request(release), in: snapshot),
      request.record.release == release
    else { return nil }
    return request
  }

  /// Release ids the `targets/` index lists for a commit: pointers only, which
  /// `releases(for:ref:)` checks against the signed requests.
  public func releaseIDs(forTarget commit: OID) throws -> [String] {
    try snapshot.entries(in: LedgerPaths.targetDirectory(commit.hex)).map(\.name).filter(
      LedgerPaths.isValidReleaseID)
  }

  /// The releases requested for exactly this commit (and its tree), to `ref` when given: the
  /// one way every command finds the releases of a (commit, ref). The index only says where to
  /// look; a release counts only if its signed request names this commit and tree. An entry
  /// that points anywhere else is ignored and reported.
  /// `known` holds releases whose records the caller has read from this very state already.
  public func releases(for commit: OID, ref: String?, known: [ReleaseRecords] = []) throws
    -> ReleaseChoices
  {
    var choices = ReleaseChoices()
    let tree = try snapshot.repository.tree(ofCommit: commit).hex
    let directory = LedgerPaths.targetDirectory(commit.hex)
    for entry in try snapshot.entries(in: directory) {
      let id = entry.name
      let path = "\(directory)/\(id)"
      guard LedgerPaths.isValidReleaseID(id) else {
        choices.problems.append("\(path) is not a release id; the entry is ignored")
        continue
      }
      let records = try known.first { $0.id == id } ?? self.records(of: id)
      guard let request = records.request else {
        choices.problems += records.problems.map { "\($0.path) \($0.message)" }
        continue
      }
      guard request.record.target == commit.hex, request.record.tree == tree else {
        choices.problems.append(
          "\(path) points at \(id), which is a release of commit \(request.record.target.prefix(10)) "
            + "(tree \(request.record.tree.prefix(10))), not of \(commit.hex.prefix(10)); the entry is ignored"
        )
        continue
      }
      if let ref, request.record.ref != ref { continue }
      choices.releases.append((records, request))
    }
    choices.releases.sort { $0.request.record.created > $1.request.record.created }
    return choices
  }

  /// `folder`, when the caller has listed it already, is the release folder's tree.
  public func records(of release: String, folder: OID? = nil) throws -> ReleaseRecords {
    let directory = LedgerPaths.releaseDirectory(release)
    let verifier = state.verifier
    var records = ReleaseRecords(id: release)
    let entries =
      try folder.map { try snapshot.repository.treeEntries($0) }
      ?? snapshot.entries(in: directory)
    let known = Dictionary(
      entries.map { ("\(directory)/\($0.name)", $0) }, uniquingKeysWith: { first, _ in first })
    switch verifier.verify(
      ReleaseRequest.self, at: LedgerPaths.request(release), in: snapshot, known: known)
    {
    case .success(let request):
      if request.record.release == release {
        records.request = request
      } else {
        records.problems.append(
          RecordProblem(
            path: request.path, message: "names release \(request.record.release), not \(release)"))
      }
    case .failure(let problem): records.problems.append(problem)
    }
    guard entries.count <= 2 * LedgerLimits.recordsPerRelease else {
      records.problems.append(
        RecordProblem(
          path: directory,
          message:
            "holds \(entries.count / 2) records, over the limit of \(LedgerLimits.recordsPerRelease) per release; none was read"
        ))
      return records
    }
    let names = Set(entries.map(\.name))
    for entry in entries where entry.name != "request.json" && entry.name != "request.json.sig" {
      let path = "\(directory)/\(entry.name)"
      if entry.name.hasSuffix(LedgerPaths.signatureSuffix) {
        if !names.contains(String(entry.name.dropLast(LedgerPaths.signatureSuffix.count))) {
          records.problems.append(
            RecordProblem(path: path, message: "is a signature without its record"))
        }
        continue
      }
      switch LedgerPaths.releaseRecordKind(fileName: entry.name) {
      case "approval":
        collect(
          verifier.verify(Approval.self, at: path, in: snapshot, known: known),
          into: &records.approvals,
          &records.problems, release: release)
      case "rejection":
        collect(
          verifier.verify(Rejection.self, at: path, in: snapshot, known: known),
          into: &records.rejections,
          &records.problems, release: release)
      case "withdrawal":
        collect(
          verifier.verify(Withdrawal.self, at: path, in: snapshot, known: known),
          into: &records.withdrawals,
          &records.problems, release: release)
      case "exception":
        collect(
          verifier.verify(ReleaseException.self, at: path, in: snapshot, known: known),
          into: &records.exceptions,
          &records.problems, release: release)
      case "evidence":
        collect(
          verifier.verify(Evidence.self, at: path, in: snapshot, known: known),
          into: &records.evidence,
          &records.problems, release: release)
      case "receipt":
        let result = verifier.verify(PushReceipt.self, at: path, in: snapshot, known: known)
        if case .success(let receipt) = result, !receipt.signer.hasRole(PushReceipt.serverRole) {
          records.problems.append(
            RecordProblem(
              path: path,
              message: "is a push receipt signed by \(receipt.signer.id), who is not a server"))
        } else {
          collect(result, into: &records.receipts, &records.problems, release: release)
        }
      case "acceptance":
        let result = verifier.verify(AcceptanceReceipt.self, at: path, in: snapshot, known: known)
        if case .success(let receipt) = result, !receipt.signer.hasRole(PushReceipt.serverRole) {
          records.problems.append(
            RecordProblem(
              path: path,
              message:
                "is an acceptance receipt signed by \(receipt.signer.id), who is not a server"))
        } else {
          collect(result, into: &records.acceptances, &records.problems, release: release)
        }
      case "closeout":
        collect(
          verifier.verify(Closeout.self, at: path, in: snapshot, known: known),
          into: &records.closeouts,
          &records.problems,
          release: release)
      case "review":
        collect(
          verifier.verify(ReleaseReview.self, at: path, in: snapshot, known: known),
          into: &records.reviews,
          &records.problems, release: release)
      default:
        records.problems.append(
          RecordProblem(
            path: path,
            message:
              "is not a record this git-govern knows; upgrade git-govern, or remove it with a signed change"
          ))
      }
    }
    for acceptance in records.acceptances {
      guard let at = Timestamp.parse(acceptance.record.created) else { continue }
      for accepted in acceptance.record.records {
        let path = "\(directory)/\(accepted.name)"
        guard known[path]?.oid.hex == accepted.blob else { continue }
        records.acceptedAt[path] = min(records.acceptedAt[path] ?? at, at)
      }
    }
    // Where the server says when it saw a record, the key must have been valid then too (the
    // server refused it otherwise; a branch that skipped the server is caught here).
    records.approvals = validAtAcceptance(records.approvals, records.acceptedAt, &records.problems)
    records.exceptions = validAtAcceptance(
      records.exceptions, records.acceptedAt, &records.problems)
    records.closeouts = permittedCloseouts(records, &records.problems)
    return records
  }

  /// The closeouts whose signer may end the release (`Policy.mayCloseOut`); the others are
  /// problems, and end nothing (without the request, none counts).
  private func permittedCloseouts(_ records: ReleaseRecords, _ problems: inout [RecordProblem])
    -> [Signed<Closeout>]
  {
    guard let requester = records.request?.signer.id else { return [] }
    return records.closeouts.filter { closeout in
      if let problem = Self.closeoutProblem(closeout, requester: requester, policy: state.policy) {
        problems.append(RecordProblem(path: closeout.path, message: problem))
        return false
      }
      return true
    }
  }

  /// Why `closeout` may not end a release `requester` asked for; nil when it may.
  public static func closeoutProblem(
    _ closeout: Signed<Closeout>, requester: String, policy: Policy
  )
    -> String?
  {
    guard !policy.mayCloseOut(closeout.signer, requester: requester) else { return nil }
    return
      "is a closeout (\(closeout.record.outcome.rawValue)) signed by \(closeout.signer.id), who is neither the requester (\(requester)), a policy-admin, nor a holder of closeout_roles (\(policy.closeoutRoles.joined(separator: ", "))): it ends nothing"
  }

  private func validAtAcceptance<R>(
    _ list: [Signed<R>], _ acceptedAt: [String: Date], _ problems: inout [RecordProblem]
  ) -> [Signed<R>] {
    list.filter { signed in
      guard let at = acceptedAt[signed.path], let key = signed.key,
        let reason = signed.signer.validity(of: key).problem(at: at)
      else { return true }
      problems.append(
        RecordProblem(
          path: signed.path,
          message:
            "reached the server at \(Timestamp.format(at)), when \(signed.signer.id)'s key could not sign: it \(reason.replacingOccurrences(of: "was signed at", with: "would count at"))"
        ))
      return false
    }
  }

  private func collect<R: ReleaseBoundRecord>(
    _ result: Result<Signed<R>, RecordProblem>, into list: inout [Signed<R>],
    _ problems: inout [RecordProblem], release: String
  ) {
    switch result {
    case .success(let signed) where signed.record.release == release: list.append(signed)
    case .success(let signed):
      problems.append(
        RecordProblem(
          path: signed.path,
          message:
            "names release \(signed.record.release), not \(release): a record moved between releases never counts"
        ))
    case .failure(let problem): problems.append(problem)
    }
  }

  /// Everything the evaluator needs for this release going to `ref` at `target`.
  /// `contributors` and `calendar` may be given when already known (the audit reads them
  /// once for all releases).
  public func facts(
    _ records: ReleaseRecords, request: Signed<ReleaseRequest>, target: OID, ref: String,
    range: ReleaseRange, now: Date, contributors: [Contributor]? = nil,
    calendar: CalendarRecords? = nil
  ) throws -> ReleaseFacts {
    let repository = snapshot.repository
    var facts = ReleaseFacts(
      request: request, approvals: records.approvals, rejections: records.rejections,
      problems: records.problems,
      target: target.hex, targetTree: try repository.tree(ofCommit: target).hex, ref: ref,
      contributors: try contributors ?? range.contributors(repository, people: state.people),
      rangeSize: range.commits.count)
    facts.withdrawals = records.withdrawals
    if state.policy.signedCommits {
      try CommitAuthorship.addSignatures(
        to: &facts, range: range, repository: repository, people: state.people)
    }
    facts.exceptions = records.exceptions
    facts.evidence = AttestationVerifier(people: state.people, policy: state.policy.attestations)
      .admit(
        records.evidence, target: facts.target, tree: facts.targetTree,
        closeouts: records.closeouts, problems: &facts.problems)
    facts.reviews = records.reviews
    facts.receipts = records.receipts
    if state.policy.environments.promotion(to: ref) != nil {
      // Every release of this commit, to any ref: the evaluator keeps the receipts of pushes
      // to the earlier environment. Found through the commit's index, so the cost is this
      // commit's releases, never the history's.
      facts.promotionReceipts = try releases(for: target, ref: nil, known: [records]).releases
        .flatMap(\.records.receipts)
    }
    facts.closeouts = records.closeouts
    facts.acceptedAt = records.acceptedAt
    facts.earlierPolicies = earlierPolicies(
      records.approvals.map(\.record.policy) + records.exceptions.map(\.record.policy))
    let calendarRecords =
      try calendar
      ?? CalendarRecords.load(
        state, sinceMonth: String(Timestamp.format(now).prefix(7)),
        delegationsSinceMonth: DelegationRecords.firstMonth(for: [records], now: now))
    facts.adHocFreezes = calendarRecords.freezes
    facts.openIncidents = calendarRecords.openIncidents
    facts.calendarProblems = calendarRecords.problems
    facts.delegations = calendarRecords.delegations.delegations
    facts.delegationProblems = calendarRecords.delegations.problems
    facts.recertifications = calendarRecords.recertifications.recertifications
    facts.recertificationProblems = calendarRecords.recertifications.problems
    // Standard templates and path owners both judge the paths the commits really change.
    if request.record.type == .standard || !state.policy.owners.isEmpty {
      facts.changedPaths = try ReleasePaths.changed(repository, range: range, target: target)
    }
    return facts
  }

  /// The policies these blobs hold, other than the one in force (`inForce`, else the state's);
  /// a blob this repository does not have, or that is not a readable policy, is left out (and
  /// so counts as changed).
  func earlierPolicies(_ blobs: [String], inForce: OID? = nil) -> [String: Policy] {
    var policies: [String: Policy] = [:]
    let current = (inForce ?? state.policyBlob).hex
    for blob in Set(blobs) where blob != current {
      guard let oid = OID(hex: blob), snapshot.repository.objectExists(oid),
        let policy = try? GovernanceState.policy(oid, in: snapshot.repository, memo: state.memo)
      else { continue }
      policies[blob] = policy
    }
    return policies
  }

  public func evaluator(now: Date) -> ReleaseEvaluator {
    ReleaseEvaluator(
      policy: state.policy, policyBlob: state.policyBlob.hex, people: state.people, now: now)
  }
}
