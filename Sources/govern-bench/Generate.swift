import Foundation
import GitKit
import Governance
import Ledger
import Signing

/// A small deterministic PRNG (SplitMix64), so the same seed gives the same data.
struct SeededRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

struct BenchSize {
  var name: String
  var commits: Int
  /// Code authors (`developer`s without keys); with the 23 people who sign, 500 at full size.
  var authors: Int
  var releases: Int
  var smallReleases: Int
  var approvers: Int
  /// A lightweight tag every this many commits (compact shape only).
  var tagEvery: Int
  var releaseEvery: Int { commits / releases }

  static func named(_ name: String) -> BenchSize {
    if name.hasSuffix("-half") { return named(String(name.dropLast(5))).half }
    switch name {
    case "small":
      return BenchSize(
        name: "small", commits: 2_000, authors: 50, releases: 100, smallReleases: 10, approvers: 20,
        tagEvery: 50)
    default:
      return BenchSize(
        name: "full", commits: 100_000, authors: 477, releases: 10_000, smallReleases: 10,
        approvers: 20, tagEvery: 50)
    }
  }

  /// The same shape with half the history: for the growth ratio (audit time at N / at N/2).
  var half: BenchSize {
    var h = self
    h.name = name + "-half"
    h.commits = commits / 2
    h.releases = releases / 2
    return h
  }

  /// The compact shape's own size (issue 6's figures).
  var compact: BenchSize {
    var c = self
    c.authors = name == "small" ? 50 : 500
    c.tagEvery = 50
    return c
  }
}

/// What the generator made, read back by the measurements.
struct DataManifest: Codable {
  /// Data made by an older generator is made again.
  static let currentFormat = 6
  var format: Int?
  var size: String
  var seed: UInt64
  var commits: Int
  var releases: Int
  var records: Int
  var smallRecords: Int
  var now: String
  var tip: String
  var pushOld: String
  var lastRelease: String
  var worstRelease: String
  var pendingRelease: String
  var approverKey: String
  var approverEmail: String
  var generatorSeconds: Double
  // The real shape (nil for the compact one).
  var shape: String?
  var repoID: String?
  var governanceCommits: Int?
  var syncMerges: Int?
  var pushes: Int?
  var newTagPushes: Int?
  var tags: Int?
  var people: Int?
  var changeRecords: Int?
  var changesInForce: Int?
  var revocations: Int?
  var notes: Int?
  var recordsByKind: [String: Int]?
}

let benchNow = "2026-06-03T10:00:00Z"  // a Wednesday: no freeze window is open

func run(_ args: [String], cwd: String? = nil, input: Data? = nil) throws -> String {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = args
  if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
  let out = Pipe()
  p.standardOutput = out
  let inPipe = Pipe()
  if input != nil { p.standardInput = inPipe }
  try p.run()
  if let input {
    inPipe.fileHandleForWriting.write(input)
    try inPipe.fileHandleForWriting.close()
  }
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else {
    throw BenchError("\(args.joined(separator: " ")) exited \(p.terminationStatus)")
  }
  return String(decoding: data, as: UTF8.self)
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}

/// The policy of the benchmark; `ttl` is what the policy changes over the history change.
func benchPolicy(ttl: String) -> String {
  """
  version: 1
  protected:
    - refs/heads/main
    - refs/heads/release/*
    - refs/tags/v*
  rules:
    - name: default
      approvals: 2
  separation_of_duties:
    requester_may_approve: false
    authors_may_approve: false
  approval_ttl: \(ttl)
  evidence:
    normal: [tests]
  freezes:
    timezone: Europe/London
    windows:
      - name: friday-afternoon
        every: [fri]
        from: "12:00"
        until: "24:00"
      - name: year-end
        from: 2026-12-20T00:00
        until: 2027-01-04T00:00
  admins:
    approvals: 2

  """
}

/// One release to write: what it releases where, and how far it gets.
struct PlannedRelease {
  var id: String
  var target: String
  var tree: String
  var ref: String
  var title: String
  /// The approvers (two), by name; none for a release only requested.
  var approvers: [String]
  /// The second approval arrives through a `sync` merge from the approver's clone.
  var viaSync: Bool
  /// Pushed (the server writes its receipts and the note), and its old value for the ref.
  var pushedFrom: String?
  var closeout: Bool
}

/// Writes governance commits as `git govern` and the server write them: one signed commit per
/// record by its signer, with the command's commit message, through `Ledger.writeCommit`; the
/// server's receipts as `record-push` writes them; policy and people changes through
/// `Ledger.signChange`, as `policy apply`/`policy approve` and `identity add`/`revoke` do.
final class GovernanceWriter {
  let repository: Repository
  let ledger: Ledger
  let repoID: String
  var tip: OID
  /// Where the ref was last moved to (it moves only for signChange, which reads it).
  var refAt: OID?
  var signers: [String: NativeEd25519Signer]
  var policyBlob: String
  var rng: SeededRNG
  var commits = 0
  var merges = 0
  var pushes = 0
  var newTagPushes = 0
  var changeRecords = 0
  var changesInForce = 0
  var revocations = 0
  var byKind: [String: Int] = [:]
  var records: Int { byKind.values.reduce(0, +) }
  /// The governance tip the server last saw (the `old` of its acceptance receipts).
  var serverSaw: OID
  /// Records added to release folders since the server last saw the branch, by folder.
  var unaccepted: [String: [AcceptedRecord]] = [:]
  var unacceptedRequest: [String: PlannedRelease] = [:]
  var notes: [(target: OID, text: String)] = []
  var latestNote: [OID: String] = [:]
  /// The last push receipt's `new` per ref (what the server has seen the ref at).
  var serverRefs: [String: String] = [:]

  init(
    repository: Repository, ref: String, repoID: String, tip: OID, refAt: OID?,
    signers: [String: NativeEd25519Signer], rng: SeededRNG
  ) throws {
    self.repository = repository
    self.ledger = Ledger(repository: repository, ref: ref)
    self.repoID = repoID
    self.tip = tip
    self.refAt = refAt
    self.signers = signers
    self.rng = rng
    self.serverSaw = tip
    policyBlob = try repository.entry(
      atPath: LedgerPaths.policy, inTree: repository.tree(ofCommit: tip))!.oid.hex
  }

  /// `git govern init`: the root with policy.yml and people.yml, then the signed genesis.
  static func initialise(
    repository: Repository, ref: String, policy: String, people: String, admin: String,
    signers: [String: NativeEd25519Signer], at: Date, rng: SeededRNG
  ) throws -> GovernanceWriter {
    let ledger = Ledger(repository: repository, ref: ref)
    let author = LedgerAuthor(
      name: admin, email: "\(admin)@example.com", signer: signers[admin]!)
    let root = try ledger.writeCommit(
      files: [
        LedgerFile(path: LedgerPaths.policy, bytes: Array(policy.utf8)),
        LedgerFile(path: LedgerPaths.people, bytes: Array(people.utf8)),
      ], parent: nil,
      message:
        "git-govern: init\n\nPolicy and people from templates/; \(admin) is the first policy-admin.\n",
      author: author, now: at)
    let genesis = RepositoryRecord(
      RecordAuthorship(
        repo: root.hex, actor: admin, email: author.email, created: Timestamp.format(at)),
      policy: try repository.writeBlob(Array(policy.utf8)).hex,
      people: try repository.writeBlob(Array(people.utf8)).hex, baseline: [:])
    let second = try ledger.writeCommit(
      files: try author.signedFiles(genesis, at: LedgerPaths.repository), parent: root,
      message:
        "git-govern: repository record\n\nBinds every record to this governance root (\(root.hex)).\n",
      author: author, now: at)
    try repository.updateReference(ref, to: second, expecting: nil, message: "init")
    let writer = try GovernanceWriter(
      repository: repository, ref: ref, repoID: root.hex, tip: second, refAt: second,
      signers: signers, rng: rng)
    writer.commits = 2
    writer.byKind["repository"] = 1
    return writer
  }

  func author(_ who: String) -> LedgerAuthor {
    who == "server"
      ? LedgerAuthor(name: "git-govern server", email: "server@example.com", signer: signers[who]!)
      : LedgerAuthor(name: who, email: "\(who)@example.com", signer: signers[who]!)
  }

  func by(_ who: String, _ at: Date) -> RecordAuthorship {
    RecordAuthorship(
      repo: repoID, actor: who, email: "\(who)@example.com", created: Timestamp.format(at))
  }

  /// `LedgerPaths.recordName`, with the nonce from the seeded generator.
  func recordName(_ kind: String, _ who: String, _ at: Date) -> String {
    let stamp = Timestamp.format(at).filter { $0 != "-" && $0 != ":" }
    return "\(kind)-\(stamp)-\(who)-\(String(format: "%06llx", rng.next() & 0xff_ffff)).json"
  }

  @discardableResult
  func commit(
    _ files: [LedgerFile], _ message: String, by who: String, at: Date, parent: OID? = nil
  )
    throws -> OID
  {
    let oid = try ledger.writeCommit(
      files: files, parent: parent ?? tip, message: message, author: author(who), now: at)
    commits += 1
    if parent == nil { tip = oid }
    return oid
  }

  /// The signed files of `record` at `path`, noted as not yet seen by the server.
  func signed<R: GovernanceRecord>(
    _ record: R, kind: String, release: PlannedRelease, at path: String, by who: String
  ) throws -> [LedgerFile] {
    let files = try author(who).signedFiles(record, at: path)
    byKind[kind, default: 0] += 1
    let blob = try repository.writeBlob(files[0].bytes!)
    unaccepted[release.id, default: []].append(
      AcceptedRecord(name: String(path.split(separator: "/").last!), blob: blob.hex))
    unacceptedRequest[release.id] = release
    return files
  }

  /// One release, as its people and the server make it; `base` is when it is requested.
  func write(_ rel: PlannedRelease, at base: Date, requester: String = "relmgr") throws {
    let dir = LedgerPaths.releaseDirectory(rel.id)
    let request = ReleaseRequest(
      by(requester, base), release: rel.id, target: rel.target, tree: rel.tree, ref: rel.ref,
      type: .normal, risk: .medium, title: rel.title)
    var files = try signed(
      request, kind: "request", release: rel, at: LedgerPaths.request(rel.id), by: requester)
    files.append(
      LedgerFile(
        path: LedgerPaths.targetEntry(rel.target, release: rel.id),
        bytes: Array("\(rel.ref)\n".utf8)))
    try commit(files, "git-govern: request \(rel.id) \(rel.ref)", by: requester, at: base)

    let evidenceAt = base.addingTimeInterval(30)
    let evidence = Evidence(
      by(requester, evidenceAt), release: rel.id, target: rel.target, tree: rel.tree, ref: rel.ref,
      evidence: "tests", name: "tests.xml", sha256: String(repeating: "ab", count: 32), size: 1234)
    try commit(
      try signed(
        evidence, kind: "evidence", release: rel,
        at: "\(dir)/\(recordName("evidence", requester, evidenceAt))", by: requester),
      "git-govern: tests evidence for \(rel.id) by \(requester)", by: requester, at: evidenceAt)

    // The approvals; the second through a sync merge from a clone made before the first.
    let beforeApprovals = tip
    var approvalLines: [String] = []
    for (j, who) in rel.approvers.enumerated() {
      let at = base.addingTimeInterval(Double(60 * (j + 1)))
      let approval = Approval(
        by(who, at), release: rel.id, target: rel.target, tree: rel.tree, ref: rel.ref,
        policy: policyBlob, comment: "looks good")
      let files = try signed(
        approval, kind: "approval", release: rel, at: "\(dir)/\(recordName("approval", who, at))",
        by: who)
      let message = "git-govern: approve \(rel.id) by \(who)"
      approvalLines.append("Approved-by: \(who) (approver) at \(Timestamp.format(at))")
      if rel.viaSync && j == rel.approvers.count - 1 {
        let side = try commit(files, message, by: who, at: at, parent: beforeApprovals)
        try syncMerge(local: side, files: files, by: who, at: at.addingTimeInterval(5))
      } else {
        try commit(files, message, by: who, at: at)
      }
    }

    if let old = rel.pushedFrom {
      try push(rel, old: old, at: base.addingTimeInterval(300), approvalLines: approvalLines)
    }
    if rel.closeout {
      let at = base.addingTimeInterval(400)
      let closeout = Closeout(
        by(requester, at), release: rel.id, target: rel.target, tree: rel.tree, ref: rel.ref,
        outcome: .deployed,
        artifacts: [
          Artifact(name: "app.tar.gz", sha256: String(repeating: "cd", count: 32), size: 4096)
        ],
        retainUntil: nil, legalHold: false)
      try commit(
        try signed(
          closeout, kind: "closeout", release: rel,
          at: "\(dir)/\(recordName("closeout", requester, at))", by: requester),
        "git-govern: closeout of \(rel.id) by \(requester)", by: requester, at: at)
    }
  }

  /// `git govern sync` in the approver's clone: its commit `local` and the remote's tip merged,
  /// the tree the remote's plus the local additions, signed by the approver.
  func syncMerge(local: OID, files: [LedgerFile], by who: String, at: Date) throws {
    var updates: [TreeUpdate] = []
    for file in files {
      updates.append(.upsertBlob(path: file.path, blob: try repository.writeBlob(file.bytes!)))
    }
    let tree = try repository.createTree(base: repository.tree(ofCommit: tip), updates: updates)
    let person = GitKit.Signature(
      name: who, email: "\(who)@example.com", time: at, offsetMinutes: 0)
    let buffer = try repository.commitBuffer(
      tree: tree, parents: [local, tip], author: person, committer: person,
      message: "git-govern: sync with origin\n")
    let signature = try signers[who]!.sign(
      Array(buffer.utf8), namespace: LedgerPaths.commitNamespace)
    tip = try repository.createCommit(buffer: buffer, signature: signature)
    commits += 1
    merges += 1
  }

  /// The push of the governance branch and of the release's ref, and what the server's
  /// post-receive (`record-push`) writes for it: an acceptance receipt per release folder the
  /// push added records to, a push receipt, and the note on the released commit.
  func push(_ rel: PlannedRelease, old: String, at: Date, approvalLines: [String]) throws {
    var files: [LedgerFile] = []
    for (release, accepted) in unaccepted.sorted(by: { $0.key < $1.key }) {
      let folder = unacceptedRequest[release]!
      let receipt = AcceptanceReceipt(
        by("server", at), release: release, target: folder.target, tree: folder.tree,
        ref: folder.ref, records: accepted.sorted { $0.name < $1.name }, old: serverSaw.hex,
        new: tip.hex, pusher: nil)
      files += try author("server").signedFiles(
        receipt,
        at: "\(LedgerPaths.releaseDirectory(release))/\(recordName("acceptance", "server", at))")
      byKind["acceptance", default: 0] += 1
    }
    unaccepted = [:]
    unacceptedRequest = [:]
    let receipt = PushReceipt(
      by("server", at), release: rel.id, target: rel.target, tree: rel.tree, ref: rel.ref,
      old: old, new: rel.target, pusher: nil, governance: tip.hex)
    files += try author("server").signedFiles(
      receipt, at: "\(LedgerPaths.releaseDirectory(rel.id))/\(recordName("receipt", "server", at))")
    byKind["receipt", default: 0] += 1
    try commit(files, "git-govern: push receipts", by: "server", at: at)
    serverSaw = tip
    pushes += 1
    if old == String(repeating: "0", count: 40) && rel.ref.hasPrefix("refs/tags/") {
      newTagPushes += 1
    }
    serverRefs[rel.ref] = rel.target
    // As ReleaseNote.render writes a section (the audit reads its Release and Approved-by lines).
    let lines =
      [
        "Release \(rel.id): \(rel.ref) (normal, medium risk) \"\(rel.title)\"",
        "Requested-by: relmgr at \(Timestamp.format(at.addingTimeInterval(-300)))",
      ] + approvalLines + [
        "Evidence: tests sha256:\(String(repeating: "ab", count: 8))",
        "Pushed: \(rel.ref) at \(Timestamp.format(at))", "Status: ready",
      ]
    // One note per commit: a commit released before keeps its earlier sections (CommitNote).
    let target = OID(hex: rel.target)!
    let section = lines.joined(separator: "\n") + "\n"
    let existing = try latestNote[target] ?? repository.note(on: target)
    let text = existing.map { ReleaseNote.joined([$0, section]) } ?? section
    latestNote[target] = text
    notes.append((target, text))
  }

  /// A change of policy.yml or people.yml proposed by one policy-admin and approved by the
  /// other (`policy apply` + `policy approve`, or `identity …` + `policy approve`), each a
  /// signed commit through `Ledger.signChange`, bound to the state it replaces.
  func change(
    file: String, proposer: String, approver: String, at: Date,
    content: (GovernanceState) throws -> (content: [UInt8], summary: String)
  ) throws {
    try repository.updateReference(ledger.ref, to: tip, expecting: refAt, message: "bench")
    var proposed: (content: [UInt8], summary: String)?
    let first = try ledger.signChange(
      file: file, actor: proposer, author: author(proposer), now: at
    ) { state in
      let made = try content(state)
      proposed = made
      return made
    }
    precondition(!first.inForce)
    let second = try ledger.signChange(
      file: file, actor: approver, author: author(approver), now: at.addingTimeInterval(60)
    ) { _ in proposed! }
    precondition(second.inForce)
    tip = try ledger.localTip()!
    refAt = tip
    commits += 2
    changeRecords += 2
    changesInForce += 1
    byKind["change", default: 0] += 2
    policyBlob = try repository.entry(
      atPath: LedgerPaths.policy, inTree: repository.tree(ofCommit: tip))!.oid.hex
  }

  /// Moves the ref to the last commit written and writes the server's notes.
  func finish() throws {
    try repository.updateReference(ledger.ref, to: tip, expecting: refAt, message: "bench")
    refAt = tip
    if !notes.isEmpty {
      let person = GitKit.Signature(
        name: "git-govern server", email: "server@example.com",
        time: Date(timeIntervalSince1970: 1_780_000_000), offsetMinutes: 0)
      try repository.setNotes(notes, author: person, message: "git-govern: release notes")
    }
  }
}

enum Generator {
  static let approverCount = 20
  /// Approvers whose key is rotated (a new key added, then the old one revoked) during the
  /// history; never approver00/01 (the measurements sign with them) nor approver19.
  static let rotated = ["approver10", "approver11", "approver12"]

  static func keyNames() -> [String] {
    ["relmgr", "secadmin", "server"]
      + (0..<approverCount).map { String(format: "approver%02d", $0) }
      + rotated.map { $0 + "-new" }
  }

  static func loadSigners(_ dir: String) throws -> [String: NativeEd25519Signer] {
    var signers: [String: NativeEd25519Signer] = [:]
    for n in keyNames() {
      signers[n] = try NativeEd25519Signer(privateKeyPath: "\(dir)/keys/\(n)")
    }
    return signers
  }

  static func generate(size: BenchSize, seed: UInt64, dir: String) throws -> DataManifest {
    let started = Date()
    let fm = FileManager.default
    try? fm.removeItem(atPath: dir)
    try fm.createDirectory(atPath: dir + "/keys", withIntermediateDirectories: true)
    let repoPath = dir + "/repo"
    _ = try run(["git", "init", "-q", "-b", "main", repoPath])
    var rng = SeededRNG(seed: seed)
    let every = size.releaseEvery
    let R = size.releases
    func isTagRelease(_ k: Int) -> Bool { k % 5 == 0 && k < R }
    func tagName(_ k: Int) -> String {
      isTagRelease(k) ? "refs/tags/v1.\(k / 5)" : "refs/tags/ci-\(k)"
    }

    // 1. The code history, with git fast-import; a tag at every release's commit: v1.<n> for
    // every fifth release (protected: released by pushing the new tag), ci-<k> for the others.
    let marks = try writeCodeHistory(
      repoPath: repoPath, marksFile: dir + "/marks", commits: size.commits,
      authors: size.authors, rng: &rng
    ) { i in i % every == 0 ? tagName(i / every) : nil }

    // 2. Keys: made once with ssh-keygen, then signing is native.
    for n in keyNames() {
      _ = try run([
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", n, "-f", "\(dir)/keys/\(n)",
      ])
    }
    let signers = try loadSigners(dir)

    // 3. policy.yml and people.yml (500 people at full size), as `git govern init` writes them.
    let policyText = benchPolicy(ttl: "72h")
    _ = try PolicyParser.parse(policyText, file: "policy.yml")
    func key(_ n: String) -> [String] { [signers[n]!.publicKey.authorizedKey] }
    var persons = [
      Person(
        id: "relmgr", name: "relmgr", emails: ["relmgr@example.com"], keys: key("relmgr"),
        roles: ["policy-admin", "release-manager"], team: "platform"),
      Person(
        id: "secadmin", name: "secadmin", emails: ["secadmin@example.com"], keys: key("secadmin"),
        roles: ["policy-admin", "security"], team: "security"),
      Person(
        id: "server", name: "server", emails: ["server@example.com"], keys: key("server"),
        roles: [PushReceipt.serverRole], team: "platform"),
    ]
    let approverNames = (0..<approverCount).map { String(format: "approver%02d", $0) }
    for n in approverNames {
      persons.append(
        Person(
          id: n, name: n, emails: ["\(n)@example.com"], keys: key(n), roles: ["approver"],
          team: "review"))
    }
    for a in 0..<size.authors {
      persons.append(
        Person(
          id: "dev\(a)", name: "dev\(a)", emails: ["dev\(a)@example.com"], keys: [],
          roles: ["developer"], team: "t\(a % 10)"))
    }
    let people =
      "# git-govern people: who may sign, with which keys and roles.\n"
      + "# Change it with: git govern identity add <principal> --email <e> --key <pub> --role <r>\n"
      + PeopleFile.render(People(persons))
    _ = try PeopleFile.parse(people, file: "people.yml")

    let repository = try Repository.open(repoPath)
    let now = Timestamp.parse(benchNow)!
    // Release k is requested at slot k (10-minute slots, none in a freeze window); a change,
    // when one is due, 500 s later. The history ends about three hours before `now`, leaving
    // room for the records appended later.
    let slot = ReleaseSlots(count: R + 1, endingAt: now.addingTimeInterval(-19 * 600))
    let start = slot[0]
    func tree(_ commit: String) throws -> String {
      try repository.tree(ofCommit: OID(hex: commit)!).hex
    }
    func releaseID() -> String { "r-" + String(format: "%010llx", rng.next() & 0xff_ffff_ffff) }
    func picks() -> [String] {
      var p: [Int] = []
      while p.count < 2 {
        let x = Int(rng.next() % UInt64(approverCount - 1))  // approver19 stays free for `approve`
        if !p.contains(x) { p.append(x) }
      }
      return p.map { approverNames[$0] }
    }

    // The plan, fixed by the seed before anything is signed.
    let zero = String(repeating: "0", count: 40)
    var plan: [PlannedRelease] = []
    var mainAt = zero
    for k in 1...R {
      let target = marks[k * every]
      let tag = isTagRelease(k)
      let ref = tag ? tagName(k) : "refs/heads/main"
      plan.append(
        PlannedRelease(
          id: releaseID(), target: target, tree: try tree(target), ref: ref, title: "release \(k)",
          approvers: picks(), viaSync: rng.next() % 5 == 0, pushedFrom: tag ? zero : mainAt,
          closeout: k % 10 == 0 && k != R))
      if !tag { mainAt = target }
    }
    let tip = marks[size.commits]
    let worst = PlannedRelease(
      id: releaseID(), target: tip, tree: try tree(tip), ref: "refs/heads/release/all",
      title: "everything", approvers: picks(), viaSync: false, pushedFrom: nil, closeout: false)
    let pending = PlannedRelease(
      id: releaseID(), target: tip, tree: try tree(tip), ref: "refs/heads/release/pending",
      title: "pending", approvers: [], viaSync: false, pushedFrom: nil, closeout: false)

    // A dozen policy and people changes spread over the history, three of them revocations.
    var changes: [Int: (GovernanceWriter, Date) throws -> Void] = [:]
    var rotatedSoFar: [String: String] = [:]  // approver -> the key it signs with now
    let steps: [(GovernanceWriter, Date) throws -> Void] = rotated.enumerated().flatMap {
      pair -> [(GovernanceWriter, Date) throws -> Void] in
      let (i, who) = pair
      let ttl = ["96h", "120h", "144h"][i]
      let dev = "dev\(i + 3)"
      return [
        { w, at in  // policy apply + policy approve
          try w.change(file: LedgerPaths.policy, proposer: "relmgr", approver: "secadmin", at: at) {
            _ in (Array(benchPolicy(ttl: ttl).utf8), "approval_ttl \(ttl)")
          }
        },
        { w, at in  // identity add <who> --key <new key>
          try w.change(file: LedgerPaths.people, proposer: "secadmin", approver: "relmgr", at: at) {
            state in
            var person = state.people[who]!
            person.keys.append(signers[who + "-new"]!.publicKey.authorizedKey)
            return (
              Array(PeopleFile.render(state.people.upserting(person)).utf8), "add a key of \(who)"
            )
          }
          rotatedSoFar[who] = who + "-new"
        },
        { w, at in  // identity revoke <who> --key <old key>
          try w.change(file: LedgerPaths.people, proposer: "relmgr", approver: "secadmin", at: at) {
            state in
            var person = state.people[who]!
            let old = signers[who]!.publicKey.authorizedKey
            var validity = person.validity(of: old)
            validity.revoked = KeyValidity.Revocation(
              at: at, ledger: state.snapshot.commit.hex, reason: "rotated")
            person.keyValidity[old] = validity
            return (
              Array(PeopleFile.render(state.people.upserting(person)).utf8),
              "revoke 1 key(s) of \(who): rotated"
            )
          }
          w.revocations += 1
        },
        { w, at in  // identity add <dev> --email <another address>
          try w.change(file: LedgerPaths.people, proposer: "secadmin", approver: "relmgr", at: at) {
            state in
            var person = state.people[dev]!
            person.emails.append("\(dev)@corp.example.com")
            return (
              Array(PeopleFile.render(state.people.upserting(person)).utf8),
              "add an address of \(dev)"
            )
          }
        },
      ]
    }
    for (i, step) in steps.enumerated() { changes[(i + 1) * R / (steps.count + 1)] = step }

    // 4. The governance branch, release after release.
    let writer = try GovernanceWriter.initialise(
      repository: repository, ref: "refs/heads/governance", policy: policyText, people: people,
      admin: "relmgr", signers: signers, at: start, rng: rng)
    writer.byKind["repository"] = 1
    for (index, rel) in plan.enumerated() {
      let k = index + 1
      var signing = signers
      for (who, key) in rotatedSoFar { signing[who] = signers[key]! }
      writer.signers = signing
      try writer.write(rel, at: slot[k])
      if let change = changes[k] {
        try change(writer, slot[k].addingTimeInterval(500))
      }
    }
    let end = slot[R + 1]
    try writer.write(worst, at: end)
    try writer.write(pending, at: end.addingTimeInterval(300))
    try writer.finish()

    // 5. The 10-release branch for the history-length ratio: the same shape, the last ten.
    let small = try GovernanceWriter.initialise(
      repository: repository, ref: "refs/heads/governance-small", policy: policyText,
      people: people, admin: "relmgr", signers: signers, at: start, rng: SeededRNG(seed: seed + 1))
    for (i, rel) in plan.suffix(size.smallReleases).enumerated() {
      var rel = rel
      rel.closeout = false
      try small.write(rel, at: slot[R - size.smallReleases + i + 1])
    }
    try small.write(worst, at: end)
    try small.write(pending, at: end.addingTimeInterval(300))
    small.notes = []
    try small.finish()

    // As a repository looks after `git gc`: one pack (records stored as deltas of each other),
    // packed refs and a commit-graph file.
    _ = try run(["git", "-C", repoPath, "repack", "-a", "-d", "-q"])
    _ = try run(["git", "-C", repoPath, "pack-refs", "--all"])
    _ = try run(["git", "-C", repoPath, "commit-graph", "write", "--reachable"])

    let approver = approverNames[approverCount - 1]
    return DataManifest(
      format: DataManifest.currentFormat, size: size.name, seed: seed, commits: size.commits,
      releases: R, records: writer.records, smallRecords: small.records, now: benchNow, tip: tip,
      pushOld: marks[size.commits - 50], lastRelease: plan.last!.id, worstRelease: worst.id,
      pendingRelease: pending.id, approverKey: "\(dir)/keys/\(approver)",
      approverEmail: "\(approver)@example.com",
      generatorSeconds: Date().timeIntervalSince(started), shape: "real", repoID: writer.repoID,
      governanceCommits: writer.commits, syncMerges: writer.merges, pushes: writer.pushes,
      newTagPushes: writer.newTagPushes, tags: R, people: persons.count,
      changeRecords: writer.changeRecords, changesInForce: writer.changesInForce,
      revocations: writer.revocations, notes: writer.notes.count, recordsByKind: writer.byKind)
  }

  /// Adds `count` releases at the real shape to the governance branch of `repoPath` (a copy
  /// of the generated data), each to a new tag `refs/tags/<prefix><n>` on an existing commit,
  /// requested `secondsAgo` before `at`; the last `unpushed` of them only approved, the others
  /// pushed (the tag made, the server's receipts written). Returns the number of records added.
  @discardableResult
  static func append(
    repoPath: String, keys dir: String, repoID: String, count: Int, unpushed: Int = 0,
    tagPrefix: String, at: Date, seed: UInt64
  ) throws -> (records: Int, tags: [(ref: String, target: String)]) {
    let repository = try Repository.open(repoPath)
    let ledger = Ledger(repository: repository, ref: "refs/heads/governance")
    let tip = try ledger.localTip()!
    let writer = try GovernanceWriter(
      repository: repository, ref: "refs/heads/governance", repoID: repoID, tip: tip, refAt: tip,
      signers: try loadSigners(dir), rng: SeededRNG(seed: seed))
    let targets = try run([
      "git", "-C", repoPath, "rev-list", "--max-count=\(count * 3 + 3)", "main",
    ])
    .split(separator: "\n").map(String.init)
    var tags: [(String, String)] = []
    let zero = String(repeating: "0", count: 40)
    for i in 0..<count {
      let target = targets[i * 3 + 1]
      let ref = "refs/tags/\(tagPrefix)\(i)"
      let pushed = i < count - unpushed
      let rel = PlannedRelease(
        id: "r-" + String(format: "%010llx", writer.rng.next() & 0xff_ffff_ffff), target: target,
        tree: try repository.tree(ofCommit: OID(hex: target)!).hex, ref: ref, title: "tag \(i)",
        approvers: ["approver00", "approver01"], viaSync: false, pushedFrom: pushed ? zero : nil,
        closeout: false)
      try writer.write(rel, at: at.addingTimeInterval(Double(i - count) * 400))
      if pushed {
        try repository.updateReference(ref, to: OID(hex: target)!, expecting: nil, message: "tag")
      }
      tags.append((ref, target))
    }
    try writer.finish()
    return (writer.records, tags)
  }
}
