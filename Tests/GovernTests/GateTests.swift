import Foundation
import Testing

@Suite("the gate: check <rev> --to <ref> and the pre-push hook")
struct GateTests {
  @Test("an unprotected ref passes at once, with no release")
  func unprotectedPasses() throws {
    let team = try Team()
    let result = try team.world.govern(["check", "HEAD", "--to", "refs/heads/feature/x"])
    #expect(result.status == 0, "\(result.output)")
  }

  @Test("a protected ref is blocked without a release, with the command that fixes it")
  func protectedBlocksWithoutRelease() throws {
    let team = try Team()
    let world = team.world
    let head = try world.git("rev-parse", "HEAD")
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("git govern request \(head.prefix(10)) --to refs/tags/v1.0.0"))
  }

  @Test("an approved commit passes; a new commit on top is not covered by the old approval")
  func approvalCoversExactCommit() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    #expect(try world.govern(["check", "HEAD", "--to", "refs/heads/main"]).status == 0)

    try world.commit("late.txt", "one more thing\n", by: team.bob)
    let result = try world.govern(["check", "HEAD", "--to", "refs/heads/main", "--json"])
    #expect(result.status == 1)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    #expect(json["status"] as? String == "blocked")
    let update = (json["updates"] as! [[String: Any]])[0]
    #expect((update["reasons"] as! [String]).contains { $0.contains("no release was requested") })
  }

  @Test("approval_ttl: the same approval stops counting once it is older than the policy allows")
  func approvalExpires() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(73 * 3600))
    let expired = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0", "--at", later])
    #expect(expired.status == 1)
    #expect(
      expired.stdout.contains("expired after 3d")
        || expired.stdout.contains("needs 1 more approval"))
    let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(60 * 3600))
    let warned = try world.govern(
      ["status", release, "--json"], environment: ["GIT_GOVERN_NOW": soon])
    #expect(warned.status == 0)
    #expect(warned.stdout.contains("ready_with_warnings"))
    let badTime = try world.govern([
      "check", "HEAD", "--to", "refs/tags/v1.0.0", "--at", "tomorrow",
    ])
    #expect(badTime.status == 2)
    #expect(badTime.stderr.contains("--at"))
  }

  @Test(
    "git push of an unapproved tag is refused by the pre-push hook; once approved it goes through")
  func prePushHookWithRealPush() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(
      world.run(["git", "init", "-q", "--bare", "server.git"], in: world.root))
    try world.git("remote", "add", "origin", world.root.appendingPathComponent("server.git").path)
    try world.git("tag", "v1.0.0")

    let refused = try world.run(["git", "push", "origin", "v1.0.0"], in: world.work)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("refs/tags/v1.0.0 is protected"))
    #expect(refused.stderr.contains("git govern request"))

    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    let stillRefused = try world.run(["git", "push", "origin", "v1.0.0"], in: world.work)
    #expect(stillRefused.status != 0)
    #expect(stillRefused.stderr.contains("git govern approve \(release)"))

    try world.expectSuccess(world.govern(["approve", release], as: team.erin))
    let pushed = try world.run(["git", "push", "origin", "v1.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(pushed.stderr.contains("allowed by release \(release)"))
    let serverTags = try world.run(
      ["git", "--git-dir", "server.git", "tag", "--list"], in: world.root)
    #expect(serverTags.stdout.contains("v1.0.0"))

    // Unprotected refs go through without any release.
    try world.git("checkout", "-q", "-b", "feature/x")
    try world.commit("feature.txt", "wip\n", by: team.bob)
    #expect(try world.run(["git", "push", "origin", "feature/x"], in: world.work).status == 0)
  }

  @Test("the pre-push hook reads git's standard input; garbled input is refused as an input error")
  func prePushInputParsing() throws {
    let team = try Team()
    let world = team.world
    let head = try world.git("rev-parse", "HEAD")
    let zero = String(repeating: "0", count: 40)
    let blocked = try world.govern(
      ["check", "--hook", "pre-push", "origin", "/srv/x.git"],
      stdin: "refs/tags/v1 \(head) refs/tags/v1 \(zero)\n")
    #expect(blocked.status == 1)
    #expect(blocked.stderr.contains("refs/tags/v1 is protected"))
    let garbled = try world.govern(
      ["check", "--hook", "pre-push", "origin", "/srv/x.git"], stdin: "this is not a push\n")
    #expect(garbled.status == 2)
    #expect(garbled.stderr.contains("the pre-push input:1: is not"))
    let deletion = try world.govern(
      ["check", "--hook", "pre-push", "origin", "/srv/x.git"],
      stdin: "(delete) \(zero) refs/heads/main \(head)\n")
    #expect(deletion.status == 1)
    #expect(deletion.stderr.contains("deleting it is not allowed"))
  }

  @Test(
    "without a governance branch a protected ref is blocked (fail closed), an unprotected one too")
  func missingGovernanceBranchFailsClosed() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice, initGovernance: false)
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("git govern init"))
  }
}
