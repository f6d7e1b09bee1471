import Foundation
import Governance
import Ledger
import Testing

/// Nudges: `git govern pending` (approval SLAs, closeouts due) and the server's governance
/// events to `govern.eventCommand`, delivered over HTTP to a listener on 127.0.0.1.
@Suite("nudges: pending work and governance events, over a real server")
struct NudgesTests {
  static let policy = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 1
        approval_sla: 1h
    closeout_within: 24h

    """

  static func pending(_ world: World, as who: World.Persona? = nil, _ extra: [String] = [])
    throws -> [[String: Any]]
  {
    let result = try world.govern(["pending", "--json"] + extra, as: who)
    try world.expectSuccess(result)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return json?["pending"] as? [[String: Any]] ?? []
  }

  @Test(
    "pending lists a release waiting for approval (overdue past its SLA) and a pushed one to close out, each with who can settle it; --mine keeps the caller's"
  )
  func pendingWork() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.expectSuccess(world.applyPolicy(Self.policy, by: team.alice))
    try world.commit("feature.txt", "one\n", by: team.bob)
    try world.git("tag", "v1.0.0")
    let shipped = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", shipped, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "-q", "--no-verify", "origin", "v1.0.0"], in: world.work))
    try world.expectSuccess(world.govern(["sync"]))
    try world.commit("feature.txt", "two\n", by: team.bob)
    let waiting = try world.request("HEAD", to: "refs/heads/main", as: team.bob)

    let items = try Self.pending(world)
    let approval = try #require(items.first { $0["release"] as? String == waiting }, "\(items)")
    #expect(approval["kind"] as? String == "approval")
    #expect(approval["overdue"] as? Bool == false)
    #expect(approval["command"] as? String == "git govern approve \(waiting)")
    let who = approval["who"] as? [String] ?? []
    #expect(who.contains("carol") && who.contains("erin") && !who.contains("bob"), "\(who)")
    let closeout = try #require(items.first { $0["release"] as? String == shipped }, "\(items)")
    #expect(closeout["kind"] as? String == "closeout")
    #expect(
      (closeout["command"] as? String)?.hasPrefix("git govern closeout \(shipped) --outcome")
        == true)
    #expect((closeout["who"] as? [String])?.contains("bob") == true)

    let later = Timestamp.format(Date().addingTimeInterval(2 * 3600))
    let overdue = try Self.pending(world, ["--at", later])
    #expect(
      overdue.first { $0["release"] as? String == waiting }?["overdue"] as? Bool == true,
      "\(overdue)")
    let text = try world.govern(["pending", "--at", later])
    #expect(text.stdout.contains("approval \(waiting) to refs/heads/main: waiting since"))
    #expect(text.stdout.contains("OVERDUE since"), "\(text.output)")

    let carols = try Self.pending(world, as: team.carol, ["--mine"])
    #expect(carols.map { $0["release"] as? String } == [waiting], "\(carols)")
    let bobs = try Self.pending(world, as: team.bob, ["--mine"])
    #expect(bobs.map { $0["release"] as? String } == [shipped], "\(bobs)")

    try world.expectSuccess(
      world.govern(["closeout", shipped, "--outcome", "deployed"], as: team.bob))
    #expect(try Self.pending(world).contains { $0["release"] as? String == shipped } == false)
  }

  @Test(
    "the post-receive sends each new record as a JSON line to govern.eventCommand, retrying a failed delivery; a dry run only prints; events --send replays"
  )
  func eventsReachAListener() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    // The first delivery fails (HTTP 500): the retry must get it through.
    let listener = try HTTPListener { $0 == 0 ? 500 : 200 }
    func config(_ key: String, _ value: String) throws {
      try world.expectSuccess(world.run(["git", "config", key, value], in: server.bare))
    }
    try config("govern.eventCommand", "curl -fsS --data-binary @- \(listener.url)")
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    let pushed = try world.govern(["approve", release, "--push"], as: team.carol)
    try world.expectSuccess(pushed)

    let events = listener.bodies.compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(listener.requestCount == listener.bodies.count + 1, "one failed try, then retried")
    let approval = events.first { $0["event"] as? String == "approval" }
    #expect(approval?["actor"] as? String == "carol", "\(listener.bodies)")
    #expect(approval?["release"] as? String == release)
    #expect(
      events.contains { $0["event"] as? String == "request" && $0["actor"] as? String == "bob" })
    #expect(
      events.contains {
        $0["event"] as? String == "acceptance" && $0["actor"] as? String == "server"
      },
      "the server's own receipts are events too: \(listener.bodies)")
    #expect(listener.bodies.allSatisfy { $0.hasSuffix("}\n") && !$0.dropLast().contains("\n") })

    // Dry run: printed on the pusher's terminal, nothing sent.
    try config("govern.eventDryRun", "true")
    let sentBefore = listener.requestCount
    try world.expectSuccess(world.govern(["approve", release], as: team.erin))
    let dry = try world.run(["git", "push", "origin", "governance"], in: world.work)
    try world.expectSuccess(dry)
    #expect(dry.output.contains("event (dry run, not sent): {"), "\(dry.output)")
    #expect(listener.requestCount == sentBefore)

    // A listener that is down: the push still succeeds, and says how to replay.
    try config("govern.eventDryRun", "false")
    try config("govern.eventRetries", "1")
    let down = try HTTPListener { _ in 503 }
    try config("govern.eventCommand", "curl -fsS --data-binary @- \(down.url)")
    try world.expectSuccess(world.govern(["sync"]))
    try world.expectSuccess(
      world.govern(
        ["evidence", release, "--kind", "tests", "--url", "https://ci.example/1"], as: team.bob))
    let failing = try world.run(["git", "push", "origin", "governance"], in: world.work)
    #expect(failing.status == 0, "\(failing.output)")
    #expect(down.requestCount >= 2 && down.requestCount % 2 == 0, "each event tried twice")
    #expect(
      failing.stderr.contains("not delivered by govern.eventCommand after 2 tries"),
      "\(failing.output)")
    #expect(failing.stderr.contains("send them again with: git govern events --from"))

    try config("govern.eventCommand", "curl -fsS --data-binary @- \(listener.url)")
    let replay = try world.govern(
      ["events", "--from", "refs/heads/governance~2", "--send"], in: server.bare)
    try world.expectSuccess(replay)
    #expect(
      listener.bodies.contains { $0.contains("\"event\":\"evidence\"") }, "\(listener.bodies)")
    let printed = try world.govern(
      ["events", "--from", "refs/heads/governance~2"], in: server.bare)
    #expect(printed.stdout.contains("\"event\":\"evidence\""), "\(printed.output)")
    let bad = try world.govern(["events", "--from", "nonsense"], in: server.bare)
    #expect(bad.status == 2 && bad.stderr.contains("--from \"nonsense\" is not a commit"))
  }
}
