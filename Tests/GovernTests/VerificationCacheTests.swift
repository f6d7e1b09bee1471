import Foundation
import GitKit
import Governance
import Signing
import Testing

@testable import Ledger

/// The audit's verification cache (`.git/govern/verification-cache`) spares verifications and
/// never changes a verdict: a warm audit says byte for byte what `--no-cache` says, and a
/// cache that is corrupt, stale, another repository's or forged is ignored, said so, and
/// rewritten.
@Suite("verification cache")
struct VerificationCacheTests {
  /// One fixed clock for every audit of a test, so that their reports can be compared whole.
  let environment = [
    "GIT_GOVERN_NOW": Timestamp.format(Date().addingTimeInterval(3600)), "GIT_GOVERN_TRACE": "1",
  ]

  func cacheFile(_ gitDirectory: URL) -> URL {
    gitDirectory.appendingPathComponent("govern/verification-cache")
  }

  func audit(_ world: World, in directory: URL? = nil, _ extra: [String] = []) throws
    -> World.Result
  {
    try world.govern(
      ["audit", "--format", "json"] + extra, in: directory, environment: environment)
  }

  /// How many signatures the audit took from the cache (from its trace), nil if it used none.
  func known(_ result: World.Result) -> Int? {
    guard
      let line = result.stderr.split(separator: "\n").first(where: {
        $0.hasPrefix("verification cache: ")
      })
    else { return nil }
    return Int(line.dropFirst("verification cache: ".count).prefix { $0.isNumber })
  }

  /// How many governance commits the audit took from the cache as found sound (from its
  /// trace), nil if it used none.
  func knownSound(_ result: World.Result) -> Int? {
    guard
      let line = result.stderr.split(separator: "\n").first(where: {
        $0.hasPrefix("verification cache: ")
      }), let words = line.split(separator: ", ").first(where: { $0.hasSuffix("known sound") })
    else { return nil }
    return Int(words.prefix { $0.isNumber })
  }

  /// A release of `tag` requested by bob and approved by carol, in the work repository.
  func approvedRelease(_ team: Team, tag: String = "v1.0.0") throws -> String {
    try team.world.git("tag", tag)
    let release = try team.world.request(tag, to: "refs/tags/\(tag)", as: team.bob)
    try team.world.expectSuccess(team.world.govern(["approve", release], as: team.carol))
    return release
  }

  @Test(
    "a warm cache gives the very report --no-cache gives, and --no-cache neither reads nor writes it"
  )
  func warmCacheSameReport() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work))
    let file = cacheFile(server.bare)
    let cold = try audit(world, in: server.bare)
    #expect(known(cold) == 0, "\(cold.stderr)")
    #expect(FileManager.default.fileExists(atPath: file.path), "the first audit writes the cache")
    let warm = try audit(world, in: server.bare)
    #expect((known(warm) ?? 0) > 0, "the second audit takes signatures from it: \(warm.stderr)")
    let uncached = try audit(world, in: server.bare, ["--no-cache"])
    #expect(known(uncached) == nil)
    #expect(warm.status == uncached.status && cold.status == uncached.status)
    #expect(warm.stdout == uncached.stdout, "byte for byte")
    #expect(cold.stdout == uncached.stdout)
    #expect(uncached.stdout.contains(release))
    // --no-cache does not read it (a damaged file goes unmentioned) nor write it.
    try Data("damaged".utf8).write(to: file)
    let again = try audit(world, in: server.bare, ["--no-cache"])
    #expect(!again.stderr.contains("verification cache"), "\(again.stderr)")
    #expect(try Data(contentsOf: file) == Data("damaged".utf8))
    #expect(again.stdout == uncached.stdout)
  }

  @Test("a truncated, bit-flipped or stale cache is ignored with a message, and rewritten")
  func corruptCacheIgnored() throws {
    let team = try Team()
    let world = team.world
    _ = try approvedRelease(team)
    let uncached = try audit(world, ["--no-cache"])
    _ = try audit(world)
    let file = cacheFile(world.work.appendingPathComponent(".git"))
    let good = try Data(contentsOf: file)
    var flipped = good
    flipped[VerificationCache.headerLength + 5] ^= 0x10
    var stale = good
    stale[8] = 99
    let damages: [(String, Data, String)] = [
      ("truncated", good.prefix(good.count - 7), "it is corrupt"),
      ("bit flipped", flipped, "SHA-256 checksum does not match"),
      (
        "stale", stale,
        "format 99, and this git-govern reads format \(VerificationCache.formatVersion) (stale)"
      ),
      ("not a cache", Data("hello".utf8), "is not a git-govern verification cache"),
    ]
    for (what, bytes, message) in damages {
      try bytes.write(to: file)
      let result = try audit(world)
      #expect(
        result.stderr.contains("the verification cache \(file.path) is ignored")
          && result.stderr.contains(message), "\(what): \(result.stderr)")
      #expect(known(result) == 0, "\(what): nothing is taken from it")
      #expect(result.stdout == uncached.stdout, "\(what): the same report")
      #expect(result.status == uncached.status)
      let rewritten = try audit(world)
      #expect(!rewritten.stderr.contains("is ignored"), "\(what): \(rewritten.stderr)")
      #expect((known(rewritten) ?? 0) > 0, "\(what): it was rewritten and is used again")
      #expect(rewritten.stdout == uncached.stdout)
    }
  }

  @Test("a cache copied from another repository, or another user's, is ignored")
  func foreignCacheIgnored() throws {
    let first = try Team()
    let second = try Team()
    _ = try approvedRelease(first)
    _ = try approvedRelease(second)
    _ = try audit(first.world)
    let theirs = cacheFile(first.world.work.appendingPathComponent(".git"))
    let ours = cacheFile(second.world.work.appendingPathComponent(".git"))
    let uncached = try audit(second.world, ["--no-cache"])
    try FileManager.default.createDirectory(
      at: ours.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: theirs, to: ours)
    let result = try audit(second.world)
    #expect(result.stderr.contains("it belongs to another repository"), "\(result.stderr)")
    #expect(known(result) == 0)
    #expect(result.stdout == uncached.stdout)

    // The same repository's cache, written by another user (another key): a clone handed over
    // with its .git is not trusted for what its owner's git-govern claims to have verified.
    let clone = first.world.root.appendingPathComponent("handed-over")
    try first.world.expectSuccess(
      first.world.run(["cp", "-a", first.world.work.path, clone.path], in: first.world.root))
    let key = first.world.root.appendingPathComponent(".config/git-govern/verification-cache.key")
    #expect(FileManager.default.fileExists(atPath: key.path))
    try Data(repeating: 7, count: 32).write(to: key)
    let handed = try audit(first.world, in: clone)
    #expect(
      handed.stderr.contains("its seal does not match this user's key"), "\(handed.stderr)")
    #expect(known(handed) == 0)
  }

  @Test(
    "a forged cache entry claiming a tampered record's signature verifies does not make the audit accept it"
  )
  func forgedEntryNotBelieved() throws {
    let team = try Team()
    let world = team.world
    let release = try approvedRelease(team)
    _ = try audit(world)
    // The approval changed after carol signed it, committed straight into the governance branch.
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let folder = LedgerPaths.releaseDirectory(release)
    let approval = try #require(
      try FileManager.default.contentsOfDirectory(
        atPath: gov.appendingPathComponent(folder).path
      ).first { $0.hasPrefix("approval-") && $0.hasSuffix(".json") })
    let path = "\(folder)/\(approval)"
    let record = gov.appendingPathComponent(path)
    try Data(
      try String(contentsOf: record, encoding: .utf8).replacingOccurrences(
        of: "\"carol\"", with: "\"carol\" "
      ).utf8
    ).write(to: record)
    try world.git("commit", "-q", "-am", "tampered", in: gov)
    let uncached = try audit(world, ["--no-cache"])
    #expect(uncached.status == 1)
    #expect(uncached.stdout.contains("\(path) signature by carol's key does not verify"))

    // The attacker knows the format: adds "this signature verifies" for the tampered bytes,
    // with a right checksum and the right repository, sealed with a key of their own.
    let file = cacheFile(world.work.appendingPathComponent(".git"))
    let keyFile = world.root.appendingPathComponent(".config/git-govern/verification-cache.key")
    let root = try #require(OID(hex: try world.git("rev-list", "--max-parents=0", "governance")))
    let (entries, problem) = VerificationCache.parse(
      Array(try Data(contentsOf: file)), root: root,
      keyBytes: Array(try Data(contentsOf: keyFile)))
    #expect(problem == nil && !entries.isEmpty)
    let carolKey = try SSHPublicKey(
      authorizedKey: try String(contentsOfFile: team.carol.key + ".pub", encoding: .utf8))
    let forged = VerificationCache.Entry(
      kind: .record,
      subject: try #require(OID(hex: try world.git("rev-parse", "governance:\(path)"))),
      signature: try #require(OID(hex: try world.git("rev-parse", "governance:\(path).sig"))),
      key: VerificationCache.KeyDigest(carolKey))
    try Data(
      VerificationCache.render(
        Array(entries) + [forged], root: root, sealedWith: Array(repeating: 0xA5, count: 32))
    ).write(to: file)
    let result = try audit(world)
    #expect(
      result.stderr.contains("its seal does not match this user's key"), "\(result.stderr)")
    #expect(result.status == 1)
    #expect(result.stdout == uncached.stdout, "the tampered record is found as without the cache")
  }

  @Test(
    "carol's approval, verified into the cache, is judged anew once her key is revoked before it reached the branch"
  )
  func revokedKeyJudgedAnew() throws {
    let team = try Team()
    let world = team.world
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    let requested = try world.governanceTip()
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let approved = try world.governanceTip()
    let first = try audit(world)
    #expect(first.status == 0, "\(first.stdout)")
    // Her approval's commit is set aside, her key revoked, and the approval (the same bytes,
    // so its signature is in the cache) put back after the revocation.
    try world.git("update-ref", "refs/heads/governance", requested)
    try world.expectSuccess(
      world.govern(["identity", "revoke", "carol", "--reason", "laptop lost"], as: team.alice))
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    try world.git("checkout", "-q", approved, "--", LedgerPaths.releaseDirectory(release), in: gov)
    try world.git("commit", "-q", "-m", "approval put back", in: gov)

    let warm = try audit(world)
    #expect((known(warm) ?? 0) > 0, "\(warm.stderr)")
    let uncached = try audit(world, ["--no-cache"])
    #expect(warm.stdout == uncached.stdout)
    #expect(warm.status == 1)
    #expect(
      warm.stdout.contains("revoked at")
        && warm.stdout.contains("only records already on the governance branch then still count"),
      "\(warm.stdout)")
  }

  @Test("a cache that cannot be written is a warning; the audit's verdict stands")
  func unwritableCacheWarns() throws {
    let team = try Team()
    let world = team.world
    _ = try approvedRelease(team)
    // Where the cache's folder would be (the commands' state cache made it), a file.
    let folder = world.work.appendingPathComponent(".git/govern")
    try? FileManager.default.removeItem(at: folder)
    try Data("in the way".utf8).write(to: folder)
    let result = try audit(world)
    #expect(result.status == 0, "\(result.output)")
    #expect(result.stderr.contains("could not write the verification cache"), "\(result.stderr)")
    #expect(result.stdout == (try audit(world, ["--no-cache"])).stdout)
  }

  @Test(
    "governance commits found sound are taken from the cache by the build that found them only, and a commit with a problem is checked on every audit"
  )
  func soundCommitsByTheSameBuild() throws {
    let team = try Team()
    let world = team.world
    _ = try approvedRelease(team)
    // A commit git-govern did not make: unsigned, straight into the governance branch.
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    try Data("{}".utf8).write(to: gov.appendingPathComponent("stray.json"))
    try world.git("add", "stray.json", in: gov)
    try world.git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "unsigned", in: gov)
    let unsigned = try world.git("rev-parse", "--short=10", "governance")
    let uncached = try audit(world, ["--no-cache"])
    #expect(uncached.status == 1)
    #expect(
      uncached.stdout.contains("governance commit \(unsigned): is not signed"), "\(uncached.stdout)"
    )
    let commits = Int(try world.git("rev-list", "--count", "governance")) ?? 0

    let cold = try audit(world)
    #expect(knownSound(cold) == 0, "\(cold.stderr)")
    let warm = try audit(world)
    // Every commit but the unsigned one was found sound and is not checked again.
    #expect(knownSound(warm) == commits - 1, "\(warm.stderr)")
    #expect(warm.stdout == uncached.stdout, "byte for byte, the unsigned commit found again")
    #expect(warm.status == 1)

    // Another build (a copy of the binary: another file) believes none of them.
    let otherBuild = world.root.appendingPathComponent("other-build")
    try FileManager.default.createDirectory(at: otherBuild, withIntermediateDirectories: true)
    let copy = otherBuild.appendingPathComponent("git-govern").path
    try FileManager.default.copyItem(atPath: World.binary, toPath: copy)
    let other = try world.run(
      [copy, "audit", "--format", "json"], in: world.work, environment: environment)
    #expect(knownSound(other) == 0, "\(other.stderr)")
    #expect((known(other) ?? 0) > 0, "its signatures are still taken: \(other.stderr)")
    #expect(other.stdout == uncached.stdout)
  }

  @Test("a found-sound entry is read back only for the checker that wrote it")
  func soundCommitEntriesNameTheirChecker() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sound-commits-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("verification-cache")
    let keyFile = folder.appendingPathComponent("key")
    let root = try #require(OID(hex: String(repeating: "ab", count: 20)))
    let commit = try #require(OID(hex: String(repeating: "cd", count: 20)))
    func cache(_ checker: String?) -> VerificationCache {
      let cache = VerificationCache(file: file, keyFile: keyFile, checker: checker) { _ in }
      cache.bind(toGovernanceRoot: root)
      return cache
    }
    let writer = cache("build A")
    #expect(!writer.knows(soundCommit: commit))
    writer.learn(soundCommit: commit)
    writer.save()
    #expect(cache("build A").knows(soundCommit: commit))
    #expect(!cache("build B").knows(soundCommit: commit))
    #expect(!cache(nil).knows(soundCommit: commit), "no checker: no commit is taken")
    let withoutChecker = cache(nil)
    withoutChecker.learn(soundCommit: commit)
    #expect(!withoutChecker.knows(soundCommit: commit))
  }
}
