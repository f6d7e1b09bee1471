import Foundation
import Testing

/// Adopting git-govern on a repository with years of history behind it.
@Suite("adopting git-govern on an existing repository")
struct AdoptionTests {
  /// A repository with history by carol and dave before governance, then alice's init
  /// (`baseline` passed on), bob and carol registered, and a new commit by bob.
  static func existingRepository(baseline: String?) throws -> (World, Team: [String: World.Persona])
  {
    let world = try World()
    let alice = try world.persona("alice")
    let bob = try world.persona("bob")
    let carol = try world.persona("carol")
    let dave = try world.persona("dave")
    try world.repository(admin: alice, commitsBy: carol, commits: 2, initGovernance: false)
    try world.commit("old-dave.txt", "before governance\n", by: dave)
    try world.commit("old-bob.txt", "before governance\n", by: bob)
    let released = try world.git("rev-parse", "HEAD")
    let initArguments = ["init"] + (baseline.map { ["--baseline", $0] } ?? [])
    let initResult = try world.govern(initArguments, as: alice)
    try world.expectSuccess(initResult)
    if baseline != nil {
      #expect(
        initResult.stdout.contains("Baseline: \(released.prefix(10))"), "\(initResult.output)")
    }
    try world.register(bob, roles: ["developer"], by: alice)
    try world.register(carol, roles: ["security"], by: alice)
    try world.commit("new.txt", "after governance\n", by: bob)
    return (world, ["alice": alice, "bob": bob, "carol": carol, "dave": dave])
  }

  @Test(
    "with init --baseline HEAD, carol, who wrote old history, approves bob's first release, the gate lets it through and the audit agrees"
  )
  func baselineKeepsOldHistoryOutOfTheRange() throws {
    let (world, people) = try Self.existingRepository(baseline: "HEAD")
    let record = try world.git("show", "refs/heads/governance:repository.json")
    #expect(record.contains("\"baseline_commit\":\"\(try world.git("rev-parse", "HEAD~1"))\""))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: people["bob"]!)
    let approved = try world.govern(["approve", release], as: people["carol"]!)
    #expect(approved.status == 0, "\(approved.output)")
    let check = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(check.status == 0, "\(check.output)")
    let status = try world.govern(["status", release, "--json"])
    #expect(status.status == 0)
    #expect(status.stdout.contains("\"status\" : \"ready\""), "\(status.stdout)")
    try world.git("tag", "v1.0.0")
    let audit = try world.govern(["audit", "--format", "json"])
    #expect(!audit.stdout.contains("carol authored"), "\(audit.output)")
    #expect(!audit.stdout.contains("\"check\" : \"approval\""), "\(audit.output)")
    // (main moved past the gate in this clone, where bob committed on it: that finding is true.)
    #expect(!audit.stdout.contains("refs/tags/v1.0.0 points at"), "\(audit.output)")
  }

  @Test(
    "the server's pre-receive measures the first tag from the baseline too: carol's approval lets it in, with a receipt"
  )
  func serverGateUsesTheBaseline() throws {
    let (world, people) = try Self.existingRepository(baseline: "HEAD")
    let server = try world.persona("server", email: "server@forge.example")
    try world.register(server, roles: ["server"], by: people["alice"]!)
    let bare = world.root.appendingPathComponent("server.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    try world.expectSuccess(
      world.govern(["hooks", "install", "--server", "--key", server.key], in: bare))
    try world.git("remote", "add", "origin", bare.path)
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: people["bob"]!)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: people["carol"]!))
    try world.git("tag", "v1.0.0")
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(
      pushed.stderr.contains("receipt for refs/tags/v1.0.0 -> \(release)"), "\(pushed.output)")
  }

  @Test(
    "without a baseline the first release brings the whole history, so carol is refused as an author"
  )
  func withoutBaselineOldAuthorsAreRefused() throws {
    let (world, people) = try Self.existingRepository(baseline: nil)
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: people["bob"]!)
    let refused = try world.govern(["approve", release], as: people["carol"]!)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("carol authored or committed"), "\(refused.output)")
  }

  @Test(
    "the baseline is a floor, not a tip: the release's range is the commits after it, authors judged there"
  )
  func commitsAfterTheBaselineStillCount() throws {
    let (world, people) = try Self.existingRepository(baseline: "HEAD")
    // carol writes a commit after governance began: now she is an author of the range.
    try world.commit("carol-new.txt", "after governance\n", by: people["carol"]!)
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: people["bob"]!)
    let refused = try world.govern(["approve", release], as: people["carol"]!)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("carol authored or committed"), "\(refused.output)")
  }

  @Test("init --baseline with a revision that is not a commit exits 2 and writes nothing")
  func badBaseline() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice, initGovernance: false)
    let result = try world.govern(["init", "--baseline", "no-such-rev"], as: alice)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("--baseline \"no-such-rev\" is not a commit"), "\(result.output)")
    #expect(
      try world.run(
        ["git", "rev-parse", "--verify", "-q", "refs/heads/governance"], in: world.work
      )
      .status != 0)
  }

  @Test(
    "hooks install --server in a repository without a governance branch says what to do; its pre-receive refuses in the same words until the branch is pushed, then judges pushes"
  )
  func serverWithoutGovernanceBranch() throws {
    let world = try World()
    let alice = try world.persona("alice")
    let server = try world.persona("server", email: "server@forge.example")
    let bare = world.root.appendingPathComponent("server.git")
    try world.expectSuccess(world.run(["git", "init", "-q", "--bare", bare.path], in: world.root))
    let install = try world.govern(
      ["hooks", "install", "--server", "--key", server.key], in: bare)
    try world.expectSuccess(install)
    #expect(
      install.stdout.contains("there is no governance branch (refs/heads/governance) here yet"))
    #expect(
      install.stdout.contains(
        "git govern init && git push origin refs/heads/governance:refs/heads/governance"))

    try world.repository(admin: alice, initGovernance: false)
    try world.git("remote", "add", "origin", bare.path)
    let refused = try world.run(["git", "push", "origin", "main"], in: world.work)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("this server has no governance branch (refs/heads/governance) yet"),
      "\(refused.output)")
    #expect(refused.stderr.contains("git govern init"))

    // The adoption steps, as printed, from alice's clone.
    try world.expectSuccess(
      world.run(
        [
          "sh", "-c",
          "git govern init && git push origin refs/heads/governance:refs/heads/governance",
        ],
        in: world.work))
    #expect(
      try world.git("rev-parse", "refs/heads/governance", in: bare)
        == (try world.git("rev-parse", "refs/heads/governance")))
    let judged = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(judged.status != 0)
    #expect(judged.stderr.contains("no release was requested"), "\(judged.output)")
    #expect(!judged.stderr.contains("no governance branch"))

    // The bare repository's HEAD is still git init's default, which the policy does not protect.
    let doctor = try world.govern(["doctor", "--json"], in: bare)
    #expect(doctor.status == 1)
    #expect(doctor.stdout.contains("which the policy does not protect"), "\(doctor.stdout)")
  }
}
