import Foundation
import Testing

@Suite("git govern init")
struct InitTests {
  @Test(
    "init creates a signed orphan governance branch with the actor as first policy-admin, and installs the hook"
  )
  func initCreatesGovernanceBranch() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice)

    let commits = try world.git("rev-list", "refs/heads/governance").split(separator: "\n")
    let root = try world.git("rev-list", "--max-parents=0", "refs/heads/governance")
    #expect(commits.count == 2)
    let mainRoots = try world.git("rev-list", "--max-parents=0", "main")
    #expect(root != mainRoots, "the governance branch is an orphan")
    let files = try world.git("ls-tree", "--name-only", "refs/heads/governance").split(
      separator: "\n"
    ).map(String.init)
    #expect(
      files.contains("policy.yml") && files.contains("people.yml")
        && files.contains("repository.json"))
    let people = try world.git("show", "refs/heads/governance:people.yml")
    #expect(
      people.contains("alice:") && people.contains("policy-admin") && people.contains(alice.email))
    let repository = try world.git("show", "refs/heads/governance:repository.json")
    #expect(repository.contains("\"repo\":\"\(root)\""))

    // Both commits are signed with alice's key, as `git verify-commit` sees it.
    let signers = world.root.appendingPathComponent("allowed_signers").path
    try world.expectSuccess(world.govern(["identity", "export", "--allowed-signers", signers]))
    for commit in commits {
      let verified = try world.run(
        ["git", "-c", "gpg.ssh.allowedSignersFile=\(signers)", "verify-commit", String(commit)],
        in: world.work)
      #expect(verified.status == 0, "\(verified.output)")
      #expect(verified.stderr.contains("Good \"git\" signature for \(alice.email)"))
    }

    let hook = try String(
      contentsOf: world.work.appendingPathComponent(".git/hooks/pre-push"), encoding: .utf8)
    #expect(hook.contains("check --hook pre-push"))
  }

  @Test("a second init changes nothing and says so")
  func secondInitChangesNothing() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice)
    let before = try world.governanceTip()
    let again = try world.govern(["init"], as: alice)
    #expect(again.status == 0)
    #expect(again.stdout.contains("nothing changed"))
    #expect(try world.governanceTip() == before)
  }

  @Test("init --no-hooks leaves the hooks folder alone")
  func initWithoutHooks() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice, initGovernance: false)
    try world.expectSuccess(world.govern(["init", "--no-hooks"], as: alice))
    #expect(
      !FileManager.default.fileExists(
        atPath: world.work.appendingPathComponent(".git/hooks/pre-push").path))
  }

  @Test("init without user.email or a signing key is an input error that writes nothing")
  func initNeedsIdentity() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice, initGovernance: false)
    let noKey = try world.govern(
      ["init"], environment: ["GIT_CONFIG_PARAMETERS": "'user.signingkey'=''"])
    #expect(noKey.status == 2)
    #expect(noKey.stderr.contains("user.signingkey"))
    let missingKey = try world.govern(["init", "--key", "/nonexistent/key"], as: alice)
    #expect(missingKey.status == 2)
    #expect(missingKey.stderr.contains("/nonexistent/key"))
    #expect(
      try world.run(
        ["git", "rev-parse", "--verify", "-q", "refs/heads/governance"], in: world.work
      ).status != 0)
  }
}
