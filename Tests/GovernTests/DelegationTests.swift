import Foundation
import Governance
import Ledger
import Testing

/// Delegation end to end: `git govern delegate`, `approve --for`, the server's pre-receive on
/// the governance branch and the release, and the audit of what skipped the server.
@Suite("delegation: carol, away, lets dave approve in her place, over a real server")
struct DelegationTests {
  /// Two approvals, both with role security: carol and erin hold it, dave does not.
  static let policy = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 2
        roles: {security: 2}

    """

  static func withDave(_ world: World, team: Team) throws -> World.Persona {
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["developer"], by: team.alice)
    try world.expectSuccess(world.applyPolicy(policy, by: team.alice))
    return dave
  }

  static func later(days: Double) -> String {
    Timestamp.format(Date().addingTimeInterval(days * 86400))
  }

  @Test(
    "refused before carol delegates; in her place dave brings her security role, the server takes the push, the audit shows whose place"
  )
  func delegateApprovesInPlace() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let dave = try Self.withDave(world, team: team)
    try world.commit("feature.txt", "feature\n", by: team.bob)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.erin))

    let early = try world.govern(["approve", release, "--for", "carol"], as: dave)
    #expect(early.status == 1)
    #expect(
      early.stderr.contains(
        "no delegation from carol to dave is in force now; carol can run `git govern delegate dave --until <time>`"
      ), "\(early.output)")
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: dave))
    let asHimself = try world.govern(["status", release])
    #expect(asHimself.status == 1)
    #expect(
      asHimself.stdout.contains("needs 1 more approval with role security: carol can run"),
      "\(asHimself.output)")

    let until = Self.later(days: 2)
    let delegated = try world.govern(
      [
        "delegate", "dave", "--until", until, "--role", "security", "--reason", "on leave",
        "--push",
      ],
      as: team.carol)
    try world.expectSuccess(delegated)
    #expect(delegated.stdout.contains("dave may approve in your place, with roles security"))
    // The pre-receive took the delegation: it is on the server's governance branch.
    let onServer = try world.run(
      ["git", "ls-tree", "-r", "--name-only", "refs/heads/governance", "delegations/"],
      in: server.bare)
    #expect(
      onServer.stdout.contains("delegations/\(until.prefix(7))/delegation-"), "\(onServer.output)")

    try world.expectSuccess(
      world.govern(["approve", release, "--for", "carol", "--push"], as: dave))
    let status = try world.govern(["status", release, "--json"])
    #expect(status.status == 0, "\(status.output)")
    #expect(status.stdout.contains("approved by dave for carol, erin"), "\(status.output)")
    #expect(status.stdout.contains("dave already counts once, with a newer approval"))

    let pushed = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(
      try world.run(["git", "rev-parse", "main"], in: server.bare).stdout
        == world.run(["git", "rev-parse", "main"], in: world.work).stdout)

    let audit = try world.govern(["audit", "--format", "json"], in: server.bare)
    #expect(audit.status == 0, "\(audit.output)")
    #expect(
      audit.stdout.contains("for carol (delegated by carol until \(until))"), "\(audit.stdout)")
  }

  @Test(
    "separation of duties holds for both: an author neither approves in another's place nor hands their approval on"
  )
  func authorsCannotUseDelegation() throws {
    let team = try Team()
    let world = team.world
    let dave = try Self.withDave(world, team: team)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.erin)
    // bob wrote every commit of the release.
    try world.expectSuccess(
      world.govern(["delegate", "bob", "--until", Self.later(days: 1)], as: team.carol))
    let asDelegate = try world.govern(["approve", release, "--for", "carol"], as: team.bob)
    #expect(asDelegate.status == 1)
    #expect(asDelegate.stderr.contains("bob authored or committed"), "\(asDelegate.output)")

    try world.expectSuccess(
      world.govern(["delegate", "dave", "--until", Self.later(days: 1)], as: team.bob))
    let forAuthor = try world.govern(["approve", release, "--for", "bob"], as: dave)
    #expect(forAuthor.status == 1)
    #expect(
      forAuthor.stderr.contains(
        "bob's own approval would not count, so none in their place was recorded"),
      "\(forAuthor.output)")
    #expect(
      try world.git("ls-tree", "-r", "--name-only", "refs/heads/governance").contains("approval-")
        == false)
  }

  @Test(
    "--end ends it: a later approval in the delegator's place is refused; bad arguments are named")
  func endingAndBadArguments() throws {
    let team = try Team()
    let world = team.world
    let dave = try Self.withDave(world, team: team)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(
      world.govern(["delegate", "dave", "--until", Self.later(days: 1)], as: team.carol))
    try world.expectSuccess(world.govern(["delegate", "dave", "--end"], as: team.carol))
    let refused = try world.govern(["approve", release, "--for", "carol"], as: dave)
    #expect(refused.status == 1, "\(refused.output)")

    let cases: [([String], String)] = [
      (
        ["delegate", "mallory", "--until", Self.later(days: 1)],
        "\"mallory\", who is not a registered person"
      ),
      (["delegate", "carol", "--until", Self.later(days: 1)], "delegates from carol to themself"),
      (["delegate", "dave"], "--until <time> is needed"),
      (
        ["delegate", "dave", "--until", "2020-01-01"],
        "is in the past; to end a delegation now, use --end"
      ),
      (["delegate", "dave", "--until", "soon"], "--until \"soon\" is not a time"),
      (
        ["delegate", "dave", "--until", Self.later(days: 1), "--role", "sre"],
        "--role sre: carol does not hold it"
      ),
    ]
    let before = try world.governanceTip()
    for (arguments, message) in cases {
      let result = try world.govern(arguments, as: team.carol)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.output)")
    }
    #expect(try world.governanceTip() == before)
  }

  @Test(
    "the server refuses a forged or misplaced delegation; an approval in another's place without one, pushed where no hook ran, is a bypass in the audit"
  )
  func forgedDelegationsAndTheAudit() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let dave = try Self.withDave(world, team: team)
    try world.expectSuccess(
      world.run(["git", "push", "-q", "origin", "governance"], in: world.work))
    let repo = try world.repoID()
    let until = Self.later(days: 1)
    let created = Timestamp.format(Date())
    func delegation(claimedBy holder: World.Persona, in month: String) throws -> [(String, Data)] {
      let record = Delegation(
        RecordAuthorship(repo: repo, actor: holder.id, email: holder.email, created: created),
        delegate: "dave", until: until, roles: nil, reason: "forged")
      return try world.recordFiles(
        record, at: "delegations/\(month)/delegation-\(UUID().uuidString.prefix(6)).json", by: dave)
    }
    // dave signs a delegation that claims to be carol's; then one in carol's name, by carol's
    // key (as carol would), in the wrong month's folder.
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov, files: try delegation(claimedBy: team.carol, in: String(until.prefix(7))),
      signedBy: dave, message: "forged delegation")
    let forged = try world.run(["git", "push", "origin", "governance"], in: world.work)
    #expect(forged.status != 0)
    #expect(forged.stderr.contains("delegations/"), "\(forged.output)")
    try world.git("reset", "-q", "--hard", "HEAD~1", in: gov)

    let record = Delegation(
      RecordAuthorship(repo: repo, actor: "carol", email: team.carol.email, created: created),
      delegate: "dave", until: until, roles: nil, reason: "misplaced")
    try world.commitGovernance(
      in: gov,
      files: try world.recordFiles(
        record, at: "delegations/2020-01/delegation-x.json", by: team.carol),
      signedBy: team.carol, message: "misplaced delegation")
    let misplaced = try world.run(["git", "push", "origin", "governance"], in: world.work)
    #expect(misplaced.status != 0)
    #expect(
      misplaced.stderr.contains(
        "sits in delegations/2020-01/, not delegations/\(until.prefix(7))/"),
      "\(misplaced.output)")
    try world.git("reset", "-q", "--hard", "HEAD~1", in: gov)

    // Where no hook ran: erin's approval and dave's "for carol", with no delegation at all.
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.erin))
    let head = try world.git("rev-parse", "v1.0.0^{commit}")
    var approval = Approval(
      RecordAuthorship(
        repo: repo, actor: "dave", email: dave.email, created: Timestamp.format(Date())),
      release: release, target: head, tree: try world.git("rev-parse", "v1.0.0^{tree}"),
      ref: "refs/tags/v1.0.0", policy: try world.governanceBlob("policy.yml"))
    approval.on_behalf_of = "carol"
    try world.git("reset", "-q", "--hard", "governance", in: gov)
    try world.commitGovernance(
      in: gov,
      files: try world.recordFiles(
        approval, at: "\(LedgerPaths.releaseDirectory(release))/approval-dave-for-carol.json",
        by: dave),
      signedBy: dave, message: "approval in carol's place")
    // The real server refuses it by its own clock.
    let atServer = try world.run(["git", "push", "origin", "governance"], in: world.work)
    #expect(atServer.status != 0)
    #expect(
      atServer.stderr.contains(
        "is an approval by dave in carol's place, but no delegation from carol to dave is in force now"
      ),
      "\(atServer.output)")
    let bare = try hooklessServer(world)
    try world.expectSuccess(
      world.run(["git", "push", "-q", "hookless", "governance", "v1.0.0"], in: world.work))
    let audit = try world.auditFindings(in: bare)
    #expect(audit.status == 1)
    let bypass = audit.findings.first {
      $0["check"] as? String == "bypass" && ($0["ref"] as? String) == "refs/tags/v1.0.0"
    }
    #expect(bypass != nil, "\(audit.findings)")
    // The gate, there, says why.
    let gate = try world.govern(["check", "v1.0.0", "--to", "refs/tags/v1.0.0"])
    #expect(gate.status == 1)
    #expect(
      gate.output.contains(
        "dave approved for carol, but no delegation from carol to dave was in force"),
      "\(gate.output)")
  }
}
