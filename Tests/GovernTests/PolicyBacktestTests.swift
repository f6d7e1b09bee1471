import Foundation
import Governance
import Ledger
import Testing

/// `git govern policy test <draft>`: the releases whose verdict a draft policy would change,
/// judged from the real records, writing nothing; `policy apply` shows the same first.
@Suite("policy test: a draft policy backtested against the releases on record")
struct PolicyBacktestTests {
  static let inForce = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 1

    """

  func write(_ text: String, _ name: String, in world: World) throws -> String {
    let file = world.root.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  @Test(
    "a stricter draft lists the approved release it would block and why; a looser one the blocked release it would let through; nothing is written"
  )
  func backtest() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(world.applyPolicy(Self.inForce, by: team.alice))
    let approved = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", approved], as: team.carol))
    try world.git("tag", "v1.0.0")
    let waiting = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    let before = try world.governanceTip()

    let stricter = try write(
      Self.inForce.replacingOccurrences(of: "approvals: 1", with: "approvals: 2"), "two.yml",
      in: world)
    let strict = try world.govern(["policy", "test", stricter, "--json"])
    #expect(strict.status == 1, "\(strict.output)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [String: Any])
    #expect(json["judged"] as? Int == 2)
    let changes = json["changes"] as? [[String: Any]] ?? []
    #expect(changes.map { $0["release"] as? String } == [approved], "\(changes)")
    #expect(changes.first?["before"] as? String != "blocked")
    #expect(changes.first?["after"] as? String == "blocked")
    #expect(
      (changes.first?["reasons"] as? [String])?.contains { $0.hasPrefix("needs 2 more approvals") }
        == true, "\(changes)")

    let looser = try write(
      Self.inForce.replacingOccurrences(of: "approvals: 1", with: "approvals: 0"), "zero.yml",
      in: world)
    let loose = try world.govern(["policy", "test", looser])
    #expect(loose.status == 1)
    #expect(loose.stdout.contains("2 releases judged; 1 would change verdict under the draft."))
    #expect(loose.stdout.contains("\(waiting) to refs/tags/v1.0.0"), "\(loose.output)")
    #expect(loose.stdout.contains("blocked -> ready"), "\(loose.output)")

    let same = try write(Self.inForce, "same.yml", in: world)
    let unchanged = try world.govern(["policy", "test", same])
    #expect(unchanged.status == 0, "\(unchanged.output)")
    #expect(unchanged.stdout.contains("0 would change verdict"))

    let broken = try write("version: 1\nprotected: [main]\n", "broken.yml", in: world)
    let refused = try world.govern(["policy", "test", broken])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("broken.yml:2:"), "\(refused.output)")
    #expect(try world.governanceTip() == before, "policy test writes nothing")

    // policy apply shows the open releases it would change before it proposes.
    let applied = try world.govern(["policy", "apply", stricter], as: team.alice)
    try world.expectSuccess(applied)
    #expect(applied.stderr.contains("1 would change verdict under the draft"), "\(applied.output)")
    #expect(applied.stderr.contains("\(approved) to refs/heads/main"))
  }

  @Test(
    "a draft that adds path owners judges the paths each release changes, though the policy in force names no owners"
  )
  func draftWithOwners() throws {
    let team = try Team()
    let world = team.world
    try world.expectSuccess(world.applyPolicy(Self.inForce, by: team.alice))
    try FileManager.default.createDirectory(
      at: world.work.appendingPathComponent("payments"), withIntermediateDirectories: true)
    try world.commit("payments/ledger.txt", "entry\n", by: team.bob)
    let approved = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", approved], as: team.carol))
    let owned = try write(
      Self.inForce + "owners:\n  payments/**: {people: [erin]}\n", "owners.yml", in: world)
    let tested = try world.govern(["policy", "test", owned])
    #expect(tested.status == 1, "\(tested.output)")
    #expect(tested.stdout.contains("\(approved) to refs/heads/main"), "\(tested.output)")
    #expect(tested.stdout.contains("payments/ledger.txt"), "\(tested.output)")
    #expect(!tested.stdout.contains("could not be worked out"), "\(tested.output)")
  }
}
