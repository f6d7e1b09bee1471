import Foundation
import Ledger
import Testing

@Suite("key validity and revocation")
struct KeyValidityTests {
  @Test(
    "a revoked key's earlier approval still counts; it cannot sign again, not even a backdated record"
  )
  func revocationResistsBackdating() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.expectSuccess(
      world.govern(["identity", "revoke", "carol", "--reason", "laptop lost"], as: team.alice))
    let people = try world.git("show", "refs/heads/governance:people.yml")
    #expect(
      people.contains("revoked:") && people.contains("laptop lost"),
      "revocation is recorded, the key is kept")

    let stillReady = try world.govern(["status", release])
    #expect(
      stillReady.status == 0,
      "carol's approval was on the branch before the revocation: \(stillReady.output)")

    let again = try world.govern(["approve", release], as: team.carol)
    #expect(again.status == 2)
    #expect(again.stderr.contains("was revoked at"))

    // A second release, approved by carol's revoked key through a plain commit with a backdated time.
    try world.commit("more.txt", "more\n", by: team.bob)
    let second = try world.request("HEAD", to: "refs/tags/v1.1.0", as: team.bob)
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let directory = gov.appendingPathComponent("\(LedgerPaths.releaseDirectory(release))")
    let original = try #require(
      FileManager.default.contentsOfDirectory(atPath: directory.path).first {
        $0.hasPrefix("approval-") && $0.hasSuffix(".json")
      })
    let head = try world.git("rev-parse", "HEAD")
    let tree = try world.git("rev-parse", "HEAD^{tree}")
    var text = try String(contentsOf: directory.appendingPathComponent(original), encoding: .utf8)
    let oldTarget = try #require(text.firstMatch(of: /"target":"([0-9a-f]+)"/)?.1)
    let oldTree = try #require(text.firstMatch(of: /"tree":"([0-9a-f]+)"/)?.1)
    text = text.replacingOccurrences(of: String(oldTarget), with: head).replacingOccurrences(
      of: String(oldTree), with: tree
    )
    .replacingOccurrences(of: release, with: second).replacingOccurrences(
      of: "refs/tags/v1.0.0", with: "refs/tags/v1.1.0"
    )
    .replacing(/"created":"[^"]+"/, with: "\"created\":\"2020-01-01T00:00:00Z\"")
    let forged = gov.appendingPathComponent(
      "\(LedgerPaths.releaseDirectory(second))/approval-20200101T000000Z-carol-aaaaaa.json")
    try Data(text.utf8).write(to: forged)
    try world.expectSuccess(
      world.run(
        ["ssh-keygen", "-Y", "sign", "-f", team.carol.key, "-n", "git-govern", forged.path], in: gov
      ))
    try world.git("add", ".", in: gov)
    try world.git("commit", "-q", "-m", "backdated", in: gov)
    let blocked = try world.govern(["status", second])
    #expect(blocked.status == 1)
    #expect(blocked.stdout.contains("revoked at"))
    #expect(
      blocked.stdout.contains("only records already on the governance branch then still count"))
  }

  @Test("a key registered as valid only until an hour ago cannot sign now")
  func expiredKeyCannotSign() throws {
    let team = try Team()
    let world = team.world
    let frank = try world.persona("frank")
    let anHourAgo = World.iso(Date().addingTimeInterval(-3600))
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "frank", "--email", frank.email, "--key", frank.publicKey, "--role",
          "security", "--valid-before", anHourAgo,
        ],
        as: team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let refused = try world.govern(["approve", release], as: frank)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("after the key expired"))
    let status = try world.govern(["status", release])
    #expect(
      !status.stdout.contains("frank can run"),
      "an expired key does not make frank an eligible approver")
  }
}
