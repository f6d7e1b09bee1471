import Foundation
import Governance
import Ledger
import Testing

/// Issue 15, the rest: `audit --at` reads the repository as it stood then, a lineage's rule
/// is the one the push was judged by, old receipts are judged by the branch at the commit that
/// added them, the note says how a release ended, and only its requester, a release manager
/// or a policy-admin may end a release.
@Suite("the audit as the repository stood then, and who may end a release")
struct AsItStoodTests {
  func findings(_ json: [String: Any]) -> [[String: Any]] {
    json["findings"] as? [[String: Any]] ?? []
  }

  func errors(_ json: [String: Any], release: String) -> [String] {
    findings(json).filter {
      $0["release"] as? String == release && ($0["severity"] as? String ?? "error") == "error"
    }.compactMap { $0["message"] as? String }
  }

  func bypasses(_ json: [String: Any], ref: String) -> [[String: Any]] {
    findings(json).filter { $0["check"] as? String == "bypass" && $0["ref"] as? String == ref }
  }

  /// A moment between two seconds: every record before it is older, every one after newer.
  func moment() -> String {
    sleep(1)
    defer { sleep(1) }
    return Timestamp.format(Date())
  }

  /// Commits `record` (signed by `signer`) into the local governance branch with plain git, as
  /// an insider would, and returns nothing: push it where it should go.
  func forge<R: GovernanceRecord>(
    _ world: World, _ record: R, kind: String, release: String, by signer: World.Persona
  ) throws {
    let path =
      "\(LedgerPaths.releaseDirectory(release))/\(LedgerPaths.recordName(kind: kind, actor: signer.id, created: Date()))"
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov, files: try world.recordFiles(record, at: path, by: signer), signedBy: signer,
      message: "git-govern: \(kind) of \(release) by \(signer.id)")
    try world.git("worktree", "remove", "--force", gov.path)
  }

  /// The team, a `server` persona registered with role `server`, and a one-approval policy.
  func teamWithServer() throws -> (Team, World.Persona) {
    let team = try Team()
    let server = try team.world.persona("server", email: "server@forge.example")
    try team.world.register(server, roles: ["server"], by: team.alice)
    try team.world.expectSuccess(
      team.world.applyPolicy(HistoryAsItWasTests.policy(approvals: 1), by: team.alice))
    return (team, server)
  }

  /// A server's receipt (as servers wrote them before they named the governance commit) of
  /// HEAD pushed as the new tag `tag` for `release`, forged into the branch; then the tag.
  func newTagReceipt(_ world: World, _ release: String, tag: String, by server: World.Persona)
    throws
  {
    let target = try world.git("rev-parse", "HEAD")
    let receipt = PushReceipt(
      try authorship(world, server), release: release, target: target,
      tree: try world.git("rev-parse", "HEAD^{tree}"), ref: "refs/tags/\(tag)",
      old: String(repeating: "0", count: 40), new: target, pusher: "bob")
    #expect(receipt.governance == nil)
    try forge(world, receipt, kind: "receipt", release: release, by: server)
    try world.git("tag", tag)
  }

  func authorship(_ world: World, _ persona: World.Persona) throws -> RecordAuthorship {
    RecordAuthorship(
      repo: try world.repoID(), actor: persona.id, email: persona.email,
      created: Timestamp.format(Date()))
  }

  @Test(
    "audit --at judges with the governance branch as it stood then: an approval a later policy voids still counts, a later release and a later bypass are not there yet"
  )
  func auditAtReadsTheBranchThen() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 1), by: team.alice))
    // Released where no hook runs: the tag points at an approved release.
    let shipped = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", shipped], as: team.carol))
    try world.git("tag", "v1.0.0")
    // Approved, not pushed.
    let waiting = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", waiting], as: team.carol))
    let then = moment()
    // Two approvals from now on: carol's approval of `waiting` was made for the old rule.
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 2), by: team.alice))
    try world.commit("late.txt", "late\n", by: team.bob)
    let later = try world.request("HEAD", to: "refs/tags/v2.0.0", as: team.bob)
    try world.git("tag", "v1.1.0")  // past the gate: no release at all

    let (now, current) = try audit(world)
    #expect(now.status == 1, "\(now.output)")
    #expect(lineage(current, waiting)?["state"] as? String == "requested")
    #expect(lineage(current, later) != nil)
    #expect(!bypasses(current, ref: "refs/tags/v1.1.0").isEmpty, "\(findings(current))")
    // Judged by the policy in force when it became ready: the rule it got then.
    #expect(errors(current, release: shipped).isEmpty, "\(findings(current))")
    let rule = try #require(lineage(current, shipped)?["rule"] as? [String: Any])
    #expect(rule["approvals_required"] as? Int == 1, "\(rule)")
    #expect(rule["approvals_counted"] as? Int == 1, "\(rule)")

    let (past, asItStood) = try audit(world, ["--at", then])
    #expect(past.status == 0, "\(past.output)")
    #expect(lineage(asItStood, waiting)?["state"] as? String == "approved", "\(asItStood)")
    #expect(lineage(asItStood, later) == nil)
    #expect(bypasses(asItStood, ref: "refs/tags/v1.1.0").isEmpty, "\(findings(asItStood))")
    #expect(errors(asItStood, release: shipped).isEmpty, "\(findings(asItStood))")
    // GIT_GOVERN_NOW means the same.
    let viaEnvironment = try world.govern(
      ["audit", "--format", "json"], environment: ["GIT_GOVERN_NOW": then])
    #expect(viaEnvironment.status == 0, "\(viaEnvironment.output)")

    let beforeGovernance = try world.govern(
      ["audit", "--at", Timestamp.format(Date().addingTimeInterval(-86400))])
    #expect(beforeGovernance.status == 2)
    #expect(beforeGovernance.stderr.contains("did not exist yet"), "\(beforeGovernance.output)")
  }

  @Test(
    "a receipted push's rule figures are the policy its receipt names: a later, stricter rule changes neither what was required nor what was counted"
  )
  func ruleFiguresAsPushed() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 1), by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.git("tag", "v1.0.0")
    let first = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", first, "--push"], as: team.carol))
    try world.expectSuccess(world.run(["git", "push", "-q", "origin", "v1.0.0"], in: world.work))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 2), by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.commit("two.txt", "two\n", by: team.bob)
    try world.git("tag", "v2.0.0")
    let second = try world.request("v2.0.0", to: "refs/tags/v2.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second, "--push"], as: team.carol))
    try world.expectSuccess(world.govern(["approve", second, "--push"], as: team.erin))
    try world.expectSuccess(world.run(["git", "push", "-q", "origin", "v2.0.0"], in: world.work))

    let (result, json) = try audit(world, in: server.bare)
    #expect(result.status == 0, "\(result.output)")
    let old = try #require(lineage(json, first)?["rule"] as? [String: Any])
    #expect(old["approvals_required"] as? Int == 1, "\(old)")
    #expect(old["approvals_counted"] as? Int == 1, "\(old)")
    #expect(old["approved_by"] as? [String] == ["carol"], "\(old)")
    let new = try #require(lineage(json, second)?["rule"] as? [String: Any])
    #expect(new["approvals_required"] as? Int == 2, "\(new)")
    #expect(new["approved_by"] as? [String] == ["carol", "erin"], "\(new)")
  }

  @Test(
    "a receipt older than its governance field is judged by the branch at the commit that added it: a later rule neither fails a good push nor excuses a bad one"
  )
  func oldReceiptsJudgedAtTheirCommit() throws {
    let (team, server) = try teamWithServer()
    let world = team.world
    let good = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", good], as: team.carol))
    try newTagReceipt(world, good, tag: "v1.0.0", by: server)
    try world.commit("bad.txt", "bad\n", by: team.bob)
    let bad = try world.request("HEAD", to: "refs/tags/v1.1.0", as: team.bob)
    try newTagReceipt(world, bad, tag: "v1.1.0", by: server)  // pushed unapproved
    sleep(1)
    // Later: a stricter rule, and the approvals the bad push lacked.
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 2), by: team.alice))
    try world.expectSuccess(world.govern(["approve", bad], as: team.carol))
    try world.expectSuccess(world.govern(["approve", bad], as: team.erin))

    let (_, json) = try audit(world)
    #expect(errors(json, release: good).isEmpty, "\(findings(json))")
    let rule = try #require(lineage(json, good)?["rule"] as? [String: Any])
    #expect(rule["approvals_required"] as? Int == 1, "\(rule)")
    let found = errors(json, release: bad)
    #expect(
      found.contains { $0.contains("while not ready") && $0.contains("needs 1 more approval") },
      "\(findings(json))")
  }

  @Test(
    "a receipted push of a new tag is judged by the range it had then: a tag made after it does not hide the commit its approver wrote"
  )
  func newTagJudgedByItsRangeThen() throws {
    let (team, server) = try teamWithServer()
    let world = team.world
    let first = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", first], as: team.carol))
    try newTagReceipt(world, first, tag: "v1.0.0", by: server)
    // carol writes a commit of v1.1.0 and approves it past the command; the server's receipt
    // says it was pushed.
    try world.commit("carol.txt", "by carol\n", by: team.carol)
    let second = try world.request("HEAD", to: "refs/tags/v1.1.0", as: team.bob)
    sleep(1)
    let approval = Approval(
      try authorship(world, team.carol), release: second,
      target: try world.git("rev-parse", "HEAD"), tree: try world.git("rev-parse", "HEAD^{tree}"),
      ref: "refs/tags/v1.1.0", policy: try world.git("rev-parse", "governance:policy.yml"))
    try forge(world, approval, kind: "approval", release: second, by: team.carol)
    sleep(1)
    try newTagReceipt(world, second, tag: "v1.1.0", by: server)
    // A later tag above it: today's tags would hide all of v1.1.0's range.
    try world.commit("later.txt", "later\n", by: team.bob)
    try world.git("tag", "v1.2.0")

    let (_, json) = try audit(world)
    let found = errors(json, release: second)
    // carol's approval does not count at the push (she wrote a commit of its range): judged
    // with today's tags, the range was empty and the push ready.
    #expect(
      found.contains { $0.contains("while not ready") && $0.contains("has 0") },
      "\(findings(json))")
    #expect(errors(json, release: first).isEmpty, "\(findings(json))")
  }

  @Test(
    "only the requester, a release manager or a policy-admin may end a release: the command and the server refuse others, and the audit finds one written past the hooks"
  )
  func whoMayCloseOut() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    // carol (security) is neither the requester, a release manager nor an admin.
    let refused = try world.govern(
      ["closeout", release, "--outcome", "cancelled"], as: team.carol)
    #expect(refused.status == 1, "\(refused.output)")
    #expect(refused.stderr.contains("carol may not close out"), "\(refused.output)")
    #expect(refused.stderr.contains("bob or alice or erin can"), "\(refused.output)")

    // Written by hand and pushed: the server refuses it over either transport.
    let head = try world.git("rev-parse", "HEAD")
    let closeout = Closeout(
      try authorship(world, team.carol), release: release, target: head,
      tree: try world.git("rev-parse", "HEAD^{tree}"), ref: "refs/tags/v1.0.0",
      outcome: .cancelled, artifacts: [], retainUntil: nil, legalHold: false)
    try forge(world, closeout, kind: "closeout", release: release, by: team.carol)
    for destination in [server.url, server.bare.path] {
      let pushed = try world.run(
        ["git", "push", "--no-verify", destination, "governance"], in: world.work)
      #expect(pushed.status != 0)
      #expect(
        pushed.stderr.contains("who is neither the requester (bob)"), "\(pushed.stderr)")
    }
    // Where no hook ran, it ends nothing (the release is still open) and the audit says why.
    let hookless = try hooklessServer(world)
    let (_, json) = try audit(world, in: hookless)
    #expect(
      findings(json).contains {
        $0["release"] as? String == release
          && ($0["message"] as? String ?? "").contains(
            "signed by carol, who is neither the requester (bob), a policy-admin, nor a holder of closeout_roles (release-manager)"
          )
      }, "\(findings(json))")
    #expect(lineage(json, release)?["state"] as? String != "cancelled")
  }

  @Test(
    "a cancelled release takes no approval: the server refuses one written by hand, and the audit finds one that got past the hooks"
  )
  func noApprovalAfterTheEnd() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(
      world.govern(["closeout", release, "--outcome", "cancelled", "--push"], as: team.erin))
    let refused = try world.govern(["approve", release], as: team.carol)
    #expect(refused.status == 1 && refused.stderr.contains("was cancelled by erin"))
    sleep(1)
    let head = try world.git("rev-parse", "HEAD")
    let approval = Approval(
      try authorship(world, team.carol), release: release, target: head,
      tree: try world.git("rev-parse", "HEAD^{tree}"), ref: "refs/tags/v1.0.0",
      policy: try world.governanceBlob("policy.yml"))
    try forge(world, approval, kind: "approval", release: release, by: team.carol)
    for destination in [server.url, server.bare.path] {
      let pushed = try world.run(
        ["git", "push", "--no-verify", destination, "governance"], in: world.work)
      #expect(pushed.status != 0)
      #expect(pushed.stderr.contains("which was cancelled by erin"), "\(pushed.stderr)")
    }
    let hookless = try hooklessServer(world)
    let (result, json) = try audit(world, in: hookless)
    #expect(result.status == 1)
    #expect(
      findings(json).contains {
        $0["check"] as? String == "lifecycle" && $0["release"] as? String == release
          && ($0["message"] as? String ?? "").contains(
            "is an approval by carol at") == true
          && ($0["message"] as? String ?? "").contains("after the release was cancelled by erin")
      }, "\(findings(json))")
  }

  @Test(
    "the note says how a release stands: pushed when it went out, then how its closeout ended it, beside the other release of its commit"
  )
  func noteCarriesTheLifecycle() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.git("tag", "v1.0.0")
    let head = try world.git("rev-parse", "HEAD")
    let tag = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", tag, "--push"], as: team.carol))
    try world.expectSuccess(world.run(["git", "push", "-q", "origin", "v1.0.0"], in: world.work))
    func note() throws -> String {
      try world.run(["git", "notes", "--ref", "governance", "show", head], in: server.bare).stdout
    }
    let pushed = try note()
    #expect(pushed.contains("State: pushed\n"), "\(pushed)")
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    try world.expectSuccess(
      world.govern(["closeout", tag, "--outcome", "deployed", "--push"], as: team.erin))
    let closed = try note()
    #expect(closed.contains("Release \(tag):"), "\(closed)")
    #expect(closed.contains("State: closed (deployed) by erin at "), "\(closed)")
    #expect(closed.contains("Approved-by: carol (security)"), "\(closed)")
    // The audit agrees with the note.
    let (result, json) = try audit(world, in: server.bare)
    #expect(result.status == 0, "\(result.output)")
    #expect(lineage(json, tag)?["state"] as? String == "closed")
  }
}
