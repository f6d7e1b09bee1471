import Foundation
import Ledger
import Testing

/// The gate is attacked by the people it governs: each of these must block (exit 1) or be
/// refused as bad input (exit 2) with a clear reason; none may pass, crash or hang.
@Suite("adversarial: the gate holds")
struct AdversarialTests {
  /// A release approved by carol, and a worktree of the governance branch for plain-git mischief.
  func approvedRelease(_ team: Team) throws -> (release: String, gov: URL, approval: String) {
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let gov = world.root.appendingPathComponent("gov-\(UUID().uuidString.prefix(6))")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let approval = try #require(
      try FileManager.default.contentsOfDirectory(
        atPath: gov.appendingPathComponent("\(LedgerPaths.releaseDirectory(release))").path
      )
      .first { $0.hasPrefix("approval-") && $0.hasSuffix(".json") })
    return (release, gov, "\(LedgerPaths.releaseDirectory(release))/\(approval)")
  }

  func commitAll(_ world: World, in gov: URL, _ message: String) throws {
    try world.git("add", "-A", ".", in: gov)
    try world.git("commit", "-q", "-m", message, in: gov)
  }

  @Test("a valid signature made in another namespace (git, file) is not a record signature")
  func otherNamespace() throws {
    for namespace in ["git", "file"] {
      let team = try Team()
      let world = team.world
      let (release, gov, approval) = try approvedRelease(team)
      try FileManager.default.removeItem(at: gov.appendingPathComponent(approval + ".sig"))
      try world.expectSuccess(
        world.run(
          [
            "ssh-keygen", "-Y", "sign", "-f", team.carol.key, "-n", namespace,
            gov.appendingPathComponent(approval).path,
          ], in: gov))
      try commitAll(world, in: gov, "re-sign")
      let result = try world.govern(["status", release])
      #expect(result.status == 1)
      #expect(
        result.stdout.contains("signed for namespace \"\(namespace)\", expected \"git-govern\""))
    }
  }

  @Test("an approval replayed from another repository's governance branch is refused")
  func replayFromAnotherRepository() throws {
    let team = try Team()
    let world = team.world
    let (release, gov, approval) = try approvedRelease(team)
    // A second repository with the same people and keys, whose governance root differs.
    let otherWorld = try World()
    try otherWorld.repository(admin: team.alice, commitsBy: team.bob)
    try otherWorld.register(team.bob, roles: ["developer"], by: team.alice)
    try otherWorld.register(team.carol, roles: ["security"], by: team.alice)
    let otherRelease = try otherWorld.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try otherWorld.expectSuccess(otherWorld.govern(["approve", otherRelease], as: team.carol))
    let foreign = try otherWorld.git(
      "ls-tree", "--name-only", "governance", "\(LedgerPaths.releaseDirectory(otherRelease))/"
    )
    .split(separator: "\n").first { $0.contains("/approval-") && $0.hasSuffix(".json") }.map(
      String.init)
    let path = try #require(foreign)
    var text = try otherWorld.git("show", "governance:\(path)") + "\n"
    text = text.replacingOccurrences(of: otherRelease, with: release)
    try Data(text.utf8).write(to: gov.appendingPathComponent(approval))
    try Data((try otherWorld.git("show", "governance:\(path).sig") + "\n").utf8).write(
      to: gov.appendingPathComponent(approval + ".sig"))
    try commitAll(world, in: gov, "borrow")
    let result = try world.govern(["status", release])
    #expect(result.status == 1)
    // Re-pointing the release id breaks the signature; the original bytes name another repository.
    #expect(result.stdout.contains("does not verify"))
    try Data((try otherWorld.git("show", "governance:\(path)") + "\n").utf8).write(
      to: gov.appendingPathComponent(approval))
    try commitAll(world, in: gov, "borrow as is")
    let asIs = try world.govern(["status", release])
    #expect(asIs.status == 1)
    #expect(asIs.stdout.contains("belongs to another repository"))
  }

  @Test("a record that is a symlink, or a submodule entry, in the governance tree fails closed")
  func hostileTreeEntries() throws {
    let team = try Team()
    let world = team.world
    let (release, gov, approval) = try approvedRelease(team)
    let link = gov.appendingPathComponent(
      "\(LedgerPaths.releaseDirectory(release))/approval-20990101T000000Z-carol-abcdef.json")
    try FileManager.default.createSymbolicLink(
      atPath: link.path, withDestinationPath: "../../\(approval)")
    try commitAll(world, in: gov, "link")
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("is not a plain file"))
  }

  @Test("a shallow clone whose range reaches past its depth fails closed with a clear message")
  func shallowClone() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let shallow = try world.shallowClone("shallow")
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"], in: shallow)
    #expect(result.status == 1)
    #expect(
      result.stdout.contains("shallow clone") && result.stdout.contains("git fetch --unshallow"))
  }

  @Test("a corrupt object on a protected push fails closed")
  func corruptObject() throws {
    let team = try Team()
    let world = team.world
    let (release, _, approval) = try approvedRelease(team)
    let blob = try world.git("rev-parse", "governance:\(approval)")
    let object = world.work.appendingPathComponent(
      ".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object.path)
    try Data("not zlib at all".utf8).write(to: object)
    let result = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(result.status == 1)
    #expect(
      result.stdout.contains(release) || result.stdout.contains("cannot be read")
        || result.stdout.contains("could not be checked"))
  }

  @Test(
    "the same person counted twice through a second key, a second email, and case variants counts once"
  )
  func onePersonCountsOnce() throws {
    let team = try Team()
    let world = team.world
    let carolLaptop = try world.persona("carol-laptop", email: "Carol+Laptop@Example.com")
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "carol", "--key", carolLaptop.publicKey, "--email",
          "carol.alt@example.com",
        ], as: team.alice))
    let release = try world.request(
      "HEAD", to: "refs/tags/v2.0.0", as: team.bob, extra: ["--risk", "high"])
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.expectSuccess(world.govern(["approve", release], as: carolLaptop))
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(status.stdout.contains("needs 1 more approval (rule \"high-risk\" wants 2, has 1)"))
  }

  @Test("an approval of commit A does not cover commit B, nor a rebase of A with another tree")
  func approvalOfAnotherCommit() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.git("commit", "-q", "--amend", "-m", "same change, new message")
    let amended = try world.govern(["check", "HEAD", "--to", "refs/heads/main"])
    #expect(amended.status == 1)
    try world.commit("other.txt", "different tree\n", by: team.bob)
    #expect(try world.govern(["check", "HEAD", "--to", "refs/heads/main"]).status == 1)
  }

  @Test(
    "a governance commit whose signature hides in the message, or that carries two gpgsig headers, is refused by the server's check"
  )
  func commitSignatureConfusion() throws {
    let server = try ServerWorld()
    let world = server.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: server.team.carol))
    // Re-create the tip commit with its signature moved into the message.
    let tip = try world.git("rev-parse", "governance")
    let raw = try world.git("cat-file", "commit", tip)
    var header: [String] = []
    var signature: [String] = []
    var inSignature = false
    var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let line = lines.first, !line.isEmpty {
      lines.removeFirst()
      if line.hasPrefix("gpgsig ") {
        inSignature = true
        signature.append(String(line.dropFirst(7)))
      } else if inSignature, line.hasPrefix(" ") {
        signature.append(String(line.dropFirst()))
      } else {
        inSignature = false
        header.append(line)
      }
    }
    let moved =
      header.joined(separator: "\n") + "\n" + lines.joined(separator: "\n") + "\n"
      + signature.joined(separator: "\n") + "\n"
    let file = world.root.appendingPathComponent("moved.commit")
    try Data(moved.utf8).write(to: file)
    let forged = try world.git("hash-object", "-t", "commit", "-w", file.path)
    try world.git("update-ref", "refs/heads/governance", forged)
    let pushed = try world.run(
      ["git", "push", "--no-verify", "origin", "governance"], in: world.work)
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("is not signed"))
  }
}
