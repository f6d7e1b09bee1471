import Foundation
import GitKit
import Governance
import Testing

@testable import Ledger

/// The proven-state cache (`.git/govern/state-cache`) spares `check` and the hooks the proof of
/// the policy and people change chain on every run, and never changes a verdict: a state
/// changed outside git govern is refused with a cache present, a cache claiming such a state was
/// proven is refused for its seal, and a damaged one is ignored, said so, and rewritten.
@Suite("proven-state cache")
struct ProvenStateCacheTests {
  func cacheFile(_ world: World) -> URL {
    world.work.appendingPathComponent(".git/govern/state-cache")
  }

  /// The five proof entries of the governance branch's tip, as `GovernanceState.load` keys it.
  func proofEntries(_ world: World) throws -> [OID?] {
    try ["repository.json", "repository.json.sig", "policy.yml", "people.yml", "changes"].map {
      let result = try world.run(["git", "rev-parse", "governance:\($0)"], in: world.work)
      return result.status == 0
        ? OID(hex: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }
  }

  /// The cache as this test's user (HOME is the world's root) reads it, bound to the repository.
  func cache(_ world: World) throws -> ProvenStateCache {
    let cache = ProvenStateCache(
      file: cacheFile(world),
      keyFile: world.root.appendingPathComponent(".config/git-govern/verification-cache.key"),
      warn: { _ in })
    cache.bind(toGovernanceRoot: try root(world))
    return cache
  }

  func root(_ world: World) throws -> OID {
    let genesis = try world.git("show", "governance:repository.json")
    let object = try JSONSerialization.jsonObject(with: Data(genesis.utf8)) as? [String: Any]
    return try #require(OID(hex: object?["repo"] as? String ?? ""))
  }

  /// people.yml edited in a plain commit: bob made a policy-admin, proven by nobody.
  func promoteBobOutsideGovern(_ world: World) throws {
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let people = gov.appendingPathComponent("people.yml")
    let text = try String(contentsOf: people, encoding: .utf8).replacingOccurrences(
      of: "roles: [\"developer\"]", with: "roles: [\"developer\", \"policy-admin\"]")
    try Data(text.utf8).write(to: people)
    try world.git("commit", "-q", "-am", "promote bob", in: gov)
  }

  /// A release of HEAD to v1.0.0 requested by bob and approved by carol, checked once.
  func checkedOnce() throws -> World {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.expectSuccess(world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"]))
    return world
  }

  @Test(
    "a check remembers the state it proved, the next check finds it, and a state changed outside git govern is still refused and not remembered"
  )
  func remembersOnlyProvenStates() throws {
    let world = try checkedOnce()
    let proven = try proofEntries(world)
    let reader = try cache(world)
    #expect(reader.knows(proven))
    // Found there, the next check says the same.
    try world.expectSuccess(world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"]))

    try promoteBobOutsideGovern(world)
    let refused = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(refused.status == 1, "\(refused.output)")
    #expect(refused.stdout.contains("not signed by enough policy-admins"), "\(refused.output)")
    let tampered = try proofEntries(world)
    #expect(tampered != proven)
    let after = try cache(world)
    #expect(!after.knows(tampered))
    #expect(after.knows(proven))
  }

  @Test(
    "a cache file claiming the tampered state was proven, sealed with another key, is ignored and said so: the check still refuses (sealed with this user's key, it would be believed)"
  )
  func forgedCacheIgnored() throws {
    let world = try checkedOnce()
    try promoteBobOutsideGovern(world)
    let forged = VerificationCache.render(
      [ProvenStateCache.entry(try proofEntries(world))], root: try root(world),
      sealedWith: Array(repeating: 7, count: 32))
    try Data(forged).write(to: cacheFile(world))

    let refused = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(refused.status == 1, "\(refused.output)")
    #expect(refused.stdout.contains("not signed by enough policy-admins"), "\(refused.output)")
    #expect(refused.stderr.contains("its seal does not match this user's key"), "\(refused.output)")

    // The same claim sealed with this user's own key is believed: the cache is read, and its
    // seal, kept outside the repository, is all that stands between it and a forger.
    let key = try Data(
      contentsOf: world.root.appendingPathComponent(".config/git-govern/verification-cache.key"))
    let sealed = VerificationCache.render(
      [ProvenStateCache.entry(try proofEntries(world))], root: try root(world),
      sealedWith: Array(key))
    try Data(sealed).write(to: cacheFile(world))
    let believed = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(!believed.stdout.contains("not signed by enough policy-admins"), "\(believed.output)")
  }

  @Test("a truncated cache file is ignored, said so, and written again whole")
  func damagedCacheRewritten() throws {
    let world = try checkedOnce()
    let file = cacheFile(world)
    let whole = try Data(contentsOf: file)
    try whole.prefix(whole.count - 5).write(to: file)

    let again = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(again.status == 0, "\(again.output)")
    #expect(again.stderr.contains("is ignored"), "\(again.output)")
    let reader = try cache(world)
    #expect(reader.knows(try proofEntries(world)))
  }
}
