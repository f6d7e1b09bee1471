import Foundation
import Governance
import Ledger
import Testing

/// Recertification end to end: `recertify_every` in the policy, `git govern recertify`,
/// `access-review`, the server's pre-receive on the governance branch and the release, and the
/// audit of what skipped the server.
@Suite("recertification: a role counts only while another policy-admin recertified it")
struct RecertificationTests {
  /// One approval with role security; roles lapse 90 days after their last recertification.
  static let policy = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    recertify_every: 90d
    rules:
      - name: default
        approvals: 1
        roles: {security: 1}

    """

  @Test(
    "carol's never-recertified role does not count and the server refuses the push; alice recertifies her and it goes through; access-review shows each role's state"
  )
  func recertifyingLetsTheRoleCount() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.expectSuccess(world.applyPolicy(Self.policy, by: team.alice))
    try world.commit("feature.txt", "feature\n", by: team.bob)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))

    let lapsed = try world.govern(["status", release])
    #expect(lapsed.status == 1, "\(lapsed.output)")
    #expect(
      lapsed.stdout.contains(
        "carol's role security was never recertified (recertify_every: 90d), so it does not count; a policy-admin other than carol can run: git govern recertify carol"
      ), "\(lapsed.output)")
    let refused = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(refused.status != 0, "\(refused.output)")
    #expect(refused.stderr.contains("recertification"), "\(refused.output)")

    let recertified = try world.govern(
      ["recertify", "carol", "--note", "Q4 access review", "--push"], as: team.alice)
    try world.expectSuccess(recertified)
    #expect(recertified.stdout.contains("Recertified carol (security)"), "\(recertified.output)")
    let onServer = try world.run(
      ["git", "ls-tree", "-r", "--name-only", "refs/heads/governance", "recertifications/"],
      in: server.bare)
    #expect(onServer.stdout.contains("recertifications/carol/recertification-"))

    try world.expectSuccess(world.govern(["status", release]))
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")

    let review = try world.govern(["access-review", "--json"])
    try world.expectSuccess(review)
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(review.stdout.utf8)) as? [String: Any])
    #expect(json["recertify_every"] as? String == "90d")
    let people = try #require(json["people"] as? [[String: Any]])
    func role(_ who: String, _ name: String) -> [String: Any]? {
      let person = people.first { $0["principal"] as? String == who }
      return (person?["roles"] as? [[String: Any]])?.first { $0["role"] as? String == name }
    }
    #expect(role("carol", "security")?["state"] as? String == "current", "\(review.stdout)")
    #expect(role("carol", "security")?["recertified_by"] as? String == "alice")
    #expect(role("carol", "security")?["lapses_at"] != nil)
    #expect(role("erin", "security")?["state"] as? String == "never recertified")
    #expect(role("alice", "policy-admin")?["state"] as? String == "exempt")
    let aliceKeys = people.first { $0["principal"] as? String == "alice" }?["keys"]
    #expect(
      ((aliceKeys as? [[String: Any]])?.first?["last_signed"] as? String) != nil,
      "alice signed governance commits: \(review.stdout)")
  }

  @Test(
    "recertify refuses oneself, non-admins and roles not held; the server refuses hand-made self- and non-admin recertifications"
  )
  func refusals() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["policy-admin", "security"], by: team.alice)
    try world.expectSuccess(world.applyPolicy(Self.policy, by: team.alice))
    try world.expectSuccess(
      world.run(["git", "push", "-q", "origin", "governance"], in: world.work))

    let before = try world.governanceTip()
    let cases: [([String], World.Persona, String)] = [
      (["recertify", "dave"], dave, "dave: nobody recertifies their own roles"),
      (["recertify", "carol"], team.bob, "bob is not a policy-admin"),
      (["recertify", "mallory"], team.alice, "mallory is not a registered person"),
      (
        ["recertify", "carol", "--role", "release-manager"], team.alice,
        "--role release-manager: carol does not hold it"
      ),
      (["recertify"], team.alice, "name who to recertify, or --all"),
    ]
    for (arguments, who, message) in cases {
      let result = try world.govern(arguments, as: who)
      #expect(result.status == 2, "\(arguments): \(result.output)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.output)")
    }
    #expect(try world.governanceTip() == before)

    let repo = try world.repoID()
    let gov = try world.governanceWorktree()
    func pushRecertification(
      of person: String, by signer: World.Persona, dated: Date = Date()
    ) throws -> World.Result {
      let record = Recertification(
        RecordAuthorship(
          repo: repo, actor: signer.id, email: signer.email, created: Timestamp.format(dated)),
        person: person, roles: ["security"], note: nil)
      try world.commitGovernance(
        in: gov,
        files: try world.recordFiles(
          record, at: "recertifications/\(person)/recertification-x.json", by: signer),
        signedBy: signer, message: "hand-made recertification")
      let pushed = try world.run(["git", "push", "origin", "governance"], in: world.work)
      try world.git("reset", "-q", "--hard", "HEAD~1", in: gov)
      return pushed
    }
    let ofHimself = try pushRecertification(of: "dave", by: dave)
    #expect(ofHimself.status != 0)
    #expect(
      ofHimself.stderr.contains("is dave's recertification of themself"), "\(ofHimself.output)")
    let byNonAdmin = try pushRecertification(of: "carol", by: team.erin)
    #expect(byNonAdmin.status != 0)
    #expect(
      byNonAdmin.stderr.contains("is a recertification signed by erin, who is not a policy-admin"),
      "\(byNonAdmin.output)")

    // A policy-admin's own, but dated back a day: it would cover what happened meanwhile.
    let backdated = try pushRecertification(
      of: "carol", by: team.alice, dated: Date().addingTimeInterval(-86400))
    #expect(backdated.status != 0)
    #expect(
      backdated.stderr.contains("more than 1h before the server's clock"), "\(backdated.output)")
    let onTime = try pushRecertification(of: "carol", by: team.alice)
    #expect(onTime.status == 0, "\(onTime.output)")

    // --all recertifies everyone's lapsing roles but the admin's own, in one commit.
    let all = try world.govern(["recertify", "--all"], as: dave)
    try world.expectSuccess(all)
    #expect(all.stdout.contains("carol (security)") && all.stdout.contains("erin (security"))
    #expect(all.stderr.contains("dave's own roles are left out"), "\(all.output)")
    #expect(try world.git("rev-parse", "refs/heads/governance^") == before)
  }

  @Test(
    "a release approved only by a never-recertified role, pushed where no hook ran, is a bypass in the audit; approved after a recertification, it is not"
  )
  func theAuditCatchesALapsedRole() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(world.applyPolicy(Self.policy, by: team.alice))
    try world.git("tag", "v1.0.0")
    let first = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", first], as: team.carol))
    let bare = try hooklessServer(world)
    try world.expectSuccess(
      world.run(["git", "push", "-q", "hookless", "governance", "v1.0.0"], in: world.work))

    // A hookless push is judged just after its last signature: the recertification must come
    // after that second to make no difference to it.
    Thread.sleep(forTimeInterval: 2.1)
    try world.expectSuccess(world.govern(["recertify", "carol"], as: team.alice))
    try world.commit("next.txt", "next\n", by: team.bob)
    try world.git("tag", "v1.0.1")
    let second = try world.request("v1.0.1", to: "refs/tags/v1.0.1", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "-q", "hookless", "governance", "v1.0.1"], in: world.work))

    let audit = try world.auditFindings(in: bare)
    #expect(audit.status == 1)
    func bypass(_ ref: String) -> [String: Any]? {
      audit.findings.first { $0["check"] as? String == "bypass" && $0["ref"] as? String == ref }
    }
    #expect(bypass("refs/tags/v1.0.0") != nil, "\(audit.findings)")
    #expect(bypass("refs/tags/v1.0.1") == nil, "\(audit.findings)")
  }
}
