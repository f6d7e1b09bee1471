import Foundation
import Governance
import Ledger
import Testing

/// Issue 15's "done means": one history through a real server with both hooks over git
/// daemon (policy changes, role changes, an incident opened and closed, a revocation, releases
/// pushed before and after each), audited at several `--at` times.
@Suite("issue 15 done: a history audited as it stood at each time")
struct HistoryScenarioTests {
  let checks = AsItStoodTests()

  func status(_ world: World, _ release: String) throws -> (World.Result, [String: Any]) {
    let result = try world.govern(["status", release, "--json"])
    let json =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    return (result, json)
  }

  func push(_ world: World, _ refs: String...) throws -> World.Result {
    try world.run(["git", "push", "origin"] + refs, in: world.work)
  }

  /// The audit's error findings (warnings left out).
  func errorFindings(_ json: [String: Any]) -> [[String: Any]] {
    checks.findings(json).filter { ($0["severity"] as? String ?? "error") == "error" }
  }

  @Test(
    "policy changes, role changes, an incident, a revocation and a cancellation: every bullet of what must hold, at every time"
  )
  func historyAsItWas() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["security"], by: team.alice)
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 1), by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))

    // One commit released to main and tagged v1.0.0, both approved by dave.
    try world.commit("one.txt", "one\n", by: team.bob)
    let first = try world.git("rev-parse", "HEAD")
    let main1 = try world.request(
      "HEAD", to: "refs/heads/main", as: team.bob, extra: ["--change", "CHG-1"])
    let tag1 = try world.request(
      "HEAD", to: "refs/tags/v1.0.0", as: team.bob, extra: ["--change", "CHG-1"])
    for release in [main1, tag1] {
      try world.expectSuccess(world.govern(["approve", release, "--push"], as: dave))
    }
    try world.git("tag", "v1.0.0")
    try world.expectSuccess(push(world, "main", "v1.0.0"))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    let afterFirst = checks.moment()

    // dave's key is revoked; carol approves v1.1.0; an unrelated policy change (a freeze years
    // away) comes in, then carol becomes a release manager; v1.1.0 goes out.
    try world.expectSuccess(
      world.govern(["identity", "revoke", "dave", "--reason", "left", "--push"], as: team.alice))
    try world.commit("two.txt", "two\n", by: team.bob)
    try world.git("tag", "v1.1.0")
    let tag2 = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", tag2, "--push"], as: team.carol))
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 1, freeze: true), by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.expectSuccess(
      world.govern(["identity", "add", "carol", "--role", "release-manager"], as: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    let inFlight = try world.govern(["status", tag2])
    try world.expectSuccess(push(world, "v1.1.0"))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    let afterSecond = checks.moment()

    // Two approvals from now on, and an incident: v1.2.0 waits for its end.
    try world.expectSuccess(
      world.applyPolicy(HistoryAsItWasTests.policy(approvals: 2, freeze: true), by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.expectSuccess(
      world.govern(["incident", "open", "INC-1", "--title", "db down", "--push"], as: team.alice))
    try world.commit("three.txt", "three\n", by: team.bob)
    try world.git("tag", "v1.2.0")
    let tag3 = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    for approver in [team.carol, team.erin] {
      try world.expectSuccess(world.govern(["approve", tag3, "--push"], as: approver))
    }
    let duringIncident = try push(world, "v1.2.0")
    let inIncident = checks.moment()
    try world.expectSuccess(
      world.govern(["incident", "close", "INC-1", "--push"], as: team.alice))
    try world.expectSuccess(push(world, "v1.2.0"))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))

    // A release cancelled by carol, a release manager now; v1.0.0 closed out as deployed.
    try world.git("tag", "v1.3.0")
    let tag4 = try world.request("v1.3.0", to: "refs/tags/v1.3.0", as: team.bob)
    for approver in [team.carol, team.erin] {
      try world.expectSuccess(world.govern(["approve", tag4, "--push"], as: approver))
    }
    try world.expectSuccess(
      world.govern(["closeout", tag4, "--outcome", "cancelled", "--push"], as: team.carol))
    let cancelledPush = try push(world, "v1.3.0")
    try world.expectSuccess(
      world.govern(["closeout", tag1, "--outcome", "deployed", "--push"], as: team.erin))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    let beforeBypass = checks.moment()

    // Last, a tag written on the server itself, where no hook runs.
    try world.commit("four.txt", "four\n", by: team.bob)
    let fourth = try world.git("rev-parse", "HEAD")
    try world.expectSuccess(push(world, "HEAD:refs/heads/feature"))
    try world.expectSuccess(
      world.run(["git", "update-ref", "refs/tags/v9.9.9", fourth], in: server.bare))

    var audits: [String: [String: Any]] = [:]
    var exits: [String: Int32] = [:]
    for (name, at) in [
      ("afterFirst", afterFirst), ("afterSecond", afterSecond), ("inIncident", inIncident),
      ("beforeBypass", beforeBypass), ("now", ""),
    ] {
      let (result, json) = try audit(
        world, in: server.bare, at.isEmpty ? [] : ["--at", at])
      audits[name] = json
      exits[name] = result.status
    }
    let now = try #require(audits["now"])

    // 1. Judged as it was: no later change (two approvals, the incident, dave's revocation,
    // carol's new role) turns a past good push into a finding at any time, and the one push
    // past the gate is found now, and not as of before it was made.
    for name in ["afterFirst", "afterSecond", "inIncident", "beforeBypass"] {
      #expect(exits[name] == 0, "\(name): \(errorFindings(audits[name] ?? [:]))")
    }
    let nowErrors = errorFindings(now)
    #expect(
      nowErrors.count == 1 && nowErrors.first?["check"] as? String == "bypass"
        && nowErrors.first?["ref"] as? String == "refs/tags/v9.9.9", "\(nowErrors)")
    #expect(exits["now"] == 1)

    // 2. Approvals in flight: carol's approval survived the unrelated change (status said so
    // and the server let v1.1.0 through), and what was pushed stays pushed after the stricter rule.
    #expect(inFlight.status == 0, "\(inFlight.output)")
    #expect(inFlight.stdout.contains("it still counts"), "\(inFlight.stdout)")
    let (_, pushedSecond) = try status(world, tag2)
    #expect(pushedSecond["state"] as? String == "pushed", "\(pushedSecond)")

    // 3. The lifecycle is explicit and final: the incident held v1.2.0 off, the cancelled
    // release's push was refused and it takes no approval, the closed one says closed.
    #expect(duringIncident.status != 0 && duringIncident.stderr.contains("incident INC-1"))
    #expect(cancelledPush.status != 0 && cancelledPush.stderr.contains("was cancelled by carol"))
    #expect(try status(world, tag4).1["state"] as? String == "cancelled")
    #expect(try status(world, tag1).1["state"] as? String == "closed")
    #expect(try status(world, tag3).1["state"] as? String == "pushed")
    #expect(try world.govern(["approve", tag4], as: team.erin).status == 1)
    #expect(lineage(now, tag4)?["state"] as? String == "cancelled")
    #expect(
      lineage(try #require(audits["afterFirst"]), tag1)?["state"] as? String == "pushed")

    // 4. Both releases of the first commit are in its one note, approvals and states marked.
    let note = try world.run(
      ["git", "notes", "--ref", "governance", "show", first], in: server.bare
    ).stdout
    #expect(note.contains("Release \(main1):") && note.contains("Release \(tag1):"), "\(note)")
    #expect(note.contains("Approved-by: dave (security)"), "\(note)")
    #expect(note.contains("State: closed (deployed) by erin"), "\(note)")
    #expect(note.contains("State: pushed"), "\(note)")

    // 5. Stock tools agree: dave's revoked key is exported with a valid-before.
    let exported = try world.govern(["identity", "export", "--allowed-signers"])
    let daveLine = exported.stdout.split(separator: "\n").first { $0.hasPrefix("dave@") } ?? ""
    #expect(daveLine.contains("valid-before="), "\(exported.stdout)")

    // 6. The record answers an auditor: the change id, the rule as judged when it went out
    // (one approval, before the rule wanted two), and roles at signing (carol's before she
    // was a release manager), with no remediation for releases that shipped properly.
    let first1 = try #require(lineage(now, tag1))
    #expect(first1["change"] as? String == "CHG-1")
    let rule = try #require(first1["rule"] as? [String: Any])
    #expect(rule["approvals_required"] as? Int == 1 && rule["approved_by"] as? [String] == ["dave"])
    let third = try #require(lineage(now, tag3)?["rule"] as? [String: Any])
    #expect(third["approvals_required"] as? Int == 2, "\(third)")
    let approval = (lineage(now, tag2)?["steps"] as? [[String: Any]] ?? []).first {
      $0["kind"] as? String == "approval"
    }
    #expect(approval?["roles"] as? [String] == ["security"], "\(String(describing: approval))")
    for release in [main1, tag1, tag2, tag3] {
      #expect(lineage(now, release)?["remediation"] == nil, "\(release)")
    }
  }
}
