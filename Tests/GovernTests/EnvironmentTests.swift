import Foundation
import Governance
import Ledger
import Testing

/// Environments and promotion order end to end: the server refuses a production tag until the
/// same tree reached staging (by the server's own receipt) and soaked there; the audit reports
/// a production push that skipped staging where no hook ran.
@Suite("environments: staging before production, over a real server")
struct EnvironmentTests {
  static func policy(soak: String) -> String {
    """
    version: 1
    protected: [refs/heads/main, refs/heads/staging, refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    environments:
      - name: staging
        refs: [refs/heads/staging]
      - name: production
        refs: [refs/tags/v*]
        after: staging
        soak: \(soak)

    """
  }

  @Test(
    "a production tag is refused before staging and while it soaks, then taken; status says why; the audit is clean"
  )
  func stagingThenProduction() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.expectSuccess(world.applyPolicy(Self.policy(soak: "4s"), by: team.alice))
    try world.commit("feature.txt", "feature\n", by: team.bob)
    try world.git("tag", "v1.0.0")
    let production = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", production, "--push"], as: team.carol))

    let early = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(early.status != 0)
    #expect(
      early.stderr.contains(
        "refs/tags/v1.0.0 is in environment production, which comes after staging (refs/heads/staging)"
      ), "\(early.output)")
    #expect(early.stderr.contains("has not reached staging yet"))
    let status = try world.govern(["status", production])
    #expect(status.status == 1)
    #expect(status.stdout.contains("has not reached staging yet"), "\(status.output)")

    let staging = try world.request("HEAD", to: "refs/heads/staging", as: team.bob)
    try world.expectSuccess(world.govern(["approve", staging, "--push"], as: team.carol))
    let toStaging = try world.run(
      ["git", "push", "--no-verify", "origin", "HEAD:refs/heads/staging"], in: world.work)
    #expect(toStaging.status == 0, "\(toStaging.output)")

    let soaking = try world.run(
      ["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(soaking.status != 0)
    #expect(
      soaking.stderr.contains("production needs it to soak there 4s: it may come here from"),
      "\(soaking.output)")

    try world.expectSuccess(world.govern(["sync"]))
    Thread.sleep(forTimeInterval: 4.5)
    try world.expectSuccess(world.govern(["status", production]))
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(
      try world.run(["git", "rev-parse", "refs/tags/v1.0.0"], in: server.bare).status == 0)

    let audit = try world.auditFindings(in: server.bare)
    #expect(
      !audit.findings.contains { ["bypass", "approval"].contains($0["check"] as? String) },
      "\(audit.findings)")
  }

  @Test(
    "a production tag pushed where no hook ran, never through staging, is a bypass in the audit")
  func theAuditCatchesASkippedStage() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(world.applyPolicy(Self.policy(soak: "1h"), by: team.alice))
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let bare = try hooklessServer(world)
    try world.expectSuccess(
      world.run(["git", "push", "-q", "hookless", "governance", "v1.0.0"], in: world.work))

    let audit = try world.auditFindings(in: bare)
    #expect(audit.status == 1)
    func finding(_ check: String) -> [String: Any]? {
      audit.findings.first {
        $0["check"] as? String == check && $0["ref"] as? String == "refs/tags/v1.0.0"
      }
    }
    #expect(finding("bypass") != nil, "\(audit.findings)")
    #expect(
      (finding("approval")?["message"] as? String)?.contains(
        "without a push receipt and was never ready: refs/tags/v1.0.0 is in environment production, which comes after staging"
      ) == true, "\(audit.findings)")
  }

  @Test("policy check names a cycle and an unknown environment at file:line:col")
  func policyCheckNamesThem() throws {
    let team = try Team()
    let world = team.world
    let file = world.root.appendingPathComponent("cycle.yml")
    try """
    version: 1
    protected: [refs/heads/main, refs/tags/*]
    rules:
      - {name: default, approvals: 1}
    environments:
      - {name: a, refs: [refs/heads/main], after: b}
      - {name: b, refs: [refs/tags/v*], after: a}
      - {name: c, refs: [refs/tags/c*], after: nowhere}

    """.write(to: file, atomically: true, encoding: .utf8)
    let checked = try world.govern(["policy", "check", file.path])
    #expect(checked.status == 2, "\(checked.output)")
    #expect(
      checked.stderr.contains("cycle.yml:6:47: environments form a cycle (a → b → a)"),
      "\(checked.output)")
    #expect(
      checked.stderr.contains(
        "cycle.yml:8:44: environment c comes after \"nowhere\", which is no environment"),
      "\(checked.output)")
  }
}
