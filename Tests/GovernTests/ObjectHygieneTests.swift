import Foundation
import Ledger
import Testing

/// Objects written with `git hash-object --literally`, which git itself would not write: a
/// tree holding one name twice, a people line that git and libgit2 read as different people,
/// and a merge that brings in the root of another history.
@Suite("object hygiene: objects git and libgit2 read two ways do not get past the checks")
struct ObjectHygieneTests {
  // MARK: Writing objects as they are

  struct Entry {
    var mode: String
    var type: String
    var oid: String
    var name: String
  }

  /// `git ls-tree` of `tree`, in the tree's order.
  func entries(_ tree: String, _ world: World, in repository: URL) throws -> [Entry] {
    try world.git("ls-tree", tree, in: repository).split(separator: "\n").map { line in
      let (meta, name) = (
        line.split(separator: "\t", maxSplits: 1)[0], line.split(separator: "\t", maxSplits: 1)[1]
      )
      let fields = meta.split(separator: " ").map(String.init)
      return Entry(mode: fields[0], type: fields[1], oid: fields[2], name: String(name))
    }
  }

  /// A tree object holding exactly `entries`, in the order given, unchecked.
  func literalTree(_ entries: [Entry], _ world: World, in repository: URL) throws -> String {
    var bytes: [UInt8] = []
    for entry in entries {
      bytes += Array("\(entry.mode) \(entry.name)".utf8) + [0]
      var hex = Substring(entry.oid)
      while !hex.isEmpty {
        bytes.append(UInt8(hex.prefix(2), radix: 16)!)
        hex = hex.dropFirst(2)
      }
    }
    let file = world.root.appendingPathComponent("tree-\(UUID().uuidString)")
    try Data(bytes).write(to: file)
    return try world.git(
      "hash-object", "-t", "tree", "--literally", "-w", file.path, in: repository)
  }

  /// A commit object with exactly this text, unchecked.
  func literalCommit(_ text: String, _ world: World, in repository: URL) throws -> String {
    let file = world.root.appendingPathComponent("commit-\(UUID().uuidString)")
    try Data(text.utf8).write(to: file)
    return try world.git(
      "hash-object", "-t", "commit", "--literally", "-w", file.path, in: repository)
  }

  /// A commit of `tree` on `parents`, signed by `signer` with plain git.
  func signedCommit(
    _ tree: String, parents: [String], by signer: World.Persona, _ world: World
  ) throws -> String {
    var command = [
      "git", "-c", "gpg.format=ssh", "-c", "user.signingkey=\(signer.key)", "-c",
      "user.name=\(signer.id)", "-c", "user.email=\(signer.email)", "commit-tree", "-S", tree,
      "-m", "records",
    ]
    for parent in parents { command += ["-p", parent] }
    let result = try world.run(command, in: world.work)
    try world.expectSuccess(result)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The governance tip with a second `request.json` in `release`'s folder, a forged one
  /// naming another commit, beside the real one: the server verifies one, a clone may read
  /// the other. Signed by bob, and made the work repository's governance branch.
  func governanceWithDuplicateRequest(_ release: String, team: Team) throws -> String {
    let world = team.world
    let tip = try world.git("rev-parse", "refs/heads/governance")
    let real = try world.git(
      "show", "refs/heads/governance:\(LedgerPaths.request(release))")
    let forgedFile = world.root.appendingPathComponent("forged-request.json")
    try Data(real.replacingOccurrences(of: "\"title\"", with: "\"forged\"").utf8).write(
      to: forgedFile)
    let forged = try world.git("hash-object", "-w", forgedFile.path)
    // From the release folder up to the root, each tree rebuilt around the changed one.
    let parts = LedgerPaths.releaseDirectory(release).split(separator: "/").map(String.init)
    var trees = [try world.git("rev-parse", "\(tip)^{tree}")]
    for part in parts {
      let entry = try #require(
        try entries(trees.last!, world, in: world.work).first { $0.name == part })
      trees.append(entry.oid)
    }
    var folder = try entries(trees.last!, world, in: world.work)
    let index = try #require(folder.firstIndex { $0.name == "request.json" })
    folder.insert(
      Entry(mode: "100644", type: "blob", oid: forged, name: "request.json"), at: index + 1)
    var changed = try literalTree(folder, world, in: world.work)
    for (part, tree) in zip(parts, trees.dropLast()).reversed() {
      let rebuilt = try entries(tree, world, in: world.work).map {
        $0.name == part ? Entry(mode: $0.mode, type: $0.type, oid: changed, name: part) : $0
      }
      changed = try literalTree(rebuilt, world, in: world.work)
    }
    let commit = try signedCommit(changed, parents: [tip], by: team.bob, world)
    try world.git("update-ref", "refs/heads/governance", commit)
    return commit
  }

  /// A governance commit on the tip whose author line reads as bob to git and as alice to
  /// libgit2, made the work repository's governance branch.
  func governanceWithAmbiguousAuthor(_ team: Team) throws -> String {
    let world = team.world
    let tip = try world.git("rev-parse", "refs/heads/governance")
    let tree = try world.git("rev-parse", "\(tip)^{tree}")
    let commit = try literalCommit(
      "tree \(tree)\nparent \(tip)\n"
        + "author bob <bob@example.com> <alice@example.com> 1700000000 +0000\n"
        + "committer bob <bob@example.com> 1700000000 +0000\n\nwho wrote this?\n", world,
      in: world.work)
    try world.git("update-ref", "refs/heads/governance", commit)
    return commit
  }

  /// A merge of the governance tip with an orphan commit (signed, as all governance commits
  /// are) whose tree is the tip's plus a file no check ever read: the merge brings it in as
  /// "not new to every parent". Made the work repository's governance branch; returns the
  /// orphan's id.
  func governanceMergingForeignRoot(_ team: Team) throws -> String {
    let world = team.world
    let tip = try world.git("rev-parse", "refs/heads/governance")
    let file = world.root.appendingPathComponent("unchecked.txt")
    try Data("never verified\n".utf8).write(to: file)
    let blob = try world.git("hash-object", "-w", file.path)
    let tree = try literalTree(
      try entries("\(tip)^{tree}", world, in: world.work)
        + [Entry(mode: "100644", type: "blob", oid: blob, name: "zz-unchecked.txt")], world,
      in: world.work)
    let orphan = try signedCommit(tree, parents: [], by: team.bob, world)
    let merge = try signedCommit(tree, parents: [tip, orphan], by: team.bob, world)
    try world.git("update-ref", "refs/heads/governance", merge)
    return orphan
  }

  // MARK: The governance branch, on a server with both hooks

  @Test(
    "hooks install --server turns on receive.fsckObjects, and the pre-receive refuses a governance tree with a duplicate entry without it"
  )
  func duplicateTreeEntryRefusedByServer() throws {
    let server = try ServerWorld()
    let world = server.world
    #expect(try world.git("config", "receive.fsckObjects", in: server.bare) == "true")
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "-q", "origin", "governance"], in: world.work))
    // The server's post-receive added its acceptance receipt: build on top of it.
    try world.git("fetch", "-q", "origin", "governance:governance")
    let before = try world.git("rev-parse", "refs/heads/governance", in: server.bare)
    let commit = try governanceWithDuplicateRequest(release, team: server.team)

    // git's own fsck refuses it first ...
    let byGit = try world.run(
      ["git", "push", "--no-verify", "origin", "governance"], in: world.work)
    #expect(byGit.status != 0)
    // ... and without it, the check itself does, over git daemon and over the file transport.
    try world.git("config", "receive.fsckObjects", "false", in: server.bare)
    for destination in [server.url, server.bare.path] {
      let refused = try world.run(
        ["git", "push", "--no-verify", destination, "governance"], in: world.work)
      #expect(refused.status != 0)
      #expect(
        refused.stderr.contains(
          "governance commit \(commit.prefix(10)): its tree holds two entries named \(LedgerPaths.request(release))"
        ), "\(refused.output)")
    }
    #expect(try world.git("rev-parse", "refs/heads/governance", in: server.bare) == before)
  }

  @Test("a governance commit whose author line git and libgit2 read as different people is refused")
  func ambiguousGovernanceAuthorRefusedByServer() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("config", "receive.fsckObjects", "false", in: server.bare)
    let commit = try governanceWithAmbiguousAuthor(server.team)
    for destination in [server.url, server.bare.path] {
      let refused = try world.run(
        ["git", "push", "--no-verify", destination, "governance"], in: world.work)
      #expect(refused.status != 0)
      #expect(
        refused.stderr.contains(
          "governance commit \(commit.prefix(10)): its author line \"author bob <bob@example.com> <alice@example.com>"
        ), "\(refused.output)")
      #expect(refused.stderr.contains("has 2 '<' and 2 '>'"))
    }
  }

  @Test("a merge that brings in the root of another history is refused, and so is that root")
  func foreignRootMergeRefusedByServer() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("config", "receive.fsckObjects", "false", in: server.bare)
    let orphan = try governanceMergingForeignRoot(server.team)
    for destination in [server.url, server.bare.path] {
      let refused = try world.run(
        ["git", "push", "--no-verify", destination, "governance"], in: world.work)
      #expect(refused.status != 0)
      #expect(
        refused.stderr.contains(
          "merges \(orphan.prefix(10)), the root of another history"), "\(refused.output)")
      #expect(refused.stderr.contains("governance commit \(orphan.prefix(10)) is a root commit"))
    }
  }

  @Test("the audit reports each of them where they were written with no hook to refuse them")
  func auditFindsGovernanceObjects() throws {
    for attack in 0..<3 {
      let team = try Team()
      let world = team.world
      let expected: String
      switch attack {
      case 0:
        let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
        _ = try governanceWithDuplicateRequest(release, team: team)
        expected = "its tree holds two entries named \(LedgerPaths.request(release))"
      case 1:
        _ = try governanceWithAmbiguousAuthor(team)
        expected = "its author line \"author bob <bob@example.com> <alice@example.com>"
      default:
        let orphan = try governanceMergingForeignRoot(team)
        expected = "merges \(orphan.prefix(10)), the root of another history"
      }
      let audit = try world.govern(["audit", "--format", "json"])
      #expect(audit.status == 1, "\(audit.output)")
      let json =
        try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any] ?? [:]
      let findings = json["findings"] as? [[String: Any]] ?? []
      #expect(
        findings.contains {
          $0["check"] as? String == "governance-history"
            && ($0["message"] as? String ?? "").contains(expected)
        }, "\(attack): \(findings)")
    }
  }

  // MARK: Commits in a release range

  /// A commit on main whose author line reads as bob to git and as erin to libgit2.
  func ambiguousCommitOnMain(_ world: World) throws -> String {
    let head = try world.git("rev-parse", "HEAD")
    let tree = try world.git("rev-parse", "HEAD^{tree}")
    let commit = try literalCommit(
      "tree \(tree)\nparent \(head)\n"
        + "author bob <bob@example.com> <erin@example.com> 1700000000 +0000\n"
        + "committer bob <bob@example.com> 1700000000 +0000\n\nwho wrote this?\n", world,
      in: world.work)
    try world.git("update-ref", "refs/heads/main", commit)
    return commit
  }

  @Test(
    "an approved release whose range holds a commit with an ambiguous author is refused by the server, naming the commit"
  )
  func ambiguousCommitInRangeRefused() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("config", "receive.fsckObjects", "false", in: server.bare)
    let commit = try ambiguousCommitOnMain(world)
    let release = try world.request(commit, to: "refs/heads/main", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    // status, like the gate, names the commit nobody can attribute.
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(status.stdout.contains("identity: commit \(commit.prefix(10))"), "\(status.stdout)")
    for destination in [server.url, server.bare.path] {
      let refused = try world.run(
        ["git", "push", "--no-verify", destination, "main"], in: world.work)
      #expect(refused.status != 0)
      #expect(
        refused.stderr.contains(
          "commit \(commit.prefix(10)) in the release range cannot be attributed: its author line"),
        "\(refused.output)")
      #expect(refused.stderr.contains("<bob@example.com> <erin@example.com>"))
    }
    #expect(
      try world.git("rev-parse", "refs/heads/main", in: server.bare) != commit)
  }

  @Test("the audit reports a commit with an ambiguous author in a release's range")
  func auditFindsAmbiguousCommitInRange() throws {
    let team = try Team()
    let world = team.world
    let commit = try ambiguousCommitOnMain(world)
    let release = try world.request(commit, to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let audit = try world.govern(["audit", "--format", "json"])
    #expect(audit.status == 1)
    let json =
      try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any] ?? [:]
    let findings = json["findings"] as? [[String: Any]] ?? []
    #expect(
      findings.contains {
        $0["check"] as? String == "identity" && $0["release"] as? String == release
          && $0["commit"] as? String == commit
          && ($0["message"] as? String ?? "").contains("cannot be attributed")
      }, "\(findings)")
  }
}
