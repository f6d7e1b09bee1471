import Foundation
import Ledger
import Testing

@Suite("tampering with the governance branch blocks")
struct TamperTests {
  /// A worktree of the governance branch where plain git commits bypass git-govern.
  func governanceWorktree(_ world: World) throws -> URL {
    let path = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", path.path, "governance")
    return path
  }

  func approvedRelease(_ team: Team) throws -> String {
    let release = try team.world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try team.world.expectSuccess(
      team.world.govern(["approve", release, "--comment", "ok"], as: team.carol))
    #expect(try team.world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"]).status == 0)
    return release
  }

  @Test(
    "an approval's bytes changed in a plain commit no longer verify, and the release is blocked")
  func editedRecordBlocks() throws {
    let team = try Team()
    let world = team.world
    let release = try approvedRelease(team)
    let gov = try governanceWorktree(world)
    let directory = gov.appendingPathComponent("\(LedgerPaths.releaseDirectory(release))")
    let approval = try #require(
      FileManager.default.contentsOfDirectory(atPath: directory.path).first {
        $0.hasPrefix("approval-") && $0.hasSuffix(".json")
      })
    let file = directory.appendingPathComponent(approval)
    let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
      of: "\"comment\":\"ok\"", with: "\"comment\":\"OK\"")
    try Data(text.utf8).write(to: file)
    try world.git("commit", "-q", "-am", "tidy up", in: gov)

    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("signature by carol's key does not verify"))
  }

  @Test("a record with its signature removed is a finding that blocks, never skipped")
  func unsignedRecordBlocks() throws {
    let team = try Team()
    let world = team.world
    let release = try approvedRelease(team)
    let gov = try governanceWorktree(world)
    let directory = gov.appendingPathComponent("\(LedgerPaths.releaseDirectory(release))")
    let signature = try #require(
      FileManager.default.contentsOfDirectory(atPath: directory.path).first {
        $0.hasPrefix("approval-") && $0.hasSuffix(".sig")
      })
    try world.git("rm", "-q", "\(LedgerPaths.releaseDirectory(release))/\(signature)", in: gov)
    try world.git("commit", "-q", "-m", "drop", in: gov)
    let result = try world.govern(["status", release])
    #expect(result.status == 1)
    #expect(result.stdout.contains("has no signature beside it"))
  }

  @Test("an approval signed by a key nobody registered, slipped in by a plain commit, blocks")
  func unregisteredKeyRecordBlocks() throws {
    let team = try Team()
    let world = team.world
    let release = try approvedRelease(team)
    let mallory = try world.persona("mallory")
    let gov = try governanceWorktree(world)
    let directory = gov.appendingPathComponent("\(LedgerPaths.releaseDirectory(release))")
    let approval = try #require(
      FileManager.default.contentsOfDirectory(atPath: directory.path).first {
        $0.hasPrefix("approval-") && $0.hasSuffix(".json")
      })
    let forged = directory.appendingPathComponent("approval-20990101T000000Z-mallory-000000.json")
    try FileManager.default.copyItem(at: directory.appendingPathComponent(approval), to: forged)
    try world.expectSuccess(
      world.run(
        ["ssh-keygen", "-Y", "sign", "-f", mallory.key, "-n", "git-govern", forged.path], in: gov))
    try world.git("add", ".", in: gov)
    try world.git("commit", "-q", "-m", "more approvals", in: gov)
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("signed by a key nobody registered"))
  }

  @Test(
    "people.yml changed in a plain commit (mallory made admin) is refused: protected refs stay closed"
  )
  func peopleEditedOutsideGovernBlocks() throws {
    let team = try Team()
    let world = team.world
    _ = try approvedRelease(team)
    let gov = try governanceWorktree(world)
    let people = gov.appendingPathComponent("people.yml")
    let text = try String(contentsOf: people, encoding: .utf8).replacingOccurrences(
      of: "roles: [\"developer\"]", with: "roles: [\"developer\", \"policy-admin\"]")
    try Data(text.utf8).write(to: people)
    try world.git("commit", "-q", "-am", "promote bob", in: gov)
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("people.yml")
        && result.stdout.contains("not signed by enough policy-admins"))
    let unprotected = try world.govern(["check", "HEAD", "--to", "refs/heads/topic"])
    #expect(
      unprotected.status == 1, "without a trustworthy policy nothing can be said to be unprotected")
  }

  @Test("a record is verifiable with stock ssh-keygen against the exported allowed-signers file")
  func stockVerification() throws {
    let team = try Team()
    let world = team.world
    let release = try approvedRelease(team)
    let signers = world.root.appendingPathComponent("allowed_signers").path
    try world.expectSuccess(world.govern(["identity", "export", "--allowed-signers", signers]))
    let gov = try governanceWorktree(world)
    let directory = "\(LedgerPaths.releaseDirectory(release))"
    let verified = try world.run(
      [
        "sh", "-c",
        "ssh-keygen -Y verify -f \(signers) -I \(team.bob.email) -n git-govern -s \(directory)/request.json.sig < \(directory)/request.json",
      ],
      in: gov)
    #expect(verified.status == 0, "\(verified.output)")
    #expect(verified.stdout.contains("Good \"git-govern\" signature for \(team.bob.email)"))
  }
}

@Suite("limits")
struct LimitTests {
  @Test("an oversized record is refused by its size, before it is read or parsed")
  func oversizedRecordRefused() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let huge = gov.appendingPathComponent(
      "\(LedgerPaths.releaseDirectory(release))/approval-20990101T000000Z-carol-ffffff.json")
    try Data(repeating: UInt8(ascii: " "), count: 70_000).write(to: huge)
    try Data("x".utf8).write(to: URL(fileURLWithPath: huge.path + ".sig"))
    try world.git("add", ".", in: gov)
    try world.git("commit", "-q", "-m", "big", in: gov)
    let result = try world.govern(["status", release])
    #expect(result.status == 1)
    #expect(result.stdout.contains("70000 bytes, over the 65536-byte limit"))
  }
}
