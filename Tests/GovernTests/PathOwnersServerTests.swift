import Foundation
import Testing

/// Path owners over a real server with both hooks (git daemon and the file transport), and
/// the audit of a release pushed past missing hooks without its owners' approvals.
@Suite("path owners: a change to payments/ needs two payments owners, over a real server")
struct PathOwnersServerTests {
  static let policy = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    owners:
      payments/**: {team: payments, approvals: 2}
      docs/**: {role: release-manager}

    """

  /// frank, gina and henry join team payments under the owners policy; bob adds docs/guide.md.
  static func paymentsTeam(_ world: World, team: Team) throws -> [String: World.Persona] {
    var payments: [String: World.Persona] = [:]
    for id in ["frank", "gina", "henry"] {
      let persona = try world.persona(id)
      try world.register(persona, roles: ["developer"], by: team.alice, team: "payments")
      payments[id] = persona
    }
    try world.expectSuccess(world.applyPolicy(policy, by: team.alice))
    for directory in ["payments", "docs"] {
      try FileManager.default.createDirectory(
        at: world.work.appendingPathComponent(directory), withIntermediateDirectories: true)
    }
    try world.commit("docs/guide.md", "guide\n", by: team.bob)
    return payments
  }

  @Test(
    "a push touching payments/ is refused until two payments owners approve; the author does not count; status says who can"
  )
  func ownersGateThePush() throws {
    let server = try ServerWorld(pusher: "erin")
    let world = server.world
    let team = server.team
    let payments = try Self.paymentsTeam(world, team: team)
    // docs/guide.md reaches the server first, approved by docs/'s owner (erin, release-manager).
    let docs = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", docs, "--push"], as: team.erin))
    try world.expectSuccess(
      world.run(["git", "push", "-q", "--no-verify", "origin", "main"], in: world.work))

    // frank changes payments/ and moves the guide out of docs/.
    try world.commit("payments/pay.swift", "pay()\n", by: payments["frank"]!)
    try world.git("mv", "docs/guide.md", "guide.md")
    try world.expectSuccess(
      world.run(
        [
          "git", "-c", "user.name=frank", "-c", "user.email=frank@example.com", "commit", "-q",
          "-m", "move",
        ],
        in: world.work))
    try world.git("fetch", "-q", "origin")
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))

    let refused = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        "owners of payments/** (team payments) must approve: 1 changed path (payments/pay.swift) needs 2 more owner approvals: "
          + "gina or henry can run `git govern approve \(release)`"), "\(refused.output)")
    // The rename counts as both paths: docs/guide.md left docs/, so docs/'s owners must approve.
    #expect(
      refused.stderr.contains(
        "owners of docs/** (role release-manager) must approve: 1 changed path (docs/guide.md)"),
      "\(refused.output)")

    // frank wrote the change: he may not approve it, and nobody offers him.
    let frank = try world.govern(["approve", release], as: payments["frank"]!)
    #expect(frank.status != 0)
    #expect(frank.stderr.contains("frank authored or committed"), "\(frank.output)")
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(
      status.stdout.contains(
        "owners of payments/** (team payments) must approve: 1 changed path (payments/pay.swift) needs 2 more owner approvals: "
          + "gina or henry can run `git govern approve \(release)`"), "\(status.output)")
    #expect(status.stdout.contains("erin can run `git govern approve \(release)`"))

    try world.expectSuccess(world.govern(["approve", release, "--push"], as: payments["gina"]!))
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.erin))
    let overFile = try world.run(
      ["git", "push", "--no-verify", server.bare.path, "main"], in: world.work)
    #expect(overFile.status != 0)
    #expect(
      overFile.stderr.contains(
        "needs 1 more owner approval; counted so far: gina: henry can run `git govern approve \(release)`"
      ),
      "\(overFile.output)")
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: payments["henry"]!))
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
  }

  @Test(
    "a change to payments/ pushed where no hook ran without two owners' approvals is a bypass in the audit; with them it is not"
  )
  func auditFindsMissingOwners() throws {
    for owned in [false, true] {
      let team = try Team()
      let world = team.world
      let payments = try Self.paymentsTeam(world, team: team)
      try world.commit("payments/pay.swift", "pay()\n", by: payments["frank"]!)
      try world.git("tag", "v1.0.0")
      let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
      try world.expectSuccess(world.govern(["approve", release], as: team.carol))
      try world.expectSuccess(world.govern(["approve", release], as: team.erin))
      if owned {
        try world.expectSuccess(world.govern(["approve", release], as: payments["gina"]!))
        try world.expectSuccess(world.govern(["approve", release], as: payments["henry"]!))
      }
      let bare = try hooklessServer(world)
      try world.expectSuccess(
        world.run(["git", "push", "-q", "hookless", "governance", "v1.0.0"], in: world.work))
      let audit = try world.auditFindings(in: bare)
      let bypass = audit.findings.contains {
        $0["check"] as? String == "bypass" && ($0["ref"] as? String) == "refs/tags/v1.0.0"
      }
      #expect(bypass == !owned, "owned: \(owned) \(audit.findings)")
      if !owned { #expect(audit.status == 1) }
    }
  }

  @Test(
    "policy check lints owners: a pattern nothing matches, a role nobody holds, a team without members"
  )
  func policyCheckLintsOwners() throws {
    let team = try Team()
    let world = team.world
    let file = world.root.appendingPathComponent("owners.yml")
    try Data(
      """
      version: 1
      protected: [refs/heads/main]
      rules:
        - name: default
          approvals: 1
      owners:
        nowhere/**: {role: security}
        "*": {role: dba}
        default: {team: billing}

      """.utf8
    ).write(to: file)
    let result = try world.govern(["policy", "check", file.path])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "\(file.path):7:3: warning: owner pattern nowhere/** matches no file of the tree checked"),
      "\(result.output)")
    #expect(
      result.stderr.contains(
        "\(file.path):8:3: warning: owners.* names role dba, which nobody registered holds"))
    #expect(
      result.stderr.contains(
        "\(file.path):9:3: warning: owners.default names team billing, which has no members in people.yml"
      ))
    #expect(
      result.stderr.contains("\(file.path):9:3: owners.default needs 1 owner approval but only 0"))

    try Data("version: 1\nprotected: [refs/heads/main]\nowners:\n  x/**: {people: [Bob]}\n".utf8)
      .write(to: file)
    let bad = try world.govern(["policy", "check", file.path])
    #expect(bad.status == 2)
    #expect(
      bad.stderr.contains("\(file.path):4:18: owners.x/**.people: \"Bob\" is not a principal"),
      "\(bad.output)")
  }
}
