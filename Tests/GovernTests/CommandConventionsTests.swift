import Foundation
import Testing

/// The conventions every command shares: `--json` on what reports, `--signing-key` on what
/// signs (`--key` still working), `--at` taking a date, and errors in plain words.
@Suite("command conventions")
struct CommandConventionsTests {
  @Test("audit --json is audit --format json; asking for two formats is refused")
  func auditJSON() throws {
    let team = try Team()
    let world = team.world
    _ = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let now = ["GIT_GOVERN_NOW": "2030-01-01T10:00:00Z"]
    let json = try world.govern(["audit", "--json", "--no-cache"], environment: now)
    let format = try world.govern(["audit", "--format", "json", "--no-cache"], environment: now)
    #expect(json.status == format.status, "\(json.output)")
    #expect(json.stdout == format.stdout)
    #expect(json.stdout.hasPrefix("{"), "\(json.output)")
    let report = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(report?["finding_count"] != nil, "\(json.stdout)")
    let both = try world.govern(["audit", "--json", "--format", "html"])
    #expect(both.status == 2 && both.stderr.contains("--json and --format html"), "\(both.output)")
  }

  @Test("verify-pack --json reports each check: a sound pack holds, a changed one names the file")
  func verifyPackJSON() throws {
    let (team, release, _) = try EvidencePackTests.releaseWithEvidence()
    let world = team.world
    let pack = world.root.appendingPathComponent("pack.tar")
    try world.expectSuccess(
      world.govern(["export", "--release", release, "--out", pack.path], as: team.alice))
    let sound = try world.govern(["verify-pack", pack.path, "--json"], in: world.root)
    #expect(sound.status == 0, "\(sound.output)")
    let report = try JSONSerialization.jsonObject(with: Data(sound.stdout.utf8)) as? [String: Any]
    #expect(report?["holds"] as? Bool == true, "\(sound.stdout)")
    #expect((report?["passed"] as? [String])?.isEmpty == false, "\(sound.stdout)")

    let folder = world.root.appendingPathComponent("edit")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try world.expectSuccess(world.run(["tar", "-xf", pack.path], in: folder))
    let policy = folder.appendingPathComponent("govern-pack/policy.yml")
    try Data((try String(contentsOf: policy, encoding: .utf8) + "# edited\n").utf8).write(
      to: policy)
    let changed = world.root.appendingPathComponent("changed.tar")
    try world.expectSuccess(world.run(["tar", "-cf", changed.path, "govern-pack"], in: folder))
    let refused = try world.govern(["verify-pack", changed.path, "--json"], in: world.root)
    #expect(refused.status == 1, "\(refused.output)")
    let failed = try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any]
    #expect(failed?["holds"] as? Bool == false, "\(refused.stdout)")
    #expect(
      (failed?["failed"] as? [String])?.contains { $0.hasPrefix("policy.yml") } == true,
      "\(refused.stdout)")
  }

  @Test("--signing-key signs; --key, its old name, still does, hidden from help")
  func signingKeyFlag() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    // carol's identity comes from the flag alone: user.signingkey names nobody's key.
    let approved = try world.run(
      [
        "git", "-c", "user.email=\(team.carol.email)", "-c", "user.signingkey=/nonexistent",
        "govern", "approve", release, "--signing-key", team.carol.key,
      ], in: world.work)
    try world.expectSuccess(approved)
    #expect(approved.stdout.contains("Approved \(release)"), "\(approved.output)")
    let old = try world.run(
      [
        "git", "-c", "user.email=\(team.erin.email)", "-c", "user.signingkey=/nonexistent",
        "govern", "approve", release, "--key", team.erin.key,
      ], in: world.work)
    try world.expectSuccess(old)
    let two = try world.govern(
      [
        "reject", release, "--reason", "x", "--signing-key", team.carol.key, "--key", team.erin.key,
      ],
      as: team.carol)
    #expect(two.status == 2 && two.stderr.contains("name two keys"), "\(two.output)")
    let help = try world.govern(["approve", "-h"])
    #expect(help.stdout.contains("--signing-key <signing-key>"), "\(help.stdout)")
    #expect(!help.stdout.contains("--key"), "\(help.stdout)")
  }

  @Test("--at takes a date, meaning midnight UTC, as well as an RFC 3339 time")
  func atTakesADate() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let date = try world.govern(["status", release, "--json", "--at", "2030-12-01"])
    let time = try world.govern(["status", release, "--json", "--at", "2030-12-01T00:00:00Z"])
    #expect(date.status == time.status && date.stdout == time.stdout, "\(date.output)")
    #expect(date.stdout.contains("\"release\""), "\(date.output)")
    let bad = try world.govern(["status", release, "--at", "2030-13-01"])
    #expect(bad.status == 2, "\(bad.output)")
    #expect(
      bad.stderr.contains(
        "--at \"2030-13-01\" is not a time; write a date (2026-12-01, midnight UTC)"),
      "\(bad.output)")
  }

  @Test("not a git repository, a missing key file, no such release: plain words, no libgit2 names")
  func plainErrors() throws {
    let team = try Team()
    let world = team.world
    let outside = world.root.appendingPathComponent("plain")
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    let ceiling = ["GIT_CEILING_DIRECTORIES": world.root.path]
    let noRepository = try world.govern(["status", "HEAD"], in: outside, environment: ceiling)
    #expect(noRepository.status == 2, "\(noRepository.output)")
    #expect(
      noRepository.stderr.contains("not a git repository (or any parent): \(outside.path)"),
      "\(noRepository.output)")
    #expect(!noRepository.stderr.contains("git_"), "\(noRepository.output)")
    var traced = ceiling
    traced["GIT_GOVERN_TRACE"] = "1"
    let debugging = try world.govern(["status", "HEAD"], in: outside, environment: traced)
    #expect(debugging.stderr.contains("git_repository_open_ext("), "\(debugging.output)")

    let noKeyFile = try world.govern(
      ["identity", "add", "dave", "--email", "dave@example.com", "--key", "keys/dave.pub"],
      as: team.alice)
    #expect(noKeyFile.status == 2, "\(noKeyFile.output)")
    #expect(
      noKeyFile.stderr.contains("key file keys/dave.pub does not exist"), "\(noKeyFile.output)")
    let noSigningKey = try world.govern(
      ["pending", "--mine", "--signing-key", "keys/dave"], as: team.bob)
    #expect(noSigningKey.status == 2, "\(noSigningKey.output)")
    #expect(
      noSigningKey.stderr.contains("key file keys/dave does not exist"), "\(noSigningKey.output)")

    for command in [["approve", "r-deadbeef00"], ["status", "r-deadbeef00"]] {
      let noRelease = try world.govern(command, as: team.carol)
      #expect(noRelease.status == 2, "\(command): \(noRelease.output)")
      #expect(
        noRelease.stderr.contains("no release r-deadbeef00 on refs/heads/governance"),
        "\(command): \(noRelease.output)")
      #expect(!noRelease.stderr.contains("git_"), "\(command): \(noRelease.output)")
    }
  }
}
