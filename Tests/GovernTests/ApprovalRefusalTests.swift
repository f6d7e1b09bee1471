import Foundation
import Testing

@Suite("approve refuses at once what would not count")
struct ApprovalRefusalTests {
  @Test("the requester cannot approve their own release")
  func requesterRefused() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.carol)
    let before = try world.governanceTip()
    let attempt = try world.govern(["approve", release], as: team.carol)
    #expect(attempt.status == 1)
    #expect(attempt.stderr.contains("carol requested this release"))
    #expect(try world.governanceTip() == before, "a refused approval writes nothing")
  }

  @Test("bob authored a commit in the range, so his approval is refused")
  func authorRefused() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.carol)
    let attempt = try world.govern(["approve", release], as: team.bob)
    #expect(attempt.status == 1)
    #expect(attempt.stderr.contains("bob authored or committed"))
  }

  @Test("a commit carol wrote on a branch merged into the release counts: her approval is refused")
  func authorOnMergedBranchRefused() throws {
    let team = try Team()
    let world = team.world
    try world.git("checkout", "-q", "-b", "side")
    try world.commit("side.txt", "from the side branch\n", by: team.carol)
    try world.git("checkout", "-q", "main")
    try world.commit("main.txt", "on main meanwhile\n", by: team.bob)
    try world.git("merge", "-q", "--no-ff", "side", "-m", "merge side")
    #expect(try world.git("rev-list", "--merges", "HEAD").isEmpty == false)
    // The first release of v*: its range is everything HEAD reaches, through both parents.
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let attempt = try world.govern(["approve", release], as: team.carol)
    #expect(attempt.status == 1)
    #expect(attempt.stderr.contains("carol authored or committed"), "\(attempt.output)")
  }

  @Test(
    "erin authored a commit under an alias that people.yml's mailmap maps to her, so her approval is refused"
  )
  func mailmapAliasRefused() throws {
    let team = try Team()
    let world = team.world
    try world.commit(
      "aliased.txt", "by erin's other address\n", by: team.erin, email: "erin.old@corp.example")
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "erin", "--mailmap",
          "Erin <\(team.erin.email)> <erin.old@corp.example>",
        ],
        as: team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let attempt = try world.govern(["approve", release], as: team.erin)
    #expect(attempt.status == 1)
    #expect(attempt.stderr.contains("erin authored or committed"))
  }

  @Test("an author's +tag email variant still resolves to them")
  func plusTagAliasRefused() throws {
    let team = try Team()
    let world = team.world
    try world.commit("tagged.txt", "x\n", by: team.carol, email: "Carol+work@Example.com")
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let attempt = try world.govern(["approve", release], as: team.carol)
    #expect(attempt.status == 1)
    #expect(attempt.stderr.contains("carol authored or committed"))
  }

  @Test("a key nobody registered cannot approve")
  func unknownKeyRefused() throws {
    let team = try Team()
    let world = team.world
    let stranger = try world.persona("stranger", email: team.carol.email)
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let attempt = try world.govern(["approve", release], as: stranger)
    #expect(attempt.status == 2)
    #expect(attempt.stderr.contains("is not registered for carol"))
    let unknownEmail = try world.persona("ghost")
    let ghost = try world.govern(["approve", release], as: unknownEmail)
    #expect(ghost.status == 2)
    #expect(ghost.stderr.contains("ghost@example.com (user.email) is not registered"))
  }
}
