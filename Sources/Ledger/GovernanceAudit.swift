import Foundation
import GitKit
import Governance

/// Verifies, offline and from the repository alone, the whole governance history and every
/// release to a protected ref, and says what it found.
public struct GovernanceAudit {
  public let repository: Repository
  public let ledger: Ledger
  public var progress: ((Int, Int) -> Void)?
  /// Told when each phase of `run` ends (`GIT_GOVERN_TRACE` prints them with the time).
  public var phaseEnded: ((String) -> Void)?
  /// Signatures this user saw verify in earlier audits (nil: `--no-cache`, verify all). It
  /// only spares verifications; every verdict is the same with it and without.
  public var verificationCache: VerificationCache?

  /// How far ahead a retention date counts as about to lapse.
  public static let retentionWarning: TimeInterval = 30 * 86400

  public init(repository: Repository, ledger: Ledger) {
    self.repository = repository
    self.ledger = ledger
  }

  /// `history: false` skips re-verifying every governance commit (for `log` and `metrics`,
  /// which still verify each record they read). `asOf` audits the repository as it stood
  /// then (`audit --at`): the governance branch as of that time (`Ledger.snapshot(asOf:)`, a
  /// what-if, since commit times are their writers' claims), judged at that time.
  public func run(now: Date, since: Date?, history: Bool = true, asOf: Date? = nil) throws
    -> AuditReport
  {
    guard let latest = try ledger.tip() else { throw LedgerError.noGovernanceBranch(ledger.ref) }
    let tip = try asOf.map { try ledger.snapshot(asOf: $0).commit } ?? latest
    func phase(_ name: String) { phaseEnded?(name) }
    let snapshot = try LedgerSnapshot(repository: repository, commit: tip)
    // What this audit works out once (states, parses, seals), for all of its passes.
    let memo = LedgerMemo()
    // First, the pipeline: one reader of objects, a verifier on every core; the reader reads
    // the protected history's commits whenever the verifiers are busy.
    var reading = HistoryReading(ledgerRef: ledger.ref)
    let cache = boundCache(snapshot)
    var preparation = AuditPreparation()
    preparation.cache = cache
    let (sealed, recordCount) = try preparation.run(
      repository, tree: snapshot.tree, history: &reading)
    memo.seals.store(sealed)
    let refs = reading.refs ?? []
    // From here the commits live in `catalog` alone, freed where `run` chooses.
    let catalog = SharedValue(reading.catalog)
    reading = HistoryReading(ledgerRef: ledger.ref)
    phase("records sealed, commits read")
    // Then, on every core, each worker with its own repository handle.
    let handles = try WorkerHandles(repository)
    // Every governance commit, parents first, walked once: the history check's plan, the
    // count in the report and which people.yml was in force when all come from this list.
    let (historyCheck, planned) =
      history ? historyJobs(tip: tip, memo: memo, cache: cache) : ([:], nil)
    let governanceCommits =
      try planned
      ?? repository.walk(from: [tip], order: .topological, reverse: true).collect()
    let commitCount = governanceCommits.count
    let state: GovernanceState
    do {
      state = try GovernanceState.load(snapshot, memo: memo)
    } catch {
      let findings = try historyCheck.keys.sorted().flatMap {
        try historyCheck[$0]!(repository).findings
      }
      return AuditReport(
        findings: findings + [AuditFinding(check: "governance-state", message: "\(error)")],
        releases: [], freezes: [], generated: Timestamp.format(now), repository: "",
        governanceTip: tip.hex, since: since.map(Timestamp.format), commitCount: commitCount,
        recordCount: recordCount)
    }
    let genesis = try GovernanceState.readGenesis(snapshot)
    let genesisTime = genesis.created
    var releases = try ReleaseAuditor(
      repository: repository, state: state, now: now, genesisTime: genesisTime)
    releases.baseline = genesis.baseline
    // Each release with its folder's tree when it sits where its id says (else its records
    // are looked up by path, and found missing).
    let releaseFolders = try snapshot.entries(in: "releases").flatMap { shard in
      try snapshot.entries(in: "releases/\(shard.name)").map { entry in
        let inPlace =
          entry.fileMode == TreeEntry.modeTree && LedgerPaths.releaseShard(entry.name) == shard.name
        return (id: entry.name, folder: inPlace ? entry.oid : nil)
      }
    }
    let releaseIDs = releaseFolders.map(\.id)
    // As of an earlier time: what the protected refs were moved to since.
    let movedLater =
      try asOf.map { asOf in
        try ReleaseAuditor.movedLater(
          ReleaseAuditor.protectedTips(repository, policy: state.policy), asOf: asOf,
          repository: repository, then: state, latest: latest, memo: memo)
      } ?? (tips: [], releases: [])
    // Which people.yml and policy were in force when, read from every governance commit
    // beside the rest; the releases wait for it.
    let peopleHistory = Promised<PeopleHistory>()
    // Then, again on every core: the releases' ranges (worked out in one pass) beside the
    // history check in slices, then the releases in chunks, which wait for the ranges.
    let ranges = Promised<(AuditRanges, CommitCatalog)>()
    let refTargets = Dictionary(refs.map { ($0.name, $0.target) }) { first, _ in first }
    var work: [AuditJobKey: AuditJob] = historyCheck
    work[.peopleHistory] = { repository in
      try peopleHistory.fulfil {
        try PeopleHistory(repository: repository, parentsFirst: governanceCommits)
      }
      return AuditPart(findings: [])
    }
    work[.ranges] = { repository in
      try ranges.fulfil {
        let state = try GovernanceState.load(
          LedgerSnapshot(repository: repository, commit: tip), memo: memo)
        var commits = catalog.value ?? CommitCatalog()
        let auditor = try ReleaseAuditor(
          repository: repository, state: state, now: now, genesisTime: genesisTime)
        return (try auditor.ranges(releaseIDs, commits: &commits), commits)
      }
      return AuditPart(findings: [])
    }
    // What the protected refs point at, worked out beside the rest; whether each is covered
    // is known once every release is judged.
    let protectedTips = Promised<[(ref: String, commit: OID)]>()
    let policy = state.policy
    work[.protectedTips] = { repository in
      try protectedTips.fulfil { try ReleaseAuditor.protectedTips(repository, policy: policy) }
      return AuditPart(findings: [])
    }
    // The notes, read once beside the rest: checked against the releases once they are
    // judged, and asked by each pushed release whether one names it (a lookup per release
    // re-read the notes tree, one entry per noted commit, every time).
    let notes = Promised<[NoteAudit.Note]>()
    let releasesNoted = Promised<[OID: [String]]>()
    work[.notes] = { repository in
      let read = Result { try NoteAudit.notes(repository) }
      // Both promised values are set before a failure is thrown, so no job waits forever on one.
      try? notes.fulfil { try read.get() }
      try releasesNoted.fulfil { try NoteAudit.releasesNamed(by: read.get()) }
      return AuditPart(findings: [])
    }
    // The releases are judged in the order they were requested, not by id: consecutive
    // receipts then name neighbouring governance commits, whose trees libgit2 reads as deltas
    // of the ones it has just read (a warm audit's releases took a third less CPU). The order
    // is the work's alone: each release is judged on its own, and what it found is reported
    // where its folder stands.
    let judgingOrder = ReleaseAuditor.requestOrder(releaseFolders, state: state)
    for start in stride(from: 0, to: judgingOrder.count, by: 500) {
      let chunk = judgingOrder[start..<min(judgingOrder.count, start + 500)].map {
        (position: $0, id: releaseFolders[$0].id, folder: releaseFolders[$0].folder)
      }
      work[.releases(from: start)] = { repository in
        let state = try GovernanceState.load(
          LedgerSnapshot(repository: repository, commit: tip), memo: memo)
        var auditor = try ReleaseAuditor(
          repository: repository, state: state, now: now, genesisTime: genesisTime)
        auditor.refTargets = refTargets
        auditor.releasesNoted = try releasesNoted.value()
        auditor.movedLater = movedLater.releases
        auditor.peopleHistory = try peopleHistory.value()
        let (ranges, catalog) = try ranges.value()
        var commits = catalog
        let judged = auditor.audit(chunk, ranges: ranges, since: since, commits: &commits)
        return AuditPart(findings: [], releases: judged, covered: auditor.covered)
      }
    }
    // Traced: how long each kind of job took, added up over its jobs (waits included).
    let jobTimes = phaseEnded.map { _ in AuditJobTimes() }
    if let jobTimes {
      work = Dictionary(uniqueKeysWithValues: work.map { ($0, jobTimes.timing($1, kind: $0.kind)) })
    }
    let found = try ParallelJobs.run(handles, jobs: work)
    if let jobTimes { phase("jobs: " + jobTimes.summary) }
    let parts = found.keys.sorted().map { found[$0]! }
    phase("history re-checked, releases judged")
    // The releases' jobs come last, and each release's findings where its folder stands.
    let judged = parts.flatMap(\.releases).sorted { $0.position < $1.position }
    var findings = parts.flatMap(\.findings) + judged.flatMap(\.findings)
    var lineages = judged.flatMap(\.lineages)
    lineages.sort { $0.requested_at < $1.requested_at }
    releases.covered = parts.reduce(into: Set<String>()) { $0.formUnion($1.covered) }
    findings += try releases.protectedRefFindings(
      try protectedTips.value().filter { !movedLater.tips.contains("\($0.ref) \($0.commit.hex)") })
    // Refs the server would have refused under refs/govern/, pushed where it was absent;
    // judged against the records of now, so only an audit of now asks.
    if asOf == nil { findings += ReviewRef.auditFindings(refs, state: state) }
    // Calendar records that do not count block nothing, but are each an audit finding.
    findings += releases.calendar.problems.map {
      AuditFinding(check: "calendar", message: "\($0.path) \($0.message)")
    }
    findings += releases.calendar.delegations.problems.map {
      AuditFinding(check: "delegation", message: "\($0.path) \($0.message)")
    }
    findings += releases.calendar.recertifications.problems.map {
      AuditFinding(check: "recertification", message: "\($0.path) \($0.message)")
    }
    // The notes are as they stand now: in an audit as of an earlier time they are checked
    // against the records as they stand now too, not against a branch that lacked them.
    let notesState =
      tip == latest
      ? state
      : try GovernanceState.load(LedgerSnapshot(repository: repository, commit: latest), memo: memo)
    findings += try NoteAudit(repository: repository, state: notesState).findings(
      try notes.value(),
      lineages: tip == latest
        ? Dictionary(lineages.map { ($0.release, $0) }) { first, _ in first } : [:])
    let freezes = try freezeEntries(state, releases: lineages, now: now)
    // Nothing reads the seals or the commits any more (the checks above read records again,
    // through the same seals): they are freed now, before the report is rendered, so that the
    // audit's peak memory is not theirs and the report's together. 60,000 seals and 100,000
    // commits take ~0.1 s each to free, so they are freed side by side rather than in turn.
    let seals = SharedValue(memo.seals.takeAll())
    ParallelJobs.freeSideBySide([
      { seals.empty() },
      {
        ranges.empty()
        catalog.empty()
      },
    ])
    cache?.save()
    defer { phase("report assembled") }
    return AuditReport(
      findings: findings, releases: lineages,
      freezes: freezes,
      generated: Timestamp.format(now),
      repository: state.repoID, governanceTip: tip.hex, since: since.map(Timestamp.format),
      commitCount: commitCount,
      recordCount: recordCount)
  }

  /// Re-checks every governance commit as the server would have, from the root: in slices,
  /// one job each, so the check spreads over the cores with the releases. Also returns the
  /// commits planned, parents first (nil when the plan was refused).
  private func historyJobs(tip: OID, memo: LedgerMemo, cache: VerificationCache?)
    -> ([AuditJobKey: AuditJob], planned: [OID]?)
  {
    let ref = ledger.ref
    @Sendable func findings(_ problems: [String]) -> AuditPart {
      AuditPart(
        findings: problems.map { AuditFinding(check: "governance-history", message: $0) })
    }
    let commits: [OID]
    var jobs: [AuditJobKey: AuditJob] = [:]
    var planner = GovernanceUpdateCheck(repository: repository, ref: ref)
    planner.memo = memo
    switch planner.plan(old: .zero, new: tip) {
    case .refused(let problems):
      let part = findings(problems)
      return ([.governanceTip: { _ in part }], nil)
    case .commits(let planned, let tipProblem):
      commits = planned
      if let tipProblem {
        let part = findings([tipProblem])
        jobs[.governanceTip] = { _ in part }
      }
    }
    let progress = SharedProgress(progress, total: commits.count)
    let sliceLength = max(1, commits.count / 16)
    for start in stride(from: 0, to: commits.count, by: sliceLength) {
      let slice = commits[start..<min(commits.count, start + sliceLength)]
      jobs[.history(from: start)] = { repository in
        var check = GovernanceUpdateCheck(repository: repository, ref: ref)
        check.memo = memo
        check.cache = cache
        return findings(check.problems(in: slice, new: tip) { _ in progress.oneMore() })
      }
    }
    return (jobs, commits)
  }

  /// The verification cache, bound to this repository's governance root as the signed
  /// genesis record names it; nil when there is none, or no genesis to bind it to (the audit
  /// then reports the broken state, verifying everything).
  private func boundCache(_ snapshot: LedgerSnapshot) -> VerificationCache? {
    guard let verificationCache,
      let root = (try? GovernanceState.readGenesis(snapshot)).flatMap({ OID(hex: $0.repo) })
    else { return nil }
    verificationCache.bind(toGovernanceRoot: root)
    return verificationCache
  }

  private func freezeEntries(_ state: GovernanceState, releases: [ReleaseLineage], now: Date) throws
    -> [FreezeEntry]
  {
    let records = try CalendarRecords.load(state)
    let earliest = releases.compactMap { Timestamp.parse($0.requested_at) }.min() ?? now
    let calendar = FreezeCalendar(policy: state.policy.freezes, adHoc: records.freezes)
    return calendar.occurrences(
      from: earliest.addingTimeInterval(-7 * 86400), to: now.addingTimeInterval(28 * 86400)
    ).prefix(500)
      .map { occurrence in
        var reason: String?
        if case .adHoc(let text) = occurrence.origin { reason = text }
        return FreezeEntry(
          name: occurrence.name, kind: occurrence.isAdHoc ? "ad-hoc" : "policy",
          from: Timestamp.format(occurrence.start),
          until: Timestamp.format(occurrence.end), timezone: occurrence.zoneIdentifier,
          reason: reason)
      }
  }
}

/// One job of the audit's second pass, on a worker's own repository handle.
typealias AuditJob = @Sendable (Repository) throws -> AuditPart

/// Which job of the second pass, in the order the workers take them and their findings are
/// reported: a job that waits for another's value (the releases wait for the ranges, the notes
/// and the people history) is taken after it, so waiting cannot deadlock.
enum AuditJobKey: Comparable, Hashable, Sendable {
  case ranges, protectedTips, notes, peopleHistory
  /// Why the governance tip is no sound state, when it is not.
  case governanceTip
  /// A slice of the governance commits, by where it starts.
  case history(from: Int)
  /// A chunk of the releases, by where it starts.
  case releases(from: Int)
}

extension AuditJobKey {
  /// The kind of job, without where its slice or chunk starts.
  var kind: String {
    switch self {
    case .ranges: "ranges"
    case .protectedTips: "protected tips"
    case .notes: "notes"
    case .peopleHistory: "people history"
    case .governanceTip: "governance tip"
    case .history: "history check"
    case .releases: "releases"
    }
  }
}

/// How long the audit's jobs of each kind took, for `GIT_GOVERN_TRACE`: where a warm audit's
/// time goes is what the next speed-up needs to know. The time of a job includes its waits
/// for the values other jobs promise (the releases wait for the ranges).
private final class AuditJobTimes: @unchecked Sendable {
  private let lock = NSLock()
  private var seconds: [String: (count: Int, total: Double)] = [:]

  func timing(_ job: @escaping AuditJob, kind: String) -> AuditJob {
    { repository in
      let start = DispatchTime.now().uptimeNanoseconds
      defer {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        self.lock.withLock {
          let known = self.seconds[kind] ?? (0, 0)
          self.seconds[kind] = (known.count + 1, known.total + elapsed)
        }
      }
      return try job(repository)
    }
  }

  var summary: String {
    lock.withLock {
      seconds.sorted { $0.value.total > $1.value.total }.map {
        "\($0.key) " + String(format: "%.2f s (%d)", $0.value.total, $0.value.count)
      }.joined(separator: ", ")
    }
  }
}

/// What one job of the audit found.
struct AuditPart: Sendable {
  var findings: [AuditFinding]
  /// A chunk of the releases: what was found for each.
  var releases: [ReleaseOutcome] = []
  var covered: Set<String> = []
}

/// What the audit found for one release, and where its folder stands among the releases.
struct ReleaseOutcome: Sendable {
  var position: Int
  var findings: [AuditFinding]
  var lineages: [ReleaseLineage]
}

/// Counts commits checked on any worker and reports each count, in order, to a callback that
/// only writes to stderr.
private final class SharedProgress: @unchecked Sendable {
  private let callback: ((Int, Int) -> Void)?
  private let total: Int
  private var done = 0
  private let lock = NSLock()

  init(_ callback: ((Int, Int) -> Void)?, total: Int) {
    self.callback = callback
    self.total = total
  }

  func oneMore() {
    guard let callback else { return }
    lock.withLock {
      done += 1
      callback(done, total)
    }
  }
}

/// The per-release part of the audit.
struct ReleaseAuditor {
  let repository: Repository
  let state: GovernanceState
  let now: Date
  let genesisTime: String
  var findings: [AuditFinding] = []
  var lineages: [ReleaseLineage] = []
  /// (ref, commit) pairs covered by a release that was ready when pushed.
  var covered: Set<String> = []
  /// What each ref named by a release points at (nil: nothing), read once.
  private var currentCommits: [String: OID?] = [:]
  /// The freeze at the audit's time, once worked out (`freezeNow`).
  private var knownFreezeNow: KnownFreeze?
  /// The states receipted pushes were judged under, by governance commit.
  private var pushStates: [OID: (GovernanceState, CalendarRecords)] = [:]
  /// In an audit as of an earlier time, the releases whose ref was moved to them since: not
  /// on their ref then, whatever it points at now.
  var movedLater: Set<String> = []
  /// The audited branch's first-parent line, oldest first, once needed (`commitAdding`).
  private var firstParents: [OID]?
  /// What the refs pointed at when the audit began, unpeeled, if known: most releases' refs
  /// point straight at their target, and need no lookup.
  var refTargets: [String: OID] = [:]
  /// The releases the note on each commit names (`refs/notes/governance`, read once).
  var releasesNoted: [OID: [String]] = [:]
  /// The protected refs' values when governance began, from the signed genesis record.
  var baseline: [String: String]?
  /// Which people.yml was in force when, for the roles each signer had when they signed.
  var peopleHistory: PeopleHistory?

  /// Read once for every release: the freezes and incidents, and people.yml's mailmap.
  let calendar: CalendarRecords
  var resolver: ContributorResolver
  /// A resolver for each other people.yml that receipted pushes were judged under, by blob.
  private var resolvers: [OID: ContributorResolver] = [:]

  init(repository: Repository, state: GovernanceState, now: Date, genesisTime: String) throws {
    self.repository = repository
    self.state = state
    self.now = now
    self.genesisTime = genesisTime
    self.calendar = try CalendarRecords.load(state, withIncidentHistory: true)
    self.resolver = ContributorResolver(people: state.people)
  }

  var catalog: ReleaseCatalog { ReleaseCatalog(state: state) }

  /// Every release's range, worked out in one pass from the verified requests.
  func ranges(_ releases: [String], commits: inout CommitCatalog) throws -> AuditRanges {
    var requested: [AuditRanges.Release] = []
    for release in releases {
      guard
        case .success(let request) = state.verifier.verify(
          ReleaseRequest.self, at: LedgerPaths.request(release), in: state.snapshot),
        request.record.release == release,
        let target = OID(hex: request.record.target),
        let commit = commits.holds(target)
          ? target
          : (repository.objectExists(target) ? try? repository.peelToCommit(target) : nil)
      else { continue }
      let ref = request.record.ref
      requested.append(
        AuditRanges.Release(
          id: release, target: commit, group: state.policy.protectingPattern(for: ref)?.text ?? ref,
          created: request.record.created))
    }
    return try AuditRanges(
      requested, releasedBefore: state.releasedBefore, commits: &commits, repository: repository)
  }

  /// Judges each release from its records and its range: what was found for each, in turn.
  mutating func audit(
    _ releases: [(position: Int, id: String, folder: OID?)], ranges: AuditRanges, since: Date?,
    commits: inout CommitCatalog
  ) -> [ReleaseOutcome] {
    var outcomes: [ReleaseOutcome] = []
    for (position, release, folder) in releases {
      (findings, lineages) = ([], [])
      do {
        try auditRelease(
          release, records: catalog.records(of: release, folder: folder),
          range: ranges.ranges[release], since: since, commits: &commits)
      } catch {
        findings.append(
          AuditFinding(check: "records", release: release, message: "cannot be read: \(error)"))
      }
      outcomes.append(ReleaseOutcome(position: position, findings: findings, lineages: lineages))
    }
    return outcomes
  }

  /// The releases' positions in the order they were requested, by each request's own
  /// `created` (its signer's claim, which orders the work and nothing else); releases without
  /// a readable request first, and equal times in the releases' order.
  static func requestOrder(_ releases: [(id: String, folder: OID?)], state: GovernanceState)
    -> [Int]
  {
    let created = releases.map { release -> String in
      guard
        case .success(let request) = state.verifier.verify(
          ReleaseRequest.self, at: LedgerPaths.request(release.id), in: state.snapshot)
      else { return "" }
      return request.record.created
    }
    return created.indices.sorted { (created[$0], $0) < (created[$1], $1) }
  }

  /// The range's contributors, and when its earliest commit was authored.
  private mutating func contributors(_ range: [Int32], commits: inout CommitCatalog) throws
    -> (contributors: [Contributor], firstAuthored: Date?)
  {
    try Self.contributors(range, commits: &commits, repository: repository, resolver: &resolver)
  }

  /// Who wrote `range`, as `people` (the people.yml of a receipted push's state) resolves them,
  /// from the catalog's commits: what the gate would read from the commits themselves (a
  /// commit's people are fixed by its id), without reading 100,000 of them again. Nil when the
  /// catalog lacks one of them: the gate then reads them.
  private mutating func attribution(
    of range: ReleaseRange, people: People, peopleBlob: OID, commits: inout CommitCatalog
  ) throws -> RangeAttribution? {
    guard range.commits.allSatisfy({ commits.holds($0) }) else { return nil }
    let positions = range.commits.map { commits.place($0) }
    // Taken out while in use, so that the resolver's tables are not copied.
    var resolver = resolvers.removeValue(forKey: peopleBlob) ?? ContributorResolver(people: people)
    defer { resolvers[peopleBlob] = resolver }
    let found = try Self.contributors(
      positions, commits: &commits, repository: repository, resolver: &resolver)
    var unattributable: [String] = []
    for position in positions {
      for problem in try commits.entry(at: position, in: repository).identityProblems {
        unattributable.append(ReleaseRange.identityProblem(commits.oid(at: position), problem))
      }
    }
    return RangeAttribution(contributors: found.contributors, unattributable: unattributable)
  }

  private static func contributors(
    _ range: [Int32], commits: inout CommitCatalog, repository: Repository,
    resolver: inout ContributorResolver
  ) throws -> (contributors: [Contributor], firstAuthored: Date?) {
    resolver.startRange()
    var firstAuthored: Date?
    for position in range {
      let entry = try commits.entry(at: position, in: repository)
      resolver.add(commits.oid(at: position), author: entry.author, committer: entry.committer) {
        commits.identities[$0]
      }
      for coAuthor in entry.coAuthors {
        resolver.add(commits.oid(at: position), coAuthor: coAuthor) { commits.identities[$0] }
      }
      firstAuthored = min(firstAuthored ?? entry.authorTime, entry.authorTime)
    }
    return (resolver.contributors, firstAuthored)
  }

  /// A finding for each commit of the range whose people git and libgit2 read differently:
  /// the gate blocks on them, so one in a release's range got past it, or past no gate.
  private func unattributable(
    _ range: [Int32], commits: inout CommitCatalog, release: String, ref: String
  ) throws -> [AuditFinding] {
    var findings: [AuditFinding] = []
    for position in range {
      let oid = commits.oid(at: position)
      for problem in try commits.entry(at: position, in: repository).identityProblems {
        findings.append(
          AuditFinding(
            check: "identity", release: release, ref: ref, commit: oid.hex,
            message: ReleaseRange.identityProblem(oid, problem)))
      }
    }
    return findings
  }

  /// The governance state and calendar a receipted push was judged under: the commit its
  /// receipt names (a server-signed fact), else, for receipts older than that field, the
  /// commit that added the receipt (the server wrote it right after the gate judged the push;
  /// which commit that is is read from the branch's own history).
  private mutating func stateOfPush(_ receipt: Signed<PushReceipt>) throws -> (
    GovernanceState, CalendarRecords
  ) {
    guard let named = receipt.record.governance else {
      guard let commit = try commitAdding(receipt.path) else { return (state, calendar) }
      return try stateAt(commit, named: commit.hex, receipt: receipt)
    }
    guard let commit = OID(hex: named), repository.objectExists(commit) else {
      throw LedgerError(
        "\(receipt.path) names governance commit \(named.prefix(10)), which this repository does not have"
      )
    }
    return try stateAt(commit, named: named, receipt: receipt)
  }

  private mutating func stateAt(_ commit: OID, named: String, receipt: Signed<PushReceipt>) throws
    -> (GovernanceState, CalendarRecords)
  {
    if let known = pushStates[commit] { return known }
    let pushState = try GovernanceState.load(
      LedgerSnapshot(repository: repository, commit: commit), memo: state.memo)
    guard pushState.repoID == state.repoID else {
      throw LedgerError(
        "\(receipt.path) names governance commit \(named.prefix(10)), of another governance history"
      )
    }
    let entry = (pushState, try CalendarRecords.load(pushState))
    pushStates[commit] = entry
    return entry
  }

  /// The first commit of the audited branch's first-parent line whose tree holds `path`
  /// (records are only ever added, as the history check proves, so a binary search finds it);
  /// nil when none does.
  private mutating func commitAdding(_ path: String) throws -> OID? {
    if firstParents == nil {
      firstParents = try repository.walk(
        from: [state.snapshot.commit], order: .topological, reverse: true, firstParent: true
      ).collect()
    }
    let line = firstParents ?? []
    var (low, high) = (0, line.count)
    while low < high {
      let middle = (low + high) / 2
      let tree = try repository.tree(ofCommit: line[middle])
      if try repository.entry(atPath: path, inTree: tree) != nil {
        high = middle
      } else {
        low = middle + 1
      }
    }
    return low < line.count ? line[low] : nil
  }

  /// What the protected refs point at now that was put there after `asOf`, for an audit as
  /// of then: a commit made later (by its committer's claim), or one whose releases the branch
  /// only gained later or whose push the server receipted later. Such a value says nothing of
  /// how the repository stood then: it is judged by an audit as of a later time. Returns the
  /// "ref commit" pairs and the releases that moved them.
  static func movedLater(
    _ tips: [(ref: String, commit: OID)], asOf: Date, repository: Repository,
    then: GovernanceState, latest: OID, memo: LedgerMemo
  ) throws -> (tips: Set<String>, releases: Set<String>) {
    // Through the audit's memo: the records the branch held then are read again here, and
    // their seals are already worked out.
    let now = ReleaseCatalog(
      state: try GovernanceState.load(
        LedgerSnapshot(repository: repository, commit: latest), memo: memo))
    let past = ReleaseCatalog(state: then)
    var moved: (tips: Set<String>, releases: Set<String>) = ([], [])
    for (ref, commit) in tips {
      let known = Set(try past.releaseIDs(forTarget: commit))
      var later = try repository.commit(commit).committer.time > asOf
      for release in try now.releaseIDs(forTarget: commit) {
        let receipts = try now.records(of: release).receipts.filter { $0.record.ref == ref }
        if !known.contains(release)
          || receipts.contains(where: { (Timestamp.parse($0.record.created) ?? asOf) > asOf })
        {
          later = true
          moved.releases.insert(release)
        }
      }
      if later { moved.tips.insert("\(ref) \(commit.hex)") }
    }
    return moved
  }

  /// The audited state with the policy and people in force at `time` instead of its own: for
  /// a release without a receipt, judged when it became ready. Which were in force then is
  /// read from the governance history (each version proven by the history check; the dates
  /// are their committers' claims, as the records' own times are).
  private func stateInForce(at time: Date) -> GovernanceState {
    guard let peopleHistory, let policy = peopleHistory.policy(at: time),
      let people = peopleHistory.people(at: time),
      policy.blob != state.policyBlob || people.blob != state.peopleBlob
    else { return state }
    return GovernanceState(
      snapshot: state.snapshot, repoID: state.repoID, policy: policy.policy,
      policyBlob: policy.blob, people: people.people, peopleBlob: people.blob,
      releasedBefore: state.releasedBefore, memo: state.memo)
  }

  /// The freeze in force at the audit's time, for every release judged at that time.
  private mutating func freezeNow() -> KnownFreeze {
    if let known = knownFreezeNow { return known }
    let known = KnownFreeze(policy: state.policy.freezes, adHoc: calendar.freezes, at: now)
    knownFreezeNow = known
    return known
  }

  /// The commit `ref` points at now, looked up once per ref.
  private mutating func currentCommit(of ref: String) -> OID? {
    if let known = currentCommits[ref] { return known }
    let current = try? repository.referenceTarget(ref).map(repository.peelToCommit)
    currentCommits[ref] = .some(current)
    return current
  }

  private mutating func auditRelease(
    _ release: String, records: ReleaseRecords, range computed: Result<[Int32], LedgerError>?,
    since: Date?, commits: inout CommitCatalog
  ) throws {
    for problem in records.problems {
      findings.append(
        AuditFinding(
          check: "records", release: release, message: "\(problem.path) \(problem.message)"))
    }
    guard let request = records.request else { return }
    let record = request.record
    if let since, let created = Timestamp.parse(record.created), created < since { return }
    guard let target = OID(hex: record.target),
      commits.holds(target) || repository.objectExists(target)
    else {
      findings.append(
        AuditFinding(
          check: "records", release: release, ref: record.ref,
          message: "names commit \(record.target.prefix(10)), which this repository does not have"))
      return
    }
    let pattern = state.policy.protectingPattern(for: record.ref) ?? RefPattern(record.ref)
    var evaluator = catalog.evaluator(now: now)
    evaluator.knownFreeze = freezeNow()
    guard let computed else { throw LedgerError("its range was not worked out") }
    let positions = try computed.get()
    let range = ReleaseRange(commits: positions.map { commits.oid(at: $0) })
    var pushedAt: Date?
    var readyAtPush = false
    var failedAtPush: [Check] = []
    /// The state the first receipted push was judged under, and when.
    var firstPush: (state: GovernanceState, at: Date)?
    // Each receipted push, judged again by the gate itself, as of the server's clock then.
    for receipt in records.receipts {
      guard let time = Timestamp.parse(receipt.record.created),
        let old = OID(hex: receipt.record.old)
      else {
        findings.append(
          AuditFinding(
            check: "records", release: release, ref: record.ref,
            message:
              "\(receipt.path) has an unreadable time or old value; its push cannot be judged"))
        continue
      }
      pushedAt = min(pushedAt ?? time, time)
      // Judged by the state the gate judged it under, as the receipt names it: later policy,
      // people or calendar changes neither fail a good push nor excuse a bad one.
      let (pushState, pushCalendar) = try stateOfPush(receipt)
      if firstPush.map({ time < $0.at }) ?? true { firstPush = (pushState, time) }
      let pushPattern = pushState.policy.protectingPattern(for: record.ref) ?? pattern
      let gate = ReleaseGate(repository: repository, pusher: receipt.record.pusher)
      let repository = self.repository
      let decision = try gate.decide(
        target: target, ref: record.ref,
        range: {
          // A moved ref's range is exact from the receipt's old value. A new ref's is what the
          // earlier releases of its pattern had not reached (`AuditRanges`): the other refs as
          // they stood at the push, where today's refs include the tags made after it and
          // would hide the range the gate judged.
          old.isZero
            ? range
            : try ReleaseRange.forUpdate(
              repository, target: target, ref: record.ref, old: old, pattern: pushPattern,
              releasedBefore: pushState.releasedBefore)
        }, now: time, state: pushState, calendar: pushCalendar,
        attribution: {
          try attribution(
            of: $0, people: pushState.people, peopleBlob: pushState.peopleBlob, commits: &commits)
        })
      if !decision.allowed {
        failedAtPush += decision.readiness?.blockers ?? []
        let reasons =
          decision.readiness?.blockers.map { AuditorText.plain($0.message) }
          ?? ["no release was requested for \(record.target.prefix(10)) to \(record.ref)"]
        findings.append(
          AuditFinding(
            check: "approval", release: release, ref: record.ref, commit: record.target,
            message: "pushed at \(receipt.record.created) while not ready: "
              + (reasons + decision.problems).joined(separator: "; ")))
      } else {
        readyAtPush = true
        covered.insert("\(record.ref) \(record.target)")
      }
    }
    let (contributors, firstAuthored) = try contributors(positions, commits: &commits)
    let unattributable = try unattributable(
      positions, commits: &commits, release: release, ref: record.ref)
    findings += unattributable
    let facts = try catalog.facts(
      records, request: request, target: target, ref: record.ref, range: range, now: now,
      contributors: contributors, calendar: calendar)
    var neverReady: Readiness?
    var readyAt: Date?
    if records.receipts.isEmpty {
      // Without a receipt: judge at the moment the last signature made it ready, if it ever was.
      let moments =
        (records.approvals.map(\.record.created) + records.exceptions.map(\.record.created) + [
          record.created
        ])
        .compactMap(Timestamp.parse).sorted()
      if let moment = moments.last {
        readyAt = moment.addingTimeInterval(1)
        // With the policy and people in force then, as with the incidents.
        let decision = try ReleaseGate(repository: repository).decide(
          target: target, ref: record.ref, range: { range }, now: moment.addingTimeInterval(1),
          state: stateInForce(at: moment), calendar: calendar.asOf(moment),
          contributors: contributors,
          unattributable: unattributable.map(\.message), known: [records])
        if decision.allowed {
          readyAtPush = true
          covered.insert("\(record.ref) \(record.target)")
        } else {
          neverReady = decision.readiness
        }
      }
      if !movedLater.contains(release),
        refTargets[record.ref] == target || currentCommit(of: record.ref) == target
      {
        pushedAt = moments.last
      }
    }
    findings += authorshipFindings(
      facts, pushedAt: pushedAt, neverReady: neverReady, release: release)
    let (exception, _) = evaluator.effectiveException(facts)
    if let exception {
      findings += obligationFindings(
        facts, exception: exception, evaluator: evaluator, release: release)
    }
    let closeout = records.closeouts.sorted { $0.record.created < $1.record.created }.last
    if let pushedAt {
      findings += closeoutFindings(
        closeout?.record, pushedAt: pushedAt, release: release, ref: record.ref)
      if !records.receipts.isEmpty, releasesNoted[target]?.contains(release) != true {
        findings.append(
          AuditFinding(
            check: "notes", severity: "warning", release: release, ref: record.ref,
            commit: record.target,
            message:
              "refs/notes/governance has no note for \(record.target.prefix(10)) naming \(release); fetch the notes (git govern sync) or the server did not write it"
          ))
      }
    }
    let rejected = !evaluator.standingRejections(facts).isEmpty
    let ended = ReleaseLifecycle.finalCloseout(facts, at: now)
    findings += approvalsAfterTheEnd(facts, ended: ended, release: release)
    // Judged now only for a release still open and not pushed: the others' state does not
    // depend on it.
    let ready =
      ended == nil && pushedAt == nil && !rejected && evaluator.evaluate(facts).status != .blocked
    let lifecycle = ReleaseLifecycle.of(
      closeout: ended, requester: request.signer.id, pushed: pushedAt != nil, rejected: rejected,
      ready: ready)
    if let ended, lifecycle != .closed, records.receipts.isEmpty, pushedAt != nil {
      // Without a receipt nothing shows the push came before the cancellation.
      findings.append(
        AuditFinding(
          check: "lifecycle", release: release, ref: record.ref, commit: record.target,
          message:
            "\(record.ref) points at \(record.target.prefix(10)), but the release was \(lifecycle.rawValue) by \(ended.signer.id) at \(ended.record.created) and no server receipt shows a push before that: it went past the gate, or it should not have been cancelled"
        ))
    }
    var entry = lineage(
      records, request: request, state: lifecycle.rawValue, pushedAt: pushedAt,
      closeout: closeout?.record)
    entry.first_commit_at = firstAuthored.map(Timestamp.format)
    // The rule as the release was judged when it went out: the policy and people its first
    // receipted push was judged under, else those in force when its last signature made it
    // ready (by the governance history's claimed dates), else as of the audit's time.
    if let firstPush {
      entry.rule = rule(
        facts, policy: (firstPush.state.policy, firstPush.state.policyBlob),
        people: firstPush.state.people, at: firstPush.at)
    } else if let at = pushedAt.flatMap({ _ in readyAt }) {
      let judged = stateInForce(at: at)
      entry.rule = rule(
        facts, policy: (judged.policy, judged.policyBlob), people: judged.people, at: at)
    } else {
      var ruleEvaluator = evaluator
      ruleEvaluator.now = pushedAt ?? now
      entry.rule = ruleEvaluator.ruleApplied(facts)
    }
    if let pushedAt, !readyAtPush {
      let failed = failedAtPush.isEmpty ? neverReady?.blockers ?? [] : failedAtPush
      entry.remediation = AuditorText.remediation(
        pushedAt: Timestamp.format(pushedAt), failed: failed)
      // Kept by check, so a control catalog can say which control each blocker failed.
      entry.blocked_by =
        failed.isEmpty
        ? nil
        : failed.map { .init(check: $0.name, message: AuditorText.plain($0.message)) }
    }
    lineages.append(entry)
  }

  /// The rule `policy` applies to the release at `time`, with the approvals that counted by
  /// then, each signer with the roles `people` gave them.
  private func rule(
    _ facts: ReleaseFacts, policy: (policy: Policy, blob: OID), people: People, at time: Date
  ) -> RuleApplied? {
    var facts = facts
    facts.approvals = facts.approvals.filter {
      (facts.countsFrom($0.path, created: $0.record.created) ?? .distantFuture) <= time
    }.map { approval in
      var approval = approval
      approval.signer = people[approval.signer.id] ?? approval.signer
      return approval
    }
    facts.earlierPolicies = catalog.earlierPolicies(
      facts.approvals.map(\.record.policy) + facts.exceptions.map(\.record.policy),
      inForce: policy.blob)
    return ReleaseEvaluator(
      policy: policy.policy, policyBlob: policy.blob.hex, people: people, now: time
    ).ruleApplied(facts)
  }

  /// Approvals that came after the closeout that ended the release: the server refuses them
  /// (the release is over), so each reached the branch past the hooks. They count for nothing.
  private func approvalsAfterTheEnd(
    _ facts: ReleaseFacts, ended: Signed<Closeout>?, release: String
  ) -> [AuditFinding] {
    guard let ended, let endedAt = facts.countsFrom(ended.path, created: ended.record.created)
    else { return [] }
    let how =
      ReleaseLifecycle.of(
        closeout: ended, requester: facts.request.signer.id, pushed: false, rejected: false,
        ready: false
      ).rawValue
    return facts.approvals.filter {
      (facts.countsFrom($0.path, created: $0.record.created) ?? .distantPast) > endedAt
    }.map { approval in
      AuditFinding(
        check: "lifecycle", release: release, ref: facts.ref, commit: facts.target,
        message:
          "\(approval.path) is an approval by \(approval.signer.id) at \(approval.record.created), after the release was \(how) by \(ended.signer.id) at \(ended.record.created): the server refuses such records, so it reached the branch past the hooks; it counts for nothing"
      )
    }
  }

  /// Obligations discharged after their deadline: late counts too.
  /// An emergency's obligations still open past their deadline, each an error; those
  /// discharged after it, each a warning.
  private func obligationFindings(
    _ facts: ReleaseFacts, exception: ReleaseEvaluator.EffectiveException,
    evaluator: ReleaseEvaluator, release: String
  ) -> [AuditFinding] {
    let obligations = evaluator.emergencyObligations(facts, exception: exception)
    let checks = evaluator.obligations(facts, exception: exception)
    let overdue = zip(obligations, checks).filter { $0.0.isOverdue(at: evaluator.now) }.map {
      AuditFinding(check: "obligations", release: release, ref: facts.ref, message: $0.1.message)
    }
    let late = obligations.filter(\.cameLate).map { obligation in
      AuditFinding(
        check: "obligations", severity: "warning", release: release, ref: facts.ref,
        message:
          "\(obligation.lateName) came late: \(obligation.discharged?.at ?? ""), due by \(Timestamp.format(obligation.due))"
      )
    }
    return overdue + late
  }

  private func closeoutFindings(_ closeout: Closeout?, pushedAt: Date, release: String, ref: String)
    -> [AuditFinding]
  {
    var result: [AuditFinding] = []
    let policy = state.policy
    if let within = policy.closeoutWithin {
      let due = within.end(from: pushedAt, calendar: policy.calendar)
      if closeout == nil, now > due {
        result.append(
          AuditFinding(
            check: "closeout", release: release, ref: ref,
            message:
              "no closeout, due by \(Timestamp.format(due)) (closeout_within \(within)): git govern closeout \(release) --outcome …"
          ))
      } else if let closeout, let at = Timestamp.parse(closeout.created), at > due {
        result.append(
          AuditFinding(
            check: "closeout", severity: "warning", release: release, ref: ref,
            message: "the closeout came late: \(closeout.created), due by \(Timestamp.format(due))")
        )
      }
    }
    if let closeout, !closeout.legal_hold {
      let until = closeout.retain_until.flatMap(Timestamp.parse)
      if let minimum = policy.retentionMin,
        (until ?? .distantPast) < pushedAt.addingTimeInterval(TimeInterval(minimum))
      {
        result.append(
          AuditFinding(
            check: "retention", release: release, ref: ref,
            message:
              "kept until \(closeout.retain_until ?? "no date"), short of retention_min \(DurationText.text(fromSeconds: minimum)) after the push"
          ))
      } else if let until, until.timeIntervalSince(now) < GovernanceAudit.retentionWarning {
        result.append(
          AuditFinding(
            check: "retention", severity: "warning", release: release, ref: ref,
            message:
              "retention lapses at \(closeout.retain_until ?? "")\(until < now ? " (already lapsed)" : ""); extend it or place a legal hold"
          ))
      }
    }
    return result
  }

  /// What every protected ref points at now (refs that name no commit left out).
  static func protectedTips(_ repository: Repository, policy: Policy) throws -> [(
    ref: String, commit: OID
  )] {
    try repository.references().compactMap { name, value in
      guard policy.isProtected(name), let commit = try? repository.peelToCommit(value) else {
        return nil
      }
      return (name, commit)
    }
  }

  /// Every current value of every protected ref must be covered by a release that was ready.
  func protectedRefFindings(_ tips: [(ref: String, commit: OID)]) throws -> [AuditFinding] {
    var result: [AuditFinding] = []
    let genesis = Timestamp.parse(genesisTime) ?? .distantPast
    for (name, commit) in tips {
      if covered.contains("\(name) \(commit.hex)") { continue }
      if let baseline {
        if baseline[name] == commit.hex { continue }  // released before governance began
      } else {
        // A governance branch made before the genesis record named its baseline: the commit
        // date stands in for it, though it is only its writer's claim.
        let committed = try repository.commit(commit).committer.time
        if committed <= genesis { continue }
      }
      let releases = try catalog.releaseIDs(forTarget: commit)
      result.append(
        AuditFinding(
          check: "bypass", release: releases.first, ref: name, commit: commit.hex,
          message: releases.isEmpty
            ? "\(name) points at \(commit.hex.prefix(10)), for which no release was ever requested: it was pushed past the gate"
            : "\(name) points at \(commit.hex.prefix(10)), which no release ready for \(name) covers: it was pushed past the gate"
        ))
    }
    return result
  }

  private func lineage(
    _ records: ReleaseRecords, request: Signed<ReleaseRequest>, state stateName: String,
    pushedAt: Date?, closeout: Closeout?
  ) -> ReleaseLineage {
    let record = request.record
    var steps = [
      ReleaseLineage.Step(
        kind: "request", by: request.signer.id,
        roles: rolesWhenSigned(
          request.signer, at: records.acceptedAt[request.path] ?? Timestamp.parse(record.created)),
        at: record.created, detail: record.title ?? "")
    ]
    steps += records.approvals.map { approval in
      let at = records.acceptedAt[approval.path] ?? Timestamp.parse(approval.record.created)
      guard let holder = approval.record.on_behalf_of else {
        return .init(
          kind: "approval", by: approval.signer.id, roles: rolesWhenSigned(approval.signer, at: at),
          at: approval.record.created, detail: approval.record.comment ?? "")
      }
      // In another's place, the roles are the delegator's then, the lent ones among them.
      let lent = at.flatMap {
        calendar.delegations.delegations.inForce(from: holder, to: approval.signer.id, at: $0)
      }
      let roles =
        lent.flatMap { delegation in
          state.people[holder].map { rolesWhenSigned($0, at: at) }?.filter {
            delegation.record.roles?.contains($0) ?? true
          }
        } ?? []
      let how =
        lent.map { "delegated by \(holder) until \($0.record.until)" }
        ?? "with no delegation from \(holder) in force"
      return .init(
        kind: "approval", by: approval.signer.id, roles: roles, at: approval.record.created,
        detail: "for \(holder) (\(how))" + (approval.record.comment.map { ": \($0)" } ?? ""))
    }
    steps += records.rejections.map {
      .init(
        kind: "rejection", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: $0.record.reason)
    }
    steps += records.exceptions.map {
      .init(
        kind: "exception", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: "\($0.record.exception.rawValue): \($0.record.reason)")
    }
    steps += records.evidence.map {
      .init(
        kind: "evidence", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: $0.record.evidence
          + ($0.record.sha256.map { " sha256:\($0.prefix(16))" } ?? $0.record.url.map { " \($0)" }
            ?? ""))
    }
    steps += records.reviews.map {
      .init(
        kind: "review", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: $0.record.outcome.rawValue)
    }
    steps += records.receipts.map {
      .init(
        kind: "receipt", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: "pushed by \($0.record.pusher ?? "unknown")")
    }
    steps += records.acceptances.map {
      .init(
        kind: "acceptance", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: "the server accepted \($0.record.records.map(\.name).joined(separator: ", "))")
    }
    steps += records.closeouts.map {
      .init(
        kind: "closeout", by: $0.signer.id, roles: $0.signer.roles, at: $0.record.created,
        detail: "\($0.record.outcome.rawValue), \($0.record.artifacts.count) artifact(s)")
    }
    return ReleaseLineage(
      release: record.release, ref: record.ref, target: record.target, type: record.type.rawValue,
      risk: record.risk.rawValue,
      title: record.title, team: request.signer.team, state: stateName, requestedAt: record.created,
      pushedAt: pushedAt.map(Timestamp.format), outcome: closeout?.outcome.rawValue,
      steps: steps.sorted { $0.at < $1.at }, change: record.change)
  }

  /// The roles `signer` had when the record counted from (the server's acceptance time where
  /// known, else the record's own claimed time), from the people.yml in force then.
  private func rolesWhenSigned(_ signer: Person, at: Date?) -> [String] {
    guard let peopleHistory, let at else { return signer.roles }
    return peopleHistory.roles(of: signer.id, at: at) ?? []
  }
}
