import Foundation
import Ledger
import Testing

@Suite("the server is the gate: a real git daemon with the pre-receive and post-receive hooks")
struct ServerGateTests {
  @Test(
    "--no-verify does not get an unapproved tag past the server; an approved one lands with a receipt and a note"
  )
  func serverRefusesThenAccepts() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.git("tag", "v1.0.0")
    let refused = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("remote: git-govern: refs/tags/v1.0.0"))
    #expect(refused.stderr.contains("no release was requested"))
    #expect(refused.stderr.contains("pre-receive hook declined"))

    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    #expect(try server.serverRecords(release).contains { $0.contains("/approval-") })

    let pushed = try world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(pushed.stderr.contains("receipt for refs/tags/v1.0.0 -> \(release)"))
    let receipts = try server.serverRecords(release).filter {
      $0.contains("/receipt-") && $0.hasSuffix(".json")
    }
    #expect(receipts.count == 1)
    let receipt = try world.run(
      ["git", "show", "refs/heads/governance:\(receipts[0])"], in: server.bare
    ).stdout
    #expect(receipt.contains("\"pusher\":\"bob\"") && receipt.contains("\"actor\":\"server\""))
    let head = try world.git("rev-parse", "v1.0.0^{commit}")
    let note = try world.run(["git", "notes", "--ref=governance", "show", head], in: server.bare)
    #expect(note.stdout.contains("Release \(release): refs/tags/v1.0.0"))
    #expect(note.stdout.contains("Approved-by: carol (security)"))

    // The developer's sync brings the receipt and the note home, for `git log --notes=governance`.
    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    let log = try world.git("log", "-1", "--notes=governance", "v1.0.0")
    #expect(log.contains("Approved-by: carol"))
  }

  @Test("the pusher may not be the sole approver when the policy says so")
  func pusherNotSoleApprover() throws {
    let server = try ServerWorld(pusher: "carol")
    let world = server.world
    let policy = """
      version: 1
      protected: [refs/tags/v*]
      rules:
        - name: default
          approvals: 1
      separation_of_duties:
        pusher_may_be_sole_approver: false
      """
    try world.expectSuccess(world.applyPolicy(policy, by: server.team.alice))
    try world.git("tag", "v2.0.0")
    let release = try world.request("v2.0.0", to: "refs/tags/v2.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let refused = try world.run(["git", "push", "--no-verify", "origin", "v2.0.0"], in: world.work)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("carol is pushing and is the only approver"))
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.erin))
    #expect(
      try world.run(["git", "push", "--no-verify", "origin", "v2.0.0"], in: world.work).status == 0)
  }

  @Test("force-pushing a protected branch, deleting it, or moving a released tag is refused")
  func rewritesRefused() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("commit", "-q", "--amend", "-m", "rewritten history")
    let release = try world.request("HEAD", to: "refs/heads/main", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let forced = try world.run(
      ["git", "push", "--no-verify", "--force", "origin", "main"], in: world.work)
    #expect(forced.status != 0)
    #expect(forced.stderr.contains("not a fast-forward"))
    let deleted = try world.run(["git", "push", "--no-verify", "origin", ":main"], in: world.work)
    #expect(deleted.status != 0)
    #expect(deleted.stderr.contains("deleting it is not allowed"))
  }

  @Test("a forged or deleted record, or an unsigned governance commit, is refused by the server")
  func governanceBranchProtectsItself() throws {
    let server = try ServerWorld()
    let world = server.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let directory = "\(LedgerPaths.releaseDirectory(release))"
    let approval = try #require(
      try FileManager.default.contentsOfDirectory(
        atPath: gov.appendingPathComponent(directory).path
      ).first {
        $0.hasPrefix("approval-") && $0.hasSuffix(".json")
      })

    // Deleting a record (a plain, unsigned commit).
    try world.git("rm", "-q", "\(directory)/\(approval)", "\(directory)/\(approval).sig", in: gov)
    try world.git("commit", "-q", "-m", "forget carol", in: gov)
    let deleted = try world.run(
      ["git", "push", "--no-verify", "origin", "governance"], in: world.work)
    #expect(deleted.status != 0)
    #expect(deleted.stderr.contains("removes \(directory)/\(approval)"))
    #expect(deleted.stderr.contains("is not signed"))

    // A replayed record: carol's approval copied into another release's folder.
    try world.git("reset", "-q", "--hard", "HEAD~1", in: gov)
    try world.commit("other.txt", "x\n", by: server.team.bob)
    let other = try world.request("HEAD", to: "refs/tags/v1.1.0", as: server.team.bob)
    let replayed = try pushCopies(
      of: ["\(directory)/\(approval)", "\(directory)/\(approval).sig"],
      into: LedgerPaths.releaseDirectory(other), in: gov, signedBy: server.team.bob, world: world)
    #expect(replayed.status != 0)
    #expect(replayed.stderr.contains("a record replayed from another release"))

    // The same release's records copied under a shard that is not the release's own.
    let wrongShard = try pushCopies(
      of: ["\(directory)/\(approval)", "\(directory)/\(approval).sig"],
      into: "releases/zz/\(release)", in: gov, signedBy: server.team.bob, world: world)
    #expect(wrongShard.status != 0)
    #expect(
      wrongShard.stderr.contains("is not where git-govern keeps the records of \(release)"),
      "\(wrongShard.output)")
  }

  /// Copies governance files into `folder` on a fresh checkout of the branch, commits the
  /// copies signed by `signer` with plain git, and pushes past the client hook.
  func pushCopies(
    of files: [String], into folder: String, in gov: URL, signedBy signer: World.Persona,
    world: World
  ) throws -> World.Result {
    try world.git("reset", "-q", "--hard", "governance", in: gov)
    let copies = try files.map { file in
      (
        "\(folder)/\(URL(fileURLWithPath: file).lastPathComponent)",
        try Data(contentsOf: gov.appendingPathComponent(file))
      )
    }
    try world.commitGovernance(
      in: gov, files: copies, signedBy: signer, message: "copy into \(folder)")
    return try world.run(["git", "push", "--no-verify", "origin", "governance"], in: world.work)
  }

  @Test("four approvers approving at the same moment from their own clones all land on the server")
  func concurrentApproversAllLand() throws {
    let server = try ServerWorld()
    let world = server.world
    let policy = """
      version: 1
      protected: [refs/tags/v*]
      rules:
        - name: default
          approvals: 4
      """
    var approvers = [server.team.carol, server.team.erin]
    for name in ["frank", "grace"] {
      let persona = try world.persona(name)
      try world.register(persona, roles: ["security"], by: server.team.alice)
      approvers.append(persona)
    }
    try world.expectSuccess(world.applyPolicy(policy, by: server.team.alice))
    let release = try world.request("HEAD", to: "refs/tags/v3.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["sync"], as: server.team.alice))

    let clones = try approvers.map { try server.clone(for: $0) }
    var processes: [(Process, URL)] = []
    for clone in clones {
      let log = clone.appendingPathComponent("approve.log")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", "git govern approve \(release) --push > approve.log 2>&1"]
      process.currentDirectoryURL = clone
      var env = ProcessInfo.processInfo.environment
      env["PATH"] =
        URL(fileURLWithPath: World.binary).deletingLastPathComponent().path + ":"
        + (env["PATH"] ?? "/usr/bin:/bin")
      env["HOME"] = world.root.path
      env.removeValue(forKey: "GIT_CONFIG_PARAMETERS")
      process.environment = env
      try process.run()
      processes.append((process, log))
    }
    for (process, log) in processes {
      process.waitUntilExit()
      #expect(
        process.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }
    let approvals = try server.serverRecords(release).filter {
      $0.contains("/approval-") && $0.hasSuffix(".json")
    }
    #expect(approvals.count == 4, "\(approvals)")
    try world.expectSuccess(world.govern(["sync"], as: server.team.alice))
    #expect(try world.govern(["status", release]).status == 0)
  }
}
