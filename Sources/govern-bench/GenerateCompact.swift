import Foundation
import GitKit
import Governance
import Ledger
import Signing

/// The compact shape of earlier sessions (issue 6): one governance commit per 50 releases, all
/// by one author, no receipts, no merges. Kept only for its labelled row (`--shape compact`).
enum CompactGenerator {
  static func generate(size: BenchSize, seed: UInt64, dir: String) throws -> DataManifest {
    let size = size.compact
    let started = Date()
    let fm = FileManager.default
    try? fm.removeItem(atPath: dir)
    try fm.createDirectory(atPath: dir + "/keys", withIntermediateDirectories: true)
    let repoPath = dir + "/repo"
    _ = try run(["git", "init", "-q", "-b", "main", repoPath])
    var rng = SeededRNG(seed: seed)

    // 1. The code history, with git fast-import.
    let marks = try writeCodeHistory(
      repoPath: repoPath, marksFile: dir + "/marks", commits: size.commits,
      authors: size.authors, rng: &rng
    ) { i in
      i % size.tagEvery == 0 && i < size.commits ? "refs/tags/v1.\(i / size.tagEvery)" : nil
    }

    // 2. Keys: made once with ssh-keygen, then signing is native.
    var names = ["relmgr"]
    for i in 0..<size.approvers { names.append(String(format: "approver%02d", i)) }
    var signers: [String: NativeEd25519Signer] = [:]
    for n in names {
      let path = "\(dir)/keys/\(n)"
      _ = try run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", n, "-f", path])
      signers[n] = try NativeEd25519Signer(privateKeyPath: path)
    }

    // 3. policy.yml and people.yml.
    let policyText = """
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
      approval_ttl: 72h
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
        approvals: 1

      """
    _ = try PolicyParser.parse(policyText, file: "policy.yml")
    // people.yml as git govern writes it (init and identity add): the template's comment
    // header, then PeopleFile.render.
    var persons = [
      Person(
        id: "relmgr", name: "relmgr", emails: ["relmgr@example.com"],
        keys: [signers["relmgr"]!.publicKey.authorizedKey],
        roles: ["policy-admin", "release-manager"],
        team: "platform")
    ]
    for n in names.dropFirst() {
      persons.append(
        Person(
          id: n, name: n, emails: ["\(n)@example.com"], keys: [signers[n]!.publicKey.authorizedKey],
          roles: ["approver"], team: "review"))
    }
    for a in 0..<size.authors {
      persons.append(
        Person(
          id: "dev\(a)", name: "dev\(a)", emails: ["dev\(a)@example.com"], keys: [],
          roles: ["developer"],
          team: "t\(a % 10)"))
    }
    let people =
      "# git-govern people: who may sign, with which keys and roles.\n"
      + "# Change it with: git govern identity add <principal> --email <e> --key <pub> --role <r>\n"
      + PeopleFile.render(People(persons))
    _ = try PeopleFile.parse(people, file: "people.yml")

    let repository = try Repository.open(repoPath)
    let now = Timestamp.parse(benchNow)!
    let treeCache = NSCache<NSString, NSString>()
    func treeOf(_ commit: String) throws -> String {
      if let t = treeCache.object(forKey: commit as NSString) { return t as String }
      let t = try repository.tree(ofCommit: OID(hex: commit)!).hex
      treeCache.setObject(t as NSString, forKey: commit as NSString)
      return t
    }

    // Releases: k = 1...R, targeting commit k*every. Every 5th goes to a tag (the tag at
    // that commit), the rest to main; the last goes to main (the measured push). Then
    // "worst" (all history to refs/heads/release/all) and "pending" (requested, not approved).
    var releaseIDs: [String] = []
    for _ in 0...size.releases + 2 {
      releaseIDs.append("r-" + String(format: "%010llx", rng.next() & 0xff_ffff_ffff))
    }
    var approverPicks: [[Int]] = []
    for _ in 0...size.releases + 2 {
      var picks: [Int] = []
      while picks.count < 3 {
        let p = Int(rng.next() % UInt64(size.approvers - 1))  // approver19 stays free for `approve`
        if !picks.contains(p) { picks.append(p) }
      }
      approverPicks.append(picks)
    }

    struct Rel {
      var id: String
      var target: String
      var ref: String
      var approvals: Bool
      var closeout: Bool
    }
    var rels: [Rel] = []
    for k in 1...size.releases {
      let commit = k * size.releaseEvery
      let isTag = commit % size.tagEvery == 0 && commit < size.commits
      rels.append(
        Rel(
          id: releaseIDs[k], target: marks[commit],
          ref: isTag ? "refs/tags/v1.\(commit / size.tagEvery)" : "refs/heads/main",
          approvals: true,
          closeout: k != size.releases))
    }
    let worst = Rel(
      id: releaseIDs[size.releases + 1], target: marks[size.commits], ref: "refs/heads/release/all",
      approvals: true, closeout: false)
    let pending = Rel(
      id: releaseIDs[size.releases + 2], target: marks[size.commits],
      ref: "refs/heads/release/pending", approvals: false, closeout: false)

    let admin = LedgerAuthor(
      name: "relmgr", email: "relmgr@example.com", signer: signers["relmgr"]!)
    let ledgerStart = now.addingTimeInterval(-Double(size.releases + 10) * 600)

    func writeBranch(ref: String, releases: [(index: Int, rel: Rel)]) throws -> Int {
      let ledger = Ledger(repository: repository, ref: ref)
      let root = try ledger.writeCommit(
        files: [
          LedgerFile(path: LedgerPaths.policy, bytes: Array(policyText.utf8)),
          LedgerFile(path: LedgerPaths.people, bytes: Array(people.utf8)),
        ], parent: nil, message: "git-govern: init\n", author: admin, now: ledgerStart)
      let repoID = root.hex
      let genesis = RepositoryRecord(
        RecordAuthorship(
          repo: repoID, actor: "relmgr", email: "relmgr@example.com",
          created: Timestamp.format(ledgerStart)),
        policy: try repository.writeBlob(Array(policyText.utf8)).hex,
        people: try repository.writeBlob(Array(people.utf8)).hex)
      let policyBlob = genesis.policy
      var tip = try ledger.writeCommit(
        files: try admin.signedFiles(genesis, at: LedgerPaths.repository), parent: root,
        message: "git-govern: repository record\n", author: admin, now: ledgerStart)
      var records = 1
      let batch = 50
      var start = 0
      while start < releases.count {
        let chunk = releases[start..<min(start + batch, releases.count)]
        var files: [LedgerFile] = []
        var last = ledgerStart
        for (index, rel) in chunk {
          let base = now.addingTimeInterval(-Double(size.releases + 3 - index) * 600)
          func by(_ actor: String, _ offset: Double) -> RecordAuthorship {
            RecordAuthorship(
              repo: repoID, actor: actor, email: "\(actor)@example.com",
              created: Timestamp.format(base.addingTimeInterval(offset)))
          }
          func name(_ kind: String, _ actor: String, _ offset: Double) -> String {
            let stamp = Timestamp.format(base.addingTimeInterval(offset)).filter {
              $0 != "-" && $0 != ":"
            }
            return "\(LedgerPaths.releaseDirectory(rel.id))/\(kind)-\(stamp)-\(actor)-000000.json"
          }
          let tree = try treeOf(rel.target)
          let request = ReleaseRequest(
            by("relmgr", 0), release: rel.id, target: rel.target, tree: tree, ref: rel.ref,
            type: .normal, risk: .medium, title: "release \(index)")
          files += try admin.signedFiles(request, at: LedgerPaths.request(rel.id))
          files.append(
            LedgerFile(
              path: LedgerPaths.targetEntry(rel.target, release: rel.id),
              bytes: Array("\(rel.ref)\n".utf8)))
          let evidence = Evidence(
            by("relmgr", 30), release: rel.id, target: rel.target, tree: tree, ref: rel.ref,
            evidence: "tests", name: "tests.xml",
            sha256: String(repeating: "ab", count: 32), size: 1234)
          files += try admin.signedFiles(evidence, at: name("evidence", "relmgr", 30))
          records += 2
          if rel.approvals {
            for (j, p) in approverPicks[index].enumerated() {
              let who = names[p + 1]
              let approval = Approval(
                by(who, Double(60 * (j + 1))), release: rel.id, target: rel.target, tree: tree,
                ref: rel.ref, policy: policyBlob, comment: "looks good")
              let author = LedgerAuthor(
                name: who, email: "\(who)@example.com", signer: signers[who]!)
              files += try author.signedFiles(
                approval, at: name("approval", who, Double(60 * (j + 1))))
              records += 1
            }
          }
          if rel.closeout {
            let closeout = Closeout(
              by("relmgr", 400), release: rel.id, target: rel.target, tree: tree, ref: rel.ref,
              outcome: .deployed,
              artifacts: [
                Artifact(name: "app.tar.gz", sha256: String(repeating: "cd", count: 32), size: 4096)
              ],
              retainUntil: nil, legalHold: false)
            files += try admin.signedFiles(closeout, at: name("closeout", "relmgr", 400))
            records += 1
          }
          last = base.addingTimeInterval(rel.closeout ? 400 : 240)
        }
        tip = try ledger.writeCommit(
          files: files, parent: tip, message: "git-govern: \(chunk.count) releases\n",
          author: admin,
          now: last)
        start += batch
      }
      try repository.updateReference(ref, to: tip, expecting: nil, message: "bench")
      return records
    }

    var all: [(Int, Rel)] = rels.enumerated().map { ($0.offset + 1, $0.element) }
    all.append((size.releases + 1, worst))
    all.append((size.releases + 2, pending))
    let records = try writeBranch(ref: "refs/heads/governance", releases: all)
    let smallRecords = try writeBranch(
      ref: "refs/heads/governance-small", releases: Array(all.suffix(size.smallReleases + 2)))
    // As a repository looks after `git gc`: one pack (records stored as deltas of each other)
    // and a commit-graph file. The records were written loose; reading 120,000 loose files is
    // not what a server or a clone holds.
    _ = try run(["git", "-C", repoPath, "repack", "-a", "-d", "-q"])
    _ = try run(["git", "-C", repoPath, "commit-graph", "write", "--reachable"])

    let approver = names[size.approvers]
    return DataManifest(
      format: DataManifest.currentFormat,
      size: size.name, seed: seed, commits: size.commits, releases: size.releases,
      records: records, smallRecords: smallRecords, now: benchNow, tip: marks[size.commits],
      pushOld: marks[size.commits - 50], lastRelease: rels.last!.id, worstRelease: worst.id,
      pendingRelease: pending.id, approverKey: "\(dir)/keys/\(approver)",
      approverEmail: "\(approver)@example.com", generatorSeconds: Date().timeIntervalSince(started))
  }
}
