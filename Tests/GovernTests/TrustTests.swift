import Foundation
import Governance
import Ledger
import Testing

/// Issue 14's classes 1, 2, 3 and the rejection rule of 7, each tried as an insider would: over
/// a real server with both hooks (refused, with the reason), and where no hook ran (found by
/// `git govern audit`).
@Suite("trust: what the gate counts is signed, proven and on the server's clock")
struct TrustTests {
  /// A policy that protects nothing: what an insider would like to put in force alone.
  static let openPolicy = """
    version: 1
    protected: []
    rules:
      - name: default
        approvals: 1

    """

  /// Forges a change of policy.yml to `openPolicy`, signed by `signer` with the fields given,
  /// and commits it (the change record, the proposed file and the root file) with plain git.
  func forgePolicyChange(
    _ world: World, signer: World.Persona, base: String, policy: String, people: String
  ) throws {
    let file = world.root.appendingPathComponent("open-policy.yml")
    try Data(Self.openPolicy.utf8).write(to: file)
    let blob = try world.git("hash-object", "-w", file.path)
    let record = ChangeProposal(
      RecordAuthorship(
        repo: try world.repoID(), actor: signer.id, email: signer.email,
        created: Timestamp.format(Date())),
      file: "policy.yml", blob: blob, base: base, policy: policy, people: people,
      summary: "open everything")
    let directory = LedgerPaths.changeDirectory(file: "policy.yml", blob: blob)
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: try world.recordFiles(
        record, at: "\(directory)/change-20260101T000000Z-\(signer.id)-000000.json", by: signer)
        + [
          ("\(directory)/policy.yml", Data(Self.openPolicy.utf8)),
          ("policy.yml", Data(Self.openPolicy.utf8)),
        ],
      signedBy: signer, message: "policy")
  }

  /// Pushes `refspec` past the client hook over git daemon and over the file transport;
  /// both must be refused, saying `reason`.
  func expectRefusedOverBoth(
    _ server: ServerWorld, _ refspec: String, saying reason: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    for destination in [server.url, server.bare.path] {
      let pushed = try server.world.run(
        ["git", "push", "--no-verify", destination, refspec], in: server.world.work)
      #expect(pushed.status != 0, sourceLocation: sourceLocation)
      #expect(
        pushed.stderr.contains(reason), "\(destination): \(pushed.stderr)",
        sourceLocation: sourceLocation)
    }
  }

  func historyFinding(_ findings: [[String: Any]], _ text: String) -> Bool {
    findings.contains {
      ($0["check"] as? String)?.hasPrefix("governance") == true
        && ($0["message"] as? String)?.contains(text) == true
    }
  }

  @Test(
    "class 1: a policy change counted under an older, weaker admin threshold is refused, and the audit finds it"
  )
  func changeUnderOldThreshold() throws {
    let server = try ServerWorld()
    let world = server.world
    let alice = server.team.alice
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["policy-admin"], by: alice)
    let oldPolicy = try world.governanceBlob("policy.yml")
    try world.expectSuccess(world.applyPolicy(fullPolicy(admins: 2), by: alice))
    let strictPolicy = try world.governanceBlob("policy.yml")
    #expect(strictPolicy != oldPolicy)
    try world.expectSuccess(world.govern(["sync"], as: alice))

    // alice alone, naming the policy from before the threshold was raised.
    try forgePolicyChange(
      world, signer: alice, base: strictPolicy, policy: oldPolicy,
      people: try world.governanceBlob("people.yml"))
    try expectRefusedOverBoth(
      server, "governance", saying: "was not signed by enough policy-admins")
    #expect(try world.git("rev-parse", "governance:policy.yml", in: server.bare) == strictPolicy)

    // Where no hook ran (here: the local branch), the audit finds it and the gate stays shut.
    let audit = try world.auditFindings()
    #expect(audit.status == 1)
    #expect(
      historyFinding(audit.findings, "without the admin signatures the state before it demands"))
    let check = try world.govern(["check", "HEAD", "--to", "refs/heads/main"])
    #expect(check.status == 1)
  }

  @Test(
    "class 1: a revoked admin signing against the people.yml from before her revocation is refused")
  func revokedAdminSignsAgainstOldPeople() throws {
    let server = try ServerWorld()
    let world = server.world
    let alice = server.team.alice
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["policy-admin"], by: alice)
    let peopleBefore = try world.governanceBlob("people.yml")
    try world.expectSuccess(
      world.govern(["identity", "revoke", "dave", "--reason", "left"], as: alice))
    try world.expectSuccess(world.govern(["sync"], as: alice))
    let policy = try world.governanceBlob("policy.yml")

    try forgePolicyChange(world, signer: dave, base: policy, policy: policy, people: peopleBefore)
    try expectRefusedOverBoth(
      server, "governance", saying: "was not signed by enough policy-admins")

    let audit = try world.auditFindings()
    #expect(audit.status == 1)
    #expect(historyFinding(audit.findings, "policy.yml"))
    #expect(
      historyFinding(audit.findings, "was made against another state")
        || historyFinding(audit.findings, "revoked"), "\(audit.findings)")
  }

  @Test(
    "class 2: removing an open incident's index entry without closing it is refused, and audited")
  func incidentIndexRemoval() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.expectSuccess(
      world.govern(
        ["incident", "open", "INC-7", "--title", "payments down", "--push"], as: server.team.alice))
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov, files: [], removing: ["incidents/open/INC-7"], signedBy: server.team.bob,
      message: "nothing to see")
    try expectRefusedOverBoth(
      server, "governance",
      saying: "removes incidents/open/INC-7 without a signed record closing incident INC-7")

    let audit = try world.auditFindings()
    #expect(historyFinding(audit.findings, "removes incidents/open/INC-7 without a signed record"))
  }

  @Test(
    "class 2: an index entry pointing a commit at another commit's release is refused, ignored by readers and audited"
  )
  func targetIndexForgery() throws {
    let server = try ServerWorld()
    let world = server.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    try world.commit("evil.txt", "unreviewed\n", by: server.team.bob)
    let unreviewed = try world.git("rev-parse", "HEAD")
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: [
        (LedgerPaths.targetEntry(unreviewed, release: release), Data("refs/tags/v1.0.0\n".utf8))
      ],
      signedBy: server.team.bob, message: "index")
    try expectRefusedOverBoth(
      server, "governance", saying: "the same commit does not add its request")

    let check = try world.govern(["check", unreviewed, "--to", "refs/tags/v1.0.0"])
    #expect(check.status == 1)
    #expect(check.stdout.contains("which is a release of commit"), "\(check.output)")
    #expect(check.stdout.contains("the entry is ignored"))
    let audit = try world.auditFindings()
    #expect(historyFinding(audit.findings, "the same commit does not add its request"))
  }

  @Test("class 3: over the file transport the server ignores the pusher's GIT_GOVERN_NOW")
  func serverKeepsItsOwnClock() throws {
    let server = try ServerWorld()
    let world = server.world
    let from = Timestamp.format(Date().addingTimeInterval(-86400))
    let until = Timestamp.format(Date().addingTimeInterval(86400))
    try world.expectSuccess(
      world.govern(
        [
          "freeze", "add", "--from", from, "--until", until, "--tz", "UTC", "--reason",
          "audit week", "--push",
        ],
        as: server.team.erin))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    try world.git("tag", "v1.0.0")
    let lastWeek = Timestamp.format(Date().addingTimeInterval(-7 * 86400))
    let pushed = try world.run(
      ["git", "push", "--no-verify", server.bare.path, "v1.0.0"], in: world.work,
      environment: ["GIT_GOVERN_NOW": lastWeek])
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("is frozen until"), "\(pushed.stderr)")

    // No hook at all: the tag pushed in the freeze is a bypass the audit reports.
    let bare = try hooklessServer(world)
    try world.expectSuccess(world.run(["git", "push", "-q", "hookless", "v1.0.0"], in: world.work))
    let audit = try world.auditFindings()
    #expect(
      audit.findings.contains {
        $0["check"] as? String == "bypass" && ($0["ref"] as? String) == "refs/tags/v1.0.0"
      }, "\(audit.findings)")
    _ = bare
  }

  @Test("class 3: a record dated in the server's future is refused")
  func futureDatedRecordRefused() throws {
    let server = try ServerWorld()
    let world = server.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    let head = try world.git("rev-parse", "HEAD")
    let carol = server.team.carol
    let approval = Approval(
      RecordAuthorship(
        repo: try world.repoID(), actor: "carol", email: carol.email,
        created: Timestamp.format(Date().addingTimeInterval(3 * 86400))),
      release: release, target: head, tree: try world.git("rev-parse", "HEAD^{tree}"),
      ref: "refs/tags/v1.0.0", policy: try world.governanceBlob("policy.yml"))
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: try world.recordFiles(
        approval,
        at: "\(LedgerPaths.releaseDirectory(release))/approval-20990101T000000Z-carol-000000.json",
        by: carol),
      signedBy: carol, message: "approve, for later")
    try expectRefusedOverBoth(server, "governance", saying: "in the future of the server's clock")
  }

  @Test(
    "class 3: an approval signed offline counts from when the server accepted it, by its signed acceptance receipt"
  )
  func approvalCountsFromAcceptance() throws {
    let server = try ServerWorld()
    let world = server.world
    let policy = """
      version: 1
      protected: [refs/tags/v*]
      rules:
        - name: default
          approvals: 1
      approval_ttl: 1h
      """
    try world.expectSuccess(world.applyPolicy(policy, by: server.team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    // carol signed it two hours ago, offline; it reaches the server only now.
    let carol = server.team.carol
    let approval = Approval(
      RecordAuthorship(
        repo: try world.repoID(), actor: "carol", email: carol.email,
        created: Timestamp.format(Date().addingTimeInterval(-2 * 3600))),
      release: release, target: try world.git("rev-parse", "HEAD"),
      tree: try world.git("rev-parse", "HEAD^{tree}"), ref: "refs/tags/v1.0.0",
      policy: try world.governanceBlob("policy.yml"))
    let name = "approval-20260101T000000Z-carol-000000.json"
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: try world.recordFiles(
        approval, at: "\(LedgerPaths.releaseDirectory(release))/\(name)", by: carol),
      signedBy: carol, message: "approve")
    let before = try world.govern(["status", release])
    #expect(before.status == 1)
    #expect(before.stdout.contains("expired after 1h"), "\(before.stdout)")

    try world.expectSuccess(world.govern(["sync"], as: carol))
    let acceptances = try server.serverRecords(release).filter {
      $0.contains("/acceptance-") && $0.hasSuffix(".json")
    }
    #expect(acceptances.count >= 1)
    let receipt = try world.run(
      ["git", "show", "refs/heads/governance:\(acceptances.last ?? "")"], in: server.bare
    ).stdout
    #expect(receipt.contains(name) && receipt.contains("\"actor\":\"server\""), "\(receipt)")
    let after = try world.govern(["status", release])
    #expect(after.status == 0, "\(after.stdout)")
    try world.git("tag", "v1.0.0")
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
  }

  @Test("class 3: a key that expired before the server saw its record no longer signs")
  func keyExpiredBeforeAcceptance() throws {
    let server = try ServerWorld()
    let world = server.world
    let frank = try world.persona("frank")
    let expiry = Date().addingTimeInterval(6)
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "frank", "--email", frank.email, "--key", frank.publicKey, "--role",
          "security", "--valid-before", Timestamp.format(expiry),
        ], as: server.team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    try world.expectSuccess(world.govern(["approve", release], as: frank))  // offline, in time
    while Date() < expiry.addingTimeInterval(1) { usleep(200_000) }
    try expectRefusedOverBoth(server, "governance", saying: "when frank's key")
  }

  @Test(
    "class 3: readers judge a key at the time the server's acceptance receipt names, not the record's own claim"
  )
  func readersJudgeKeysAtAcceptance() throws {
    let team = try Team()
    let world = team.world
    let server = try world.persona("server", email: "server@forge.example")
    try world.register(server, roles: ["server"], by: team.alice)
    let frank = try world.persona("frank")
    let expiry = Date().addingTimeInterval(5)
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "frank", "--email", frank.email, "--key", frank.publicKey, "--role",
          "security", "--valid-before", Timestamp.format(expiry),
        ], as: team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: frank))
    #expect(try world.govern(["status", release]).status == 0)
    while Date() < expiry.addingTimeInterval(1) { usleep(200_000) }
    // The server saw frank's approval only after his key expired (as a hookless server's
    // post-receive would have said).
    let directory = LedgerPaths.releaseDirectory(release)
    let name = try world.git("ls-tree", "--name-only", "governance", "\(directory)/")
      .split(separator: "\n").map { String($0.split(separator: "/").last!) }
      .first { $0.hasPrefix("approval-") && $0.hasSuffix(".json") }!
    let blob = try world.governanceBlob("\(directory)/\(name)")
    let receipt = AcceptanceReceipt(
      RecordAuthorship(
        repo: try world.repoID(), actor: "server", email: server.email,
        created: Timestamp.format(Date())),
      release: release, target: try world.git("rev-parse", "HEAD"),
      tree: try world.git("rev-parse", "HEAD^{tree}"), ref: "refs/tags/v1.0.0",
      records: [AcceptedRecord(name: name, blob: blob)], old: String(repeating: "0", count: 40),
      new: try world.git("rev-parse", "governance"), pusher: "frank")
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: try world.recordFiles(
        receipt, at: "\(directory)/acceptance-20260101T000000Z-server-000000.json", by: server),
      signedBy: server, message: "acceptance")
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(status.stdout.contains("reached the server at"), "\(status.stdout)")
  }

  @Test(
    "class 7: a rejection binds the commit and ref; a new request does not get past it until withdrawn"
  )
  func rejectionBindsCommitAndRef() throws {
    let server = try ServerWorld()
    let world = server.world
    let team = server.team
    let first = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(
      world.govern(["reject", first, "--reason", "leaks card numbers", "--push"], as: team.carol))
    let second = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second, "--push"], as: team.erin))
    let status = try world.govern(["status", second])
    #expect(status.status == 1)
    #expect(status.stdout.contains("carol rejected commit"), "\(status.stdout)")
    #expect(status.stdout.contains("git govern withdraw \(first)"))

    try world.git("tag", "v1.0.0")
    try expectRefusedOverBoth(server, "v1.0.0", saying: "carol rejected commit")

    // Only the rejecter (or enough admins) may withdraw it.
    let notHers = try world.govern(["withdraw", first, "--reason", "fine"], as: team.erin)
    #expect(notHers.status == 2)
    #expect(notHers.stderr.contains("only the rejecter (carol)"))
    try world.expectSuccess(
      world.govern(["withdraw", first, "--reason", "fixed upstream", "--push"], as: team.carol))
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
  }

  @Test("class 7: a re-requested rejected commit pushed where no hook ran is an audit finding")
  func rejectedCommitPushedWithoutHooks() throws {
    let team = try Team()
    let world = team.world
    let first = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["reject", first, "--reason", "no"], as: team.carol))
    let second = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second], as: team.erin))
    try world.git("tag", "v1.0.0")
    let audit = try world.auditFindings()
    #expect(audit.status == 1)
    #expect(
      audit.findings.contains {
        $0["check"] as? String == "bypass" && ($0["ref"] as? String) == "refs/tags/v1.0.0"
      }, "\(audit.findings)")
  }
}
