import Foundation
import Ledger
import Testing

/// alice administers, bob develops (and authors the commits), carol and erin approve.
struct Team {
  let world: World
  let alice: World.Persona
  let bob: World.Persona
  let carol: World.Persona
  let erin: World.Persona

  init() throws {
    world = try World()
    alice = try world.persona("alice")
    bob = try world.persona("bob")
    carol = try world.persona("carol")
    erin = try world.persona("erin")
    try world.repository(admin: alice, commitsBy: bob)
    try world.register(bob, roles: ["developer"], by: alice)
    try world.register(carol, roles: ["security"], by: alice)
    try world.register(erin, roles: ["security", "release-manager"], by: alice)
  }
}

@Suite("request, approve, reject and status")
struct ReleaseFlowTests {
  @Test(
    "request prints only the release id, and records a signed request bound to commit, tree and ref"
  )
  func requestRecordsRelease() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request(
      "HEAD", to: "refs/tags/v1.0.0", as: team.bob,
      extra: ["--title", "First", "--change", "CHG-1"])
    #expect(release.hasPrefix("r-") && !release.contains("\n"))
    let record = try world.git(
      "show", "refs/heads/governance:\(LedgerPaths.releaseDirectory(release))/request.json")
    let head = try world.git("rev-parse", "HEAD")
    let tree = try world.git("rev-parse", "HEAD^{tree}")
    let root = try world.git("rev-list", "--max-parents=0", "refs/heads/governance")
    for field in [
      "\"target\":\"\(head)\"", "\"tree\":\"\(tree)\"", "\"ref\":\"refs/tags/v1.0.0\"",
      "\"repo\":\"\(root)\"",
      "\"actor\":\"bob\"", "\"kind\":\"request\"", "\"change\":\"CHG-1\"",
    ] {
      #expect(record.contains(field), "request.json lacks \(field)")
    }
  }

  @Test(
    "status is blocked until an eligible person approves, then ready; the JSON has the contract's shape"
  )
  func statusFollowsApprovals() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)

    let blocked = try world.govern(["status", release, "--json"])
    #expect(blocked.status == 1)
    let json = try JSONSerialization.jsonObject(with: Data(blocked.stdout.utf8)) as! [String: Any]
    #expect(json["status"] as? String == "blocked")
    #expect(json["release"] as? String == release)
    #expect(json["ref"] as? String == "refs/tags/v1.0.0")
    #expect(json["target"] as? String == (try world.git("rev-parse", "HEAD")))
    #expect(json["blocker_count"] as? Int == 1)
    #expect(json["warning_count"] as? Int == 0)
    let checks = json["checks"] as! [[String: Any]]
    let approvals = try #require(checks.first { $0["status"] as? String == "blocker" })
    #expect(approvals["name"] as? String == "approvals")
    let message = approvals["message"] as! String
    #expect(message.contains("git govern approve \(release)"))
    #expect(message.contains("carol") && message.contains("erin") && !message.contains("bob"))

    try world.expectSuccess(
      world.govern(["approve", release, "--comment", "looks good"], as: team.carol))
    let ready = try world.govern(["status", release, "--json"])
    #expect(ready.status == 0)
    let readyJSON =
      try JSONSerialization.jsonObject(with: Data(ready.stdout.utf8)) as! [String: Any]
    #expect(readyJSON["status"] as? String == "ready")

    // The same release found from the revision.
    let byRevision = try world.govern(["status", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(byRevision.status == 0)
    #expect(byRevision.stdout.contains(release))
  }

  @Test(
    "a high-risk release needs two distinct people, one of them security; one person counts once")
  func highRiskNeedsRoles() throws {
    let team = try Team()
    let world = team.world
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["developer"], by: team.alice)
    let release = try world.request(
      "HEAD", to: "refs/tags/v2.0.0", as: team.bob, extra: ["--risk", "high"])
    try world.expectSuccess(world.govern(["approve", release], as: dave))
    let second = try world.govern(["approve", release], as: dave)
    #expect(second.status == 0, "a second approval by the same person is recorded but counts once")
    let afterDave = try world.govern(["status", release])
    #expect(afterDave.status == 1)
    #expect(afterDave.stdout.contains("needs 1 more approval"))
    #expect(
      afterDave.stdout.contains(
        "with role security: carol or erin can run `git govern approve \(release)`"))
    try world.expectSuccess(world.govern(["approve", release], as: team.erin))
    #expect(try world.govern(["status", release]).status == 0)
  }

  @Test("a rejection blocks the release and says who and why")
  func rejectionBlocks() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.expectSuccess(
      world.govern(["reject", release, "--reason", "breaks the ledger export"], as: team.erin))
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(status.stdout.contains("erin rejected this release: \"breaks the ledger export\""))
    let noReason = try world.govern(["reject", release, "--reason", " "], as: team.erin)
    #expect(noReason.status == 2)
  }

  @Test("status of an unknown release or revision is a clear input error")
  func unknownSubject() throws {
    let team = try Team()
    let result = try team.world.govern(["status", "r-doesnotexist"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("r-doesnotexist"))
    let badRef = try team.world.govern(["request", "HEAD", "--to", "v9"], as: team.bob)
    #expect(badRef.status == 2)
    #expect(badRef.stderr.contains("refs/heads/v9 or refs/tags/v9"))
    let badType = try team.world.govern(
      ["request", "HEAD", "--to", "refs/tags/v9", "--type", "urgent"], as: team.bob)
    #expect(badType.status == 2)
    #expect(badType.stderr.contains("--type"))
  }
}
