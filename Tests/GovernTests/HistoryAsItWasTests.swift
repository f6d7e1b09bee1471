import Foundation
import Governance
import Ledger
import Testing

/// Issue 15, items 1 and 2: a push is judged by the state in force when the server took it,
/// and a policy change asks for fresh approvals only where it could change the verdict.
@Suite("the audit judges history as it was")
struct HistoryAsItWasTests {
  static func policy(approvals: Int, admins: Int = 1, freeze: Bool = false) -> String {
    """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: \(approvals)
    separation_of_duties:
      requester_may_approve: false
      authors_may_approve: false
    approval_ttl: 72h
    admins:
      approvals: \(admins)
    \(freeze ? "freezes:\n  timezone: UTC\n  windows:\n    - name: far-off\n      from: 2031-01-01T00:00\n      until: 2031-01-02T00:00\n" : "")
    """
  }

  /// A server on 127.0.0.1 whose policy wants one approval; bob pushes.
  static func serverWantingOneApproval() throws -> ServerWorld {
    let server = try ServerWorld(pusher: "bob")
    let (world, team) = (server.world, server.team)
    try world.expectSuccess(world.applyPolicy(policy(approvals: 1), by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    return server
  }

  /// `approver` approves `release` and `tag` (at HEAD) is pushed: the server judges the push and
  /// receipts it, and the receipt is fetched.
  static func approveAndPush(
    _ release: String, tag: String, by approver: World.Persona, server: ServerWorld
  ) throws {
    let (world, team) = (server.world, server.team)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: approver))
    try world.git("tag", tag)
    try world.expectSuccess(world.run(["git", "push", "-q", "origin", tag], in: world.work))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
  }

  func errors(_ findings: [[String: Any]], release: String) -> [String] {
    findings.filter {
      $0["release"] as? String == release && ($0["severity"] as? String ?? "error") == "error"
    }.compactMap { $0["message"] as? String }
  }

  @Test(
    "a push judged good stays good after the policy is tightened and an incident opens; one pushed after is judged by the new rules"
  )
  func laterChangesDoNotRewritePastPushes() throws {
    let server = try Self.serverWantingOneApproval()
    let world = server.world
    let team = server.team
    let first = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try Self.approveAndPush(first, tag: "v1.0.0", by: team.carol, server: server)
    #expect(errors(try world.auditFindings().findings, release: first).isEmpty)

    // Two approvals from now on, and an incident open: the v1.0.0 push was judged before both.
    try world.expectSuccess(world.applyPolicy(Self.policy(approvals: 2), by: team.alice))
    try world.expectSuccess(
      world.govern(["incident", "open", "INC-7", "--title", "db down", "--push"], as: team.alice))
    let audit = try world.auditFindings()
    #expect(errors(audit.findings, release: first).isEmpty, "\(audit.findings)")
    #expect(
      !audit.findings.contains { $0["check"] as? String == "bypass" }, "\(audit.findings)")

    // A release pushed now is judged by the new rules: held off by the incident, and then
    // needing two approvals.
    try world.commit("fix.txt", "fix\n", by: team.bob)
    let second = try world.request("HEAD", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second, "--push"], as: team.carol))
    try world.git("tag", "v1.1.0")
    let refused = try world.run(["git", "push", "origin", "v1.1.0"], in: world.work)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("incident INC-7"), "\(refused.stderr)")
    #expect(refused.stderr.contains("needs 1 more approval"), "\(refused.stderr)")
  }

  @Test(
    "a receipted push's authors are who the people.yml it was judged under says: an alias mapped to the approver later does not make the approval a self-approval"
  )
  func receiptedPushAuthorsAsTheyWere() throws {
    let server = try Self.serverWantingOneApproval()
    let world = server.world
    let team = server.team
    // Written under an address nobody has registered yet, on a branch of its own (main stays
    // where it was released): at the push, carol is no author of it.
    try world.git("checkout", "-q", "-b", "topic")
    try world.commit(
      "aliased.txt", "by carol's old address\n", by: team.carol, email: "carol.old@corp.example")
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try Self.approveAndPush(release, tag: "v1.0.0", by: team.carol, server: server)
    #expect(errors(try world.auditFindings().findings, release: release).isEmpty)

    // people.yml maps the old address to carol: from now on the commit is hers.
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "carol", "--mailmap",
          "Carol <\(team.carol.email)> <carol.old@corp.example>", "--push",
        ], as: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.commit("more.txt", "more\n", by: team.carol, email: "carol.old@corp.example")
    let next = try world.request("HEAD", to: "refs/tags/v1.0.1", as: team.bob)
    let refused = try world.govern(["approve", next], as: team.carol)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("carol authored or committed"), "\(refused.stderr)")
    // The push that went out before is judged by the people it was judged under.
    let audit = try world.auditFindings()
    #expect(errors(audit.findings, release: release).isEmpty, "\(audit.findings)")
    #expect(!audit.findings.contains { $0["check"] as? String == "bypass" }, "\(audit.findings)")
  }

  @Test(
    "without receipts, a release is judged with the incidents open when it became ready: one opened later changes nothing, one open then is found"
  )
  func unreceiptedReleasesAndIncidents() throws {
    let team = try Team()
    let world = team.world
    let early = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", early], as: team.carol))
    try world.git("tag", "v1.0.0")
    sleep(1)
    try world.expectSuccess(
      world.govern(["incident", "open", "INC-9", "--title", "queue stuck"], as: team.alice))
    let audit = try world.auditFindings()
    #expect(errors(audit.findings, release: early).isEmpty, "\(audit.findings)")
    #expect(!audit.findings.contains { $0["check"] as? String == "bypass" }, "\(audit.findings)")

    // Released while INC-9 was open, with no hook to stop it: found.
    sleep(1)
    try world.commit("more.txt", "more\n", by: team.bob)
    let late = try world.request("HEAD", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", late], as: team.carol))
    try world.git("tag", "v1.1.0")
    let after = try world.auditFindings()
    #expect(
      after.findings.contains {
        ($0["ref"] as? String) == "refs/tags/v1.1.0"
          && (($0["message"] as? String)?.contains("INC-9") ?? false
            || $0["check"] as? String == "bypass")
      }, "\(after.findings)")
    #expect(errors(after.findings, release: early).isEmpty)
  }

  @Test("status --at reads the governance branch as it stood then, not only the clock")
  func statusAtReadsThePast() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(world.applyPolicy(Self.policy(approvals: 1), by: team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    sleep(1)
    let then = Timestamp.format(Date())
    sleep(1)
    try world.expectSuccess(world.applyPolicy(Self.policy(approvals: 2), by: team.alice))
    #expect(try world.govern(["status", release]).status == 1)
    let past = try world.govern(["status", release, "--at", then])
    #expect(past.status == 0, "\(past.output)")
    let before = Timestamp.format(Date().addingTimeInterval(-86400))
    let tooEarly = try world.govern(["status", release, "--at", before])
    #expect(tooEarly.status == 2)
    #expect(tooEarly.stderr.contains("did not exist yet"), "\(tooEarly.output)")
  }

  @Test(
    "an approval made before an unrelated policy change still counts, and status says why; one before a change of its rule does not"
  )
  func approvalsInFlight() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(world.applyPolicy(Self.policy(approvals: 1), by: team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))

    // A freeze window years away and a new admin threshold: nothing that judges this release.
    try world.expectSuccess(
      world.applyPolicy(Self.policy(approvals: 1, admins: 1, freeze: true), by: team.alice))
    let unrelated = try world.govern(["status", release])
    #expect(unrelated.status == 0, "\(unrelated.stdout)")
    #expect(unrelated.stdout.contains("carol approved under an earlier policy"))
    #expect(unrelated.stdout.contains("it still counts"))

    // Its rule now wants two approvals: carol's approval was made for the old rule.
    try world.expectSuccess(
      world.applyPolicy(Self.policy(approvals: 2, admins: 1, freeze: true), by: team.alice))
    let related = try world.govern(["status", release])
    #expect(related.status == 1)
    #expect(
      related.stdout.contains(
        "the rule that applies (\"default\": 1 approval → \"default\": 2 approvals)"),
      "\(related.stdout)")
    #expect(related.stdout.contains("so carol must approve again"))
  }
}
