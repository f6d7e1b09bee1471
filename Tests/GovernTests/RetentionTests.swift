import Foundation
import Governance
import Ledger
import Testing

@Suite("retention: reviews requested and approved by others, legal holds, and the health report")
struct RetentionTests {
  /// The on-call team plus erin (records-manager) and frank (legal); a release of HEAD approved
  /// by carol and closed out by bob with its artifact, kept for ten days.
  static func closedRelease() throws -> (OnCallTeam, World.Persona, World.Persona, String) {
    let team = try OnCallTeam(
      policy: fullPolicy() + "retention:\n  review: [records-manager]\n  hold: [legal]\n")
    let world = team.world
    let erin = try world.persona("erin")
    let frank = try world.persona("frank")
    try world.register(erin, roles: ["records-manager"], by: team.alice)
    try world.register(frank, roles: ["legal"], by: team.alice)
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let artifact = world.root.appendingPathComponent("app.tar.gz")
    try Data("the built app\n".utf8).write(to: artifact)
    try world.expectSuccess(
      world.govern(
        [
          "closeout", release, "--outcome", "deployed", "--artifact", artifact.path,
          "--retain-until", World.iso(Date().addingTimeInterval(10 * 86400)),
        ], as: team.bob))
    return (team, erin, frank, release)
  }

  static func health(_ world: World, at: Date? = nil) throws -> [String: Any] {
    let result = try world.govern(
      ["retention", "--json"] + (at.map { ["--at", World.iso($0)] } ?? []))
    try world.expectSuccess(result)
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
  }

  static func releases(_ health: [String: Any], _ key: String) -> [String] {
    (health[key] as? [[String: Any]] ?? []).compactMap { $0["release"] as? String }
  }

  @Test(
    "retention lapsing, then ended with no deletion approved, then a deletion requested by one and approved by another is due; a legal hold stops it until lifted"
  )
  func reviewAndHoldLifecycle() throws {
    let (team, erin, frank, release) = try Self.closedRelease()
    let world = team.world
    let now = try Self.health(world)
    #expect(Self.releases(now, "lapsing") == [release], "\(now)")
    let lapse = (now["lapsing"] as! [[String: Any]])[0]
    #expect((9...10).contains(lapse["days_left"] as! Int))

    let later = Date().addingTimeInterval(11 * 86400)
    let ended = try Self.health(world, at: later)
    #expect(Self.releases(ended, "expired_unreviewed") == [release])
    #expect(Self.releases(ended, "deletions_due").isEmpty)
    let text = try world.govern(["retention", "--at", World.iso(later)])
    #expect(
      text.stdout.contains("git govern retention review \(release) --delete --reason <why>"),
      "\(text.output)")

    let asked = try world.govern(
      ["retention", "review", release, "--delete", "--reason", "retention over"], as: team.bob)
    try world.expectSuccess(asked)
    #expect(asked.stdout.contains("erin can run") || asked.stdout.contains("records-manager"))
    let pending = try Self.health(world, at: later)
    let review = try #require((pending["reviews_pending"] as? [[String: Any]])?.first)
    #expect(review["requested_by"] as? String == "bob")
    #expect(review["approvers"] as? [String] == ["erin"])

    // carol holds no records-manager role; bob may not decide his own; erin may.
    let notAllowed = try world.govern(["retention", "approve", release], as: team.carol)
    #expect(notAllowed.status == 2)
    #expect(notAllowed.stderr.contains("carol holds no retention.review role (records-manager)"))
    try world.expectSuccess(world.govern(["retention", "approve", release], as: erin))
    let due = try Self.health(world, at: later)
    #expect(Self.releases(due, "deletions_due") == [release], "\(due)")
    let item = (due["deletions_due"] as! [[String: Any]])[0]
    #expect(item["approved_by"] as? String == "erin")
    #expect((item["artifacts"] as? [[String: Any]])?.first?["name"] as? String == "app.tar.gz")

    // A legal hold: only legal may set it, and while it stands nothing is due.
    let carolHold = try world.govern(
      ["retention", "hold", release, "--reason", "case 42"], as: team.carol)
    #expect(carolHold.status == 2)
    #expect(carolHold.stderr.contains("holds no retention.hold role (legal)"))
    try world.expectSuccess(
      world.govern(["retention", "hold", release, "--reason", "case 42"], as: frank))
    let held = try Self.health(world, at: later)
    #expect(Self.releases(held, "holds") == [release])
    #expect(Self.releases(held, "deletions_due").isEmpty)
    try world.expectSuccess(
      world.govern(["retention", "lift", release, "--reason", "case closed"], as: frank))
    #expect(Self.releases(try Self.health(world, at: later), "deletions_due") == [release])
  }

  @Test(
    "an approved extension moves the end of retention; nobody approves their own review; a hand-made self-approval counts for nothing and the audit finds it"
  )
  func extensionAndSelfApproval() throws {
    let (team, erin, _, release) = try Self.closedRelease()
    let world = team.world
    let until = World.iso(Date().addingTimeInterval(400 * 86400))
    try world.expectSuccess(
      world.govern(
        ["retention", "review", release, "--extend-until", until, "--reason", "audit sample"],
        as: erin))
    let own = try world.govern(["retention", "approve", release], as: erin)
    #expect(own.status == 2)
    #expect(own.stderr.contains("erin asked for this review"), "\(own.output)")
    let shorter = try world.govern(
      ["retention", "review", release, "--extend-until", "2020-01-01", "--reason", "x"],
      as: team.bob)
    #expect(shorter.status == 2)
    #expect(shorter.stderr.contains("is not later than the retention end in force"))

    // erin writes her own decision by hand and commits it with plain git.
    let folder = "retention/\(release)"
    let reviewFile = try world.git("ls-tree", "--name-only", "refs/heads/governance", folder + "/")
      .split(separator: "\n").map { ($0 as NSString).lastPathComponent }
      .first { $0.hasPrefix("review-") && $0.hasSuffix(".json") }!
    let decision = RetentionDecision(
      RecordAuthorship(
        repo: try world.repoID(), actor: "erin", email: erin.email,
        created: World.iso(Date())),
      release: release, review: reviewFile, outcome: .approved, note: nil)
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: world.recordFiles(
        decision, at: "\(folder)/decision-20261203T000000Z-erin-abcdef.json", by: erin),
      signedBy: erin, message: "approve my own review")
    let report = try world.govern(["retention", "--json"])
    try world.expectSuccess(report)
    #expect(
      report.stderr.contains("is erin's decision on their own retention review"), "\(report.output)"
    )
    let health = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
    #expect(Self.releases(health, "reviews_pending") == [release])
    let audit = try world.auditFindings()
    #expect(
      audit.findings.contains {
        ($0["message"] as? String)?.contains("decision on their own retention review") == true
      }, "\(audit.findings)")

    // carol is made a records-manager and approves: retention now runs 400 days.
    try world.register(team.carol, roles: ["records-manager"], by: team.alice)
    try world.expectSuccess(
      world.govern(["retention", "approve", release, reviewFile], as: team.carol))
    let extended = try Self.health(world, at: Date().addingTimeInterval(11 * 86400))
    #expect(Self.releases(extended, "expired_unreviewed").isEmpty, "\(extended)")
    #expect(Self.releases(extended, "lapsing").isEmpty)
  }
}
