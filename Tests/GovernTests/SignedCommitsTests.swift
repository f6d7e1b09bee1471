import Foundation
import Ledger
import Testing

/// Authorship an insider can type: `git commit --author`, a `.mailmap` in the code, an address
/// with a Cyrillic letter. With `signed_commits: true` the gate counts who signed each commit,
/// and every identity resolves only through people.yml.
@Suite("authenticated authorship: signed commits, co-authors, people.yml's mailmap")
struct SignedCommitsTests {
  static let signedPolicy = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    separation_of_duties:
      requester_may_approve: false
      authors_may_approve: false
      signed_commits: true
    approval_ttl: 72h
    admins:
      approvals: 1

    """

  /// v1.0.0, bob's unsigned history, released with carol's approval before commits had to be
  /// signed: later releases' ranges start after it. Pushed through `server` when there is one.
  static func releaseBaseline(_ team: Team, server: ServerWorld? = nil) throws {
    let world = team.world
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(
      world.govern(["approve", release] + (server == nil ? [] : ["--push"]), as: team.carol))
    if server != nil {
      try world.expectSuccess(world.run(["git", "push", "-q", "origin", "v1.0.0"], in: world.work))
    }
  }

  /// The team's world with the baseline released and `signed_commits: true` in force.
  static func signedWorld(_ team: Team, server: ServerWorld? = nil) throws {
    try releaseBaseline(team, server: server)
    try team.world.expectSuccess(team.world.applyPolicy(signedPolicy, by: team.alice))
    if server != nil { try team.world.expectSuccess(team.world.govern(["sync"], as: team.alice)) }
  }

  /// A commit signed with `signer`'s key (or `key`, a private key's path), made as `signer`
  /// unless `as` names someone else: then author and committer both claim to be them.
  static func signedCommit(
    _ world: World, _ file: String, signedBy signer: World.Persona, key: String? = nil,
    as claimed: World.Persona? = nil, message: String? = nil
  ) throws {
    try Data("\(file)\n".utf8).write(to: world.work.appendingPathComponent(file))
    try world.git("add", file)
    let identity = claimed ?? signer
    let command = [
      "git", "-c", "user.name=\(identity.id)", "-c", "user.email=\(identity.email)", "-c",
      "user.signingkey=\(key ?? signer.key)", "-c", "gpg.format=ssh", "commit", "-q", "-S",
      "-m", message ?? "edit \(file)",
    ]
    try world.expectSuccess(world.run(command, in: world.work))
  }

  /// An approval by `approver` of `release` written by hand, as an insider whose client refused
  /// to approve could: a copy of one of their approvals bound to this release, signed with
  /// their key, in a governance commit they sign. Pushed to `remote` when given.
  static func forgeApproval(
    _ world: World, release: String, by approver: World.Persona, pushTo remote: String? = nil
  ) throws {
    let listing = try world.git("ls-tree", "-r", "--name-only", "governance", "releases/")
    let template = try #require(
      listing.split(separator: "\n").map(String.init).first {
        $0.contains("/approval-") && $0.contains("-\(approver.id)-") && $0.hasSuffix(".json")
      })
    var record =
      try JSONSerialization.jsonObject(
        with: Data(try world.git("show", "governance:\(template)").utf8)) as! [String: Any]
    let request =
      try JSONSerialization.jsonObject(
        with: Data(
          try world.git("show", "governance:\(LedgerPaths.request(release))").utf8))
      as! [String: Any]
    record["release"] = release
    for field in ["target", "tree", "ref"] { record[field] = request[field] }
    record["policy"] = try world.git("rev-parse", "governance:policy.yml")
    let gov = world.root.appendingPathComponent("forge-\(UUID().uuidString.prefix(6))")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let path =
      "\(LedgerPaths.releaseDirectory(release))/\((template as NSString).lastPathComponent)"
    let file = gov.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    let bytes = try JSONSerialization.data(
      withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
    try (bytes + Data("\n".utf8)).write(to: file)
    try world.expectSuccess(
      world.run(
        ["ssh-keygen", "-q", "-Y", "sign", "-f", approver.key, "-n", "git-govern", file.path],
        in: gov))
    try world.git("add", "-A", ".", in: gov)
    try world.expectSuccess(
      world.run(
        [
          "git", "-c", "user.name=\(approver.id)", "-c", "user.email=\(approver.email)", "-c",
          "user.signingkey=\(approver.key)", "-c", "gpg.format=ssh", "commit", "-q", "-S", "-m",
          "approve \(release)",
        ], in: gov))
    try world.git("worktree", "remove", "--force", gov.path)
    if let remote {
      try world.expectSuccess(
        world.run(["git", "push", "-q", "--no-verify", remote, "governance"], in: world.work))
    }
  }

  /// Pushes `tag` past the client hook to `remote`; the server's answer.
  static func push(_ world: World, _ tag: String, to remote: String = "origin") throws
    -> World.Result
  {
    try world.run(["git", "push", "--no-verify", remote, tag], in: world.work)
  }

  @Test(
    "carol commits as bob, signed with her own key; her approval is refused by approve and, forged, by the server"
  )
  func signerCannotApprove() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.signedWorld(team, server: server)
    try Self.signedCommit(world, "carol.txt", signedBy: team.carol, as: team.bob)
    #expect(try world.git("log", "-1", "--format=%ae %ce") == "bob@example.com bob@example.com")
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    let refused = try world.govern(["approve", release], as: team.carol)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("carol signed"), "\(refused.output)")
    try world.expectSuccess(world.govern(["sync"], as: team.bob))

    try Self.forgeApproval(world, release: release, by: team.carol, pushTo: "origin")
    let pushed = try Self.push(world, "v1.1.0")
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("remote: git-govern: refs/tags/v1.1.0"))
    #expect(
      pushed.stderr.contains("not counted: carol signed")
        && pushed.stderr.contains("and the policy does not let authors approve"),
      "\(pushed.output)")
    #expect(pushed.stderr.contains("needs 1 more approval"))
  }

  @Test(
    "an unsigned commit blocks at the server (file transport), naming it and the fix; signed, it lands"
  )
  func unsignedCommitBlocks() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.signedWorld(team, server: server)
    try world.commit("plain.txt", "unsigned\n", by: team.bob)
    let unsigned = try world.git("rev-parse", "HEAD")
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    let refused = try Self.push(world, "v1.1.0", to: server.bare.path)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("commit \(unsigned.prefix(10)) is not signed"), "\(refused.output)")
    #expect(refused.stderr.contains("git commit --amend --no-edit -S"))
    #expect(try world.govern(["status", release]).stdout.contains("is not signed"))

    // bob signs it with his registered key: a new commit, requested and approved again.
    try world.expectSuccess(
      world.run(
        [
          "git", "-c", "user.signingkey=\(team.bob.key)", "-c", "gpg.format=ssh", "commit", "-q",
          "--amend", "--no-edit", "-S",
        ], in: world.work))
    try world.git("tag", "-f", "v1.1.0")
    let signed = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", signed, "--push"], as: team.carol))
    let landed = try Self.push(world, "v1.1.0", to: server.bare.path)
    #expect(landed.status == 0, "\(landed.output)")
  }

  @Test("a commit signed by a key nobody registered blocks at the server, naming the key")
  func unknownSignerBlocks() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.signedWorld(team, server: server)
    let laptop = try world.persona("bob-laptop", email: team.bob.email)
    try Self.signedCommit(world, "laptop.txt", signedBy: team.bob, key: laptop.key)
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    let fingerprint = try world.run(["ssh-keygen", "-l", "-f", laptop.publicKey], in: world.root)
      .stdout.split(separator: " ")[1]
    let refused = try Self.push(world, "v1.1.0")
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("is signed by key \(fingerprint), which nobody registered"),
      "\(refused.output)")
    #expect(refused.stderr.contains("git govern identity add <who> --key"))
  }

  @Test(
    "a commit whose signature no longer matches its bytes, and one signed with a revoked key, block"
  )
  func brokenAndRevokedSignaturesBlock() throws {
    let team = try Team()
    let world = team.world
    try Self.signedWorld(team)
    // bob's signed commit with its message changed afterwards, the gpgsig header kept.
    try Self.signedCommit(world, "edited.txt", signedBy: team.bob)
    let raw = try world.git("cat-file", "commit", "HEAD") + "\n"
    let edited = try world.run(
      ["git", "hash-object", "-t", "commit", "-w", "--stdin"], in: world.work,
      stdin: raw.replacingOccurrences(of: "edit edited.txt", with: "edit edited.txt, and more"))
    try world.expectSuccess(edited)
    let tampered = edited.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    try world.git("tag", "v1.1.0", tampered)
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let broken = try world.govern(["check", "v1.1.0", "--to", "refs/tags/v1.1.0"])
    #expect(broken.status == 1)
    #expect(
      broken.stdout.contains("commit \(tampered.prefix(10)) has a signature that does not verify"),
      "\(broken.output)")

    // A second key of bob's signs a commit, then is revoked.
    let laptop = try world.persona("bob-laptop", email: team.bob.email)
    try world.expectSuccess(
      world.govern(["identity", "add", "bob", "--key", laptop.publicKey], as: team.alice))
    try world.git("checkout", "-q", "main")
    try Self.signedCommit(world, "laptop.txt", signedBy: team.bob, key: laptop.key)
    try world.git("tag", "v1.2.0")
    let second = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second], as: team.carol))
    try world.expectSuccess(
      world.govern(["check", "v1.2.0", "--to", "refs/tags/v1.2.0"]))
    let fingerprint = try world.run(["ssh-keygen", "-l", "-f", laptop.publicKey], in: world.root)
      .stdout.split(separator: " ")[1]
    try world.expectSuccess(
      world.govern(
        ["identity", "revoke", "bob", "--key", String(fingerprint), "--reason", "laptop lost"],
        as: team.alice))
    let revoked = try world.govern(["check", "v1.2.0", "--to", "refs/tags/v1.2.0"])
    #expect(revoked.status == 1)
    #expect(
      revoked.stdout.contains("signed with bob's key \(fingerprint), revoked at")
        && revoked.stdout.contains("laptop lost"), "\(revoked.output)")
  }

  @Test(
    "an OpenPGP-signed commit counts once its key's fingerprint is registered, verified by gpg at the server"
  )
  func openPGPSignatures() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    // gpg's home is under HOME, the world's root, for the work repository and the server alike.
    let gnupg = world.root.appendingPathComponent(".gnupg")
    try FileManager.default.createDirectory(
      at: gnupg, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { _ = try? world.run(["gpgconf", "--kill", "gpg-agent"], in: world.root) }
    try world.expectSuccess(
      world.run(
        [
          "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "bob <bob@example.com>",
          "ed25519", "sign", "never",
        ], in: world.root))
    let colons = try world.run(
      ["gpg", "--batch", "--with-colons", "--list-keys", "bob@example.com"], in: world.root
    ).stdout
    let fingerprint = try #require(
      colons.split(separator: "\n").first { $0.hasPrefix("fpr:") }?.split(
        separator: ":", omittingEmptySubsequences: false)[9])
    try Self.signedWorld(team, server: server)
    try Data("pgp\n".utf8).write(to: world.work.appendingPathComponent("pgp.txt"))
    try world.git("add", "pgp.txt")
    try world.expectSuccess(
      world.run(
        [
          "git", "-c", "user.name=bob", "-c", "user.email=bob@example.com", "-c",
          "gpg.format=openpgp", "-c", "user.signingkey=\(fingerprint)", "commit", "-q", "-S", "-m",
          "signed with OpenPGP",
        ], in: world.work))
    #expect(try world.git("cat-file", "commit", "HEAD").contains("BEGIN PGP SIGNATURE"))
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    let refused = try Self.push(world, "v1.1.0")
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("is signed by key OpenPGP \(fingerprint), which nobody registered"),
      "\(refused.output)")

    let wrong = try world.govern(["identity", "add", "bob", "--pgp", "not-hex"], as: team.alice)
    #expect(wrong.status == 2 && wrong.stderr.contains("is not an OpenPGP fingerprint"))
    try world.expectSuccess(
      world.govern(
        ["identity", "add", "bob", "--pgp", String(fingerprint), "--push"], as: team.alice))
    let landed = try Self.push(world, "v1.1.0")
    #expect(landed.status == 0, "\(landed.output)")
  }

  @Test("a Co-authored-by trailer naming carol disqualifies her, in approve and at the server")
  func coAuthorDisqualified() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.signedWorld(team, server: server)
    try Self.signedCommit(
      world, "pair.txt", signedBy: team.bob,
      message: "Pair on the fix\n\nCo-authored-by: Carol Sec <carol@example.com>\n")
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    let refused = try world.govern(["approve", release], as: team.carol)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("carol co-authored"), "\(refused.output)")
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    try Self.forgeApproval(world, release: release, by: team.carol, pushTo: "origin")
    let pushed = try Self.push(world, "v1.1.0")
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("not counted: carol co-authored"), "\(pushed.output)")
    // erin, who took no part, may approve it.
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.erin))
    #expect(try Self.push(world, "v1.1.0").status == 0)
  }

  @Test(
    "a .mailmap in the code mapping carol's address to bob's does not make carol eligible, at the client or the server"
  )
  func codeMailmapIgnored() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.releaseBaseline(team, server: server)
    try world.commit("carol.txt", "by carol\n", by: team.carol)
    try Data("bob <bob@example.com> <carol@example.com>\n".utf8).write(
      to: world.work.appendingPathComponent(".mailmap"))
    try world.git("add", ".mailmap")
    try world.git("commit", "-q", "-m", "mailmap")
    #expect(try world.git("log", "-2", "--use-mailmap", "--format=%aE").contains("carol") == false)
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    let refused = try world.govern(["approve", release], as: team.carol)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("carol authored or committed"), "\(refused.output)")
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    try Self.forgeApproval(world, release: release, by: team.carol, pushTo: "origin")
    let pushed = try Self.push(world, "v1.1.0")
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("not counted: carol authored or committed"), "\(pushed.output)")
  }

  @Test(
    "people.yml's mailmap adds an address to a person, and never takes one from its own person")
  func peopleMailmapOnlyAdds() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.releaseBaseline(team, server: server)
    // A line mapping to someone else's address is refused; these two are in force.
    let wrong = try world.govern(
      ["identity", "add", "carol", "--mailmap", "Carol <bob@example.com> <c@laptop.example>"],
      as: team.alice)
    #expect(wrong.status == 2)
    #expect(wrong.stderr.contains("which is not one of carol's emails"), "\(wrong.output)")
    try world.expectSuccess(
      world.govern(
        ["identity", "add", "carol", "--mailmap", "Carol <carol@example.com> <c@laptop.example>"],
        as: team.alice))
    try world.expectSuccess(
      world.govern(
        ["identity", "add", "erin", "--mailmap", "Erin <erin@example.com> <carol@example.com>"],
        as: team.alice))
    #expect(try world.git("show", "governance:people.yml").contains("mailmap:"))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))

    // carol commits from her laptop's address, and once as herself (which maps to erin).
    try world.commit("laptop.txt", "x\n", by: team.carol, email: "c@laptop.example")
    try world.git("tag", "v1.1.0")
    let laptop = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    let refusedLaptop = try world.govern(["approve", laptop], as: team.carol)
    #expect(refusedLaptop.status == 1)
    #expect(refusedLaptop.stderr.contains("carol authored or committed"), "\(refusedLaptop.output)")

    try world.commit("own.txt", "y\n", by: team.carol)
    try world.git("tag", "v1.2.0")
    let own = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    for persona in [team.carol, team.erin] {
      let refused = try world.govern(["approve", own], as: persona)
      #expect(refused.status == 1, "\(persona.id): \(refused.output)")
      #expect(refused.stderr.contains("\(persona.id) authored or committed"), "\(refused.output)")
    }
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    try Self.forgeApproval(world, release: laptop, by: team.carol, pushTo: "origin")
    let pushed = try Self.push(world, "v1.1.0")
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("not counted: carol authored or committed"), "\(pushed.output)")
  }

  @Test(
    "an address with a Cyrillic letter passing for carol's is warned about in status, check and at the server"
  )
  func confusableIdentityWarned() throws {
    let server = try ServerWorld()
    let team = server.team
    let world = server.world
    try Self.releaseBaseline(team, server: server)
    try world.commit("spoof.txt", "x\n", by: team.bob, email: "c\u{0430}rol@example.com")
    try world.git("tag", "v1.1.0")
    let release = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.erin))
    let lookalike = "c\u{0430}rol@example.com (authored or committed"
    let status = try world.govern(["status", release, "--json"])
    #expect(status.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
    #expect(json["status"] as? String == "ready_with_warnings")
    let checks = json["checks"] as? [[String: Any]] ?? []
    let warning = try #require(checks.first { $0["name"] as? String == "identities" })
    #expect(warning["status"] as? String == "warn")
    #expect(
      (warning["message"] as? String ?? "").contains("looks like carol's carol@example.com"),
      "\(warning)")
    let check = try world.govern(["check", "v1.1.0", "--to", "refs/tags/v1.1.0"])
    #expect(check.status == 0)
    #expect(check.stdout.contains(lookalike) && check.stdout.contains("looks like carol's"))
    let pushed = try Self.push(world, "v1.1.0")
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(pushed.stderr.contains("remote:") && pushed.stderr.contains("looks like carol's"))
  }
}

/// The same releases made where no hook stood guard, found afterwards by the audit.
@Suite("audit: authorship the hooks did not see")
struct SignedCommitsAuditTests {
  /// A bare repository without hooks holding everything the work repository has, audited.
  func auditWithoutHooks(_ world: World) throws -> [[String: Any]] {
    let plain = world.root.appendingPathComponent("plain.git")
    try world.expectSuccess(world.run(["git", "init", "-q", "--bare", plain.path], in: world.root))
    try world.expectSuccess(
      world.run(
        [
          "git", "push", "-q", "--no-verify", plain.path, "refs/heads/governance",
          "refs/tags/*:refs/tags/*",
        ], in: world.work))
    let result = try world.govern(["audit", "--format", "json"], in: plain)
    #expect(result.status == 1, "\(result.output)")
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return json?["findings"] as? [[String: Any]] ?? []
  }

  func finding(
    _ findings: [[String: Any]], check: String, release: String, saying text: String,
    severity: String = "error"
  ) -> Bool {
    findings.contains {
      $0["check"] as? String == check && $0["release"] as? String == release
        && $0["severity"] as? String == severity
        && ($0["message"] as? String ?? "").contains(text)
    }
  }

  @Test(
    "an unsigned commit and one signed by an unknown key, released past the hooks, are findings")
  func unsignedFound() throws {
    let team = try Team()
    let world = team.world
    try SignedCommitsTests.signedWorld(team)
    try world.commit("plain.txt", "unsigned\n", by: team.bob)
    let unsigned = try world.git("rev-parse", "HEAD")
    try world.git("tag", "v1.1.0")
    let first = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", first], as: team.carol))
    let laptop = try world.persona("bob-laptop", email: team.bob.email)
    try SignedCommitsTests.signedCommit(world, "laptop.txt", signedBy: team.bob, key: laptop.key)
    try world.git("tag", "v1.2.0")
    let second = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second], as: team.carol))
    // A release signed as it should be: no finding.
    try SignedCommitsTests.signedCommit(world, "good.txt", signedBy: team.bob)
    try world.git("tag", "v1.3.0")
    let good = try world.request("v1.3.0", to: "refs/tags/v1.3.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", good], as: team.carol))

    let findings = try auditWithoutHooks(world)
    #expect(
      finding(
        findings, check: "signed-commits", release: first,
        saying: "commit \(unsigned.prefix(10)) is not signed"), "\(findings)")
    #expect(
      finding(findings, check: "signed-commits", release: second, saying: "which nobody registered")
    )
    #expect(finding(findings, check: "approval", release: first, saying: "was never ready"))
    #expect(
      !findings.contains { $0["release"] as? String == good },
      "\(findings.filter { $0["release"] as? String == good })")
  }

  @Test(
    "carol's forged approvals of a commit she signed as bob, and of one she co-authored, are findings"
  )
  func signerAndCoAuthorFound() throws {
    let team = try Team()
    let world = team.world
    try SignedCommitsTests.signedWorld(team)
    try SignedCommitsTests.signedCommit(
      world, "carol.txt", signedBy: team.carol, as: team.bob)
    try world.git("tag", "v1.1.0")
    let signedAsBob = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try SignedCommitsTests.forgeApproval(world, release: signedAsBob, by: team.carol)
    try SignedCommitsTests.signedCommit(
      world, "pair.txt", signedBy: team.bob,
      message: "Pair\n\nCo-authored-by: Carol Sec <carol@example.com>\n")
    try world.git("tag", "v1.2.0")
    let coAuthored = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    try SignedCommitsTests.forgeApproval(world, release: coAuthored, by: team.carol)

    let findings = try auditWithoutHooks(world)
    #expect(
      finding(findings, check: "approval", release: signedAsBob, saying: "carol signed"),
      "\(findings)")
    #expect(finding(findings, check: "approval", release: coAuthored, saying: "carol co-authored"))
    #expect(
      findings.contains {
        $0["check"] as? String == "bypass" && $0["ref"] as? String == "refs/tags/v1.1.0"
      })
  }

  @Test(
    "a release approved by carol under a code .mailmap hiding her, and an address passing for hers, are findings"
  )
  func mailmapAndConfusableFound() throws {
    let team = try Team()
    let world = team.world
    try SignedCommitsTests.releaseBaseline(team)
    try world.commit("carol.txt", "by carol\n", by: team.carol)
    try Data("bob <bob@example.com> <carol@example.com>\n".utf8).write(
      to: world.work.appendingPathComponent(".mailmap"))
    try world.git("add", ".mailmap")
    try world.git("commit", "-q", "-m", "mailmap")
    try world.git("tag", "v1.1.0")
    let hidden = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try SignedCommitsTests.forgeApproval(world, release: hidden, by: team.carol)
    try world.commit("spoof.txt", "x\n", by: team.bob, email: "c\u{0430}rol@example.com")
    try world.git("tag", "v1.2.0")
    let spoofed = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", spoofed], as: team.erin))

    let findings = try auditWithoutHooks(world)
    #expect(
      finding(findings, check: "approval", release: hidden, saying: "carol authored or committed"),
      "\(findings)")
    #expect(
      finding(
        findings, check: "identities", release: spoofed,
        saying: "looks like carol's carol@example.com",
        severity: "warning"), "\(findings)")
  }
}
