import Foundation
import Governance
import Ledger
import Testing

/// Business time end to end: a holiday in the policy's calendar freezes pushes at the server,
/// and a closeout due in business days counts working hours from the server's receipt.
@Suite("business time, over a real server")
struct BusinessTimeServerTests {
  static func policy(holiday: String) -> String {
    """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    calendar:
      timezone: UTC
      days: [mon, tue, wed, thu, fri, sat, sun]
      hours: "00:00-24:00"
      holidays: [\(holiday)]
    closeout_within: 1bd

    """
  }

  @Test(
    "a push on a holiday is refused by the server when freezes.holidays is on, and taken when it is off"
  )
  func holidaysFreezeTheServer() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let today = String(Timestamp.format(Date()).prefix(10))
    try world.expectSuccess(
      world.applyPolicy(
        Self.policy(holiday: today) + "freezes:\n  holidays: true\n", by: team.alice))
    try world.commit("feature.txt", "one\n", by: team.bob)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    let refused = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("(window \"holiday \(today)\")"), "\(refused.output)")

    try world.expectSuccess(world.applyPolicy(Self.policy(holiday: today), by: team.alice))
    try world.expectSuccess(world.govern(["sync"]))
    // The policy changed only its freezes: carol's approval still counts.
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
  }

  @Test(
    "a closeout due within 1bd of the push is due one working day after the server's receipt, skipping the holiday"
  )
  func closeoutInBusinessDays() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let tomorrow = String(Timestamp.format(Date().addingTimeInterval(86400)).prefix(10))
    try world.expectSuccess(world.applyPolicy(Self.policy(holiday: tomorrow), by: team.alice))
    try world.commit("feature.txt", "one\n", by: team.bob)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "-q", "--no-verify", "origin", "main"], in: world.work))
    try world.expectSuccess(world.govern(["sync"]))

    let result = try world.govern(["pending", "--json"])
    try world.expectSuccess(result)
    let items =
      (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?[
        "pending"] as? [[String: Any]] ?? []
    let closeout = try #require(items.first { $0["kind"] as? String == "closeout" }, "\(items)")
    let since = try #require((closeout["since"] as? String).flatMap(Timestamp.parse))
    // A working day is all 24 hours here, but tomorrow is a holiday: due the day after.
    #expect(
      closeout["due"] as? String == Timestamp.format(since.addingTimeInterval(2 * 86400)),
      "\(closeout)")
    #expect((closeout["message"] as? String)?.contains("closeout_within 1bd") == true)
  }
}
