import Foundation
import Ledger
import Testing

/// Insiders pushing against the policy's meaning, over a real server with both hooks (git
/// daemon, and the file transport), and the audit of the same moves made where the hooks were
/// missing.
@Suite("policy semantics that hold under pressure, over a real server")
struct PolicySemanticsServerTests {
  /// Makes a record with the CLI as `maker` (who may make it), keeps its bytes, drops it, and
  /// writes it again as `signer` (who may not): the same JSON with the actor and email changed,
  /// signed with the signer's key beside it, committed on the work repository's governance
  /// branch signed by the signer with plain git, as an insider with a registered key could.
  /// Returns the forged record's path.
  @discardableResult
  func forge(
    _ world: World, _ command: [String], madeBy maker: World.Persona,
    signedBy signer: World.Persona
  ) throws -> String {
    let before = try world.git("rev-parse", "refs/heads/governance")
    try world.expectSuccess(world.govern(command, as: maker))
    let made = try world.git("rev-parse", "refs/heads/governance")
    let paths = try world.git("diff", "--name-only", before, made).split(separator: "\n").map(
      String.init)
    try world.git("update-ref", "refs/heads/governance", before)
    let gov = world.root.appendingPathComponent("forge-\(UUID().uuidString.prefix(6))")
    try world.git("worktree", "add", "-q", "--detach", gov.path, before)
    var forged = ""
    for path in paths where !path.hasSuffix(".sig") {
      var bytes = try world.git("show", "\(made):\(path)") + "\n"
      var target = path
      if path.hasSuffix(".json") {
        bytes = bytes.replacingOccurrences(
          of: "\"actor\":\"\(maker.id)\"", with: "\"actor\":\"\(signer.id)\""
        ).replacingOccurrences(
          of: "\"email\":\"\(maker.email)\"", with: "\"email\":\"\(signer.email)\"")
        target = path.replacingOccurrences(of: "-\(maker.id)-", with: "-\(signer.id)-")
        forged = target
      }
      let file = gov.appendingPathComponent(target)
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes.utf8).write(to: file)
      if path.hasSuffix(".json") {
        try world.expectSuccess(
          world.run(
            ["ssh-keygen", "-q", "-Y", "sign", "-f", signer.key, "-n", "git-govern", file.path],
            in: gov))
      }
    }
    try world.git("add", "-A", ".", in: gov)
    try world.expectSuccess(
      world.run(
        [
          "git", "-c", "gpg.format=ssh", "-c", "user.signingkey=\(signer.key)", "-c",
          "user.email=\(signer.email)", "-c", "user.name=\(signer.id)", "commit", "-q", "-S", "-m",
          "forged by \(signer.id)",
        ], in: gov))
    try world.git(
      "update-ref", "refs/heads/governance", try world.git("rev-parse", "HEAD", in: gov))
    return forged
  }

  /// The server without its hooks: what an attacker with shell access, or a forge set up
  /// wrongly, leaves behind.
  func removeHooks(_ server: ServerWorld) throws {
    for hook in ["pre-receive", "post-receive"] {
      try FileManager.default.removeItem(
        at: server.bare.appendingPathComponent("hooks/\(hook)"))
    }
  }

  func push(_ world: World, _ refs: String..., to remote: String = "origin") throws -> World.Result
  {
    try world.run(["git", "push", "--no-verify", remote] + refs, in: world.work)
  }

  func audit(_ server: ServerWorld) throws -> (status: Int32, findings: [[String: Any]]) {
    let result = try server.world.govern(["audit", "--format", "json"], in: server.bare)
    let json =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    return (result.status, json["findings"] as? [[String: Any]] ?? [])
  }

  func has(_ findings: [[String: Any]], _ check: String, _ text: String) -> Bool {
    findings.contains {
      $0["check"] as? String == check && ($0["message"] as? String ?? "").contains(text)
    }
  }

  // MARK: - The server's identity

  @Test(
    "the server's key never approves: approve as the server is refused, and a forged approval by it is not counted by the pre-receive"
  )
  func serverNeverApproves() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    let refused = try world.govern(["approve", release], as: server.server)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("server is the server's identity (role server)"))
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(!status.stdout.contains("server can run") && !status.stdout.contains(", server"))

    try forge(world, ["approve", release], madeBy: server.team.carol, signedBy: server.server)
    try world.expectSuccess(push(world, "governance"))
    let pushed = try push(world, "v1.0.0")
    #expect(pushed.status != 0)
    #expect(pushed.stderr.contains("needs 1 more approval"), "\(pushed.output)")
    #expect(pushed.stderr.contains("not counted: server is the server's identity (role server)"))
  }

  @Test(
    "a release approved only by the server's key, pushed where the hooks were missing, is a bypass in the audit"
  )
  func serverApprovalAudited() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    // A commit made after governance began (older ones are the audit's baseline).
    try world.commit("feature.txt", "new\n", by: server.team.bob)
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    try forge(world, ["approve", release], madeBy: server.team.carol, signedBy: server.server)
    try removeHooks(server)
    try world.expectSuccess(push(world, "governance", "v1.0.0"))
    let (status, findings) = try audit(server)
    #expect(status == 1)
    #expect(has(findings, "bypass", "which no release ready for refs/tags/v1.0.0 covers"))
  }

  // MARK: - Who pushed

  static let pusherPolicy = """
    version: 1
    protected: [refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    separation_of_duties:
      pusher_may_be_sole_approver: false

    """

  @Test(
    "pusher_may_be_sole_approver: false fails closed on a server that does not say who pushes, or names nobody registered"
  )
  func unknownPusherRefused() throws {
    for pusher in [nil, "mallory"] as [String?] {
      let server = try ServerWorld(pusher: pusher)
      let world = server.world
      try world.expectSuccess(world.applyPolicy(Self.pusherPolicy, by: server.team.alice))
      try world.git("tag", "v2.0.0")
      let release = try world.request("v2.0.0", to: "refs/tags/v2.0.0", as: server.team.bob)
      try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
      // On the client the pusher is the actor (alice here), so the client says ready.
      #expect(try world.govern(["status", release]).status == 0)
      let carolPushing = try world.govern(
        ["check", "v2.0.0", "--to", "refs/tags/v2.0.0"], environment: ["GIT_GOVERN_PUSHER": "carol"]
      )
      #expect(carolPushing.status == 1)
      #expect(carolPushing.stdout.contains("carol is pushing and is the only approver"))

      let refused = try push(world, "v2.0.0")
      #expect(refused.status != 0)
      if pusher == nil {
        #expect(refused.stderr.contains("nobody says who is pushing"), "\(refused.output)")
        #expect(refused.stderr.contains("the forge must set GIT_GOVERN_PUSHER"))
        // The file transport, without a pusher either.
        let direct = try push(world, "v2.0.0", to: server.bare.path)
        #expect(direct.status != 0)
        #expect(direct.stderr.contains("nobody says who is pushing"))
      } else {
        #expect(refused.stderr.contains("the pusher \"mallory\" is not a registered person"))
      }
      // A second approval makes who pushes not matter.
      try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.erin))
      #expect(try push(world, "v2.0.0").status == 0)
    }
  }

  @Test(
    "a release pushed with one approval and nobody known to have pushed, past missing hooks, is an audit finding"
  )
  func unknownPusherAudited() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.expectSuccess(world.applyPolicy(Self.pusherPolicy, by: server.team.alice))
    try world.commit("feature.txt", "new\n", by: server.team.bob)
    try world.git("tag", "v2.0.0")
    let release = try world.request("v2.0.0", to: "refs/tags/v2.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: server.team.carol))
    try removeHooks(server)
    try world.expectSuccess(push(world, "governance", "v2.0.0"))
    let (status, findings) = try audit(server)
    #expect(status == 1)
    #expect(has(findings, "bypass", "refs/tags/v2.0.0"))
  }

  // MARK: - Separation of duties for exceptions

  static let emergencyPolicy = """
    version: 1
    protected: [refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    emergency:
      approvals: 1
      roles: {security: 1}

    """

  @Test(
    "the requester or an author of the range cannot break glass: exception refuses at once, and a forged one does not count on the server"
  )
  func exceptionSeparationOfDuties() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.expectSuccess(world.applyPolicy(Self.emergencyPolicy, by: server.team.alice))
    try world.commit("hotfix.txt", "fix\n", by: server.team.carol)
    try world.git("tag", "v3.0.0")
    let release = try world.request(
      "v3.0.0", to: "refs/tags/v3.0.0", as: server.team.erin, extra: ["--type", "emergency"])
    let byRequester = try world.govern(
      ["exception", release, "--reason", "outage"], as: server.team.erin)
    #expect(byRequester.status == 1)
    #expect(
      byRequester.stderr.contains(
        "erin requested this release, and the policy does not let a requester raise an exception to it"
      ))
    let byAuthor = try world.govern(
      ["exception", release, "--reason", "outage"], as: server.team.carol)
    #expect(byAuthor.status == 1)
    #expect(byAuthor.stderr.contains("carol authored or committed"))

    // erin's exception made anyway, from a record alice could not make: alice holds no
    // emergency role, so it is made by a security person who may (frank) and re-signed.
    let frank = try world.persona("frank")
    try world.register(frank, roles: ["security"], by: server.team.alice)
    try forge(
      world, ["exception", release, "--reason", "outage"], madeBy: frank, signedBy: server.team.erin
    )
    try world.expectSuccess(push(world, "governance"))
    let refused = try push(world, "v3.0.0")
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("not counted: erin requested this release"), "\(refused.output)")
    try world.expectSuccess(
      world.govern(["exception", release, "--reason", "outage", "--push"], as: frank))
    #expect(try push(world, "v3.0.0").status == 0)
  }

  @Test(
    "an emergency release let out by its requester's own exception, past missing hooks, is a bypass in the audit"
  )
  func requesterExceptionAudited() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.expectSuccess(world.applyPolicy(Self.emergencyPolicy, by: server.team.alice))
    try world.commit("hotfix.txt", "fix\n", by: server.team.bob)
    try world.git("tag", "v3.0.0")
    let release = try world.request(
      "v3.0.0", to: "refs/tags/v3.0.0", as: server.team.erin, extra: ["--type", "emergency"])
    try forge(
      world, ["exception", release, "--reason", "outage"], madeBy: server.team.carol,
      signedBy: server.team.erin)
    try removeHooks(server)
    try world.expectSuccess(push(world, "governance", "v3.0.0"))
    let (status, findings) = try audit(server)
    #expect(status == 1)
    #expect(has(findings, "bypass", "which no release ready for refs/tags/v3.0.0 covers"))
  }

  // MARK: - Standard changes

  static let standardPolicy = """
    version: 1
    protected: [refs/tags/v*]
    rules:
      - name: standard-change
        when: {type: standard}
        approvals: 0
      - name: default
        approvals: 1
    standard_changes:
      - name: docs
        roles: [release-manager]
        paths: ["docs/**"]

    """

  /// v1.0.0 released normally, then a commit touching `files` (by bob) tagged `tag`.
  func standardWorld(_ server: ServerWorld, files: [String], tag: String) throws {
    let world = server.world
    try world.expectSuccess(world.applyPolicy(Self.standardPolicy, by: server.team.alice))
    try world.git("tag", "v1.0.0")
    let first = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", first, "--push"], as: server.team.carol))
    try world.expectSuccess(push(world, "v1.0.0"))
    try FileManager.default.createDirectory(
      at: world.work.appendingPathComponent("docs"), withIntermediateDirectories: true)
    for file in files { try world.commit(file, "text\n", by: server.team.bob) }
    try world.git("tag", tag)
  }

  @Test(
    "standard is what standard_changes pre-approves: a developer's or an out-of-bounds standard release needs approvals on the server; a fitting one goes alone"
  )
  func standardChangesOnServer() throws {
    let server = try ServerWorld(pusher: "erin")
    let world = server.world
    try standardWorld(server, files: ["docs/guide.md", "payments.txt"], tag: "v1.1.0")
    _ = try world.request(
      "v1.1.0", to: "refs/tags/v1.1.0", as: server.team.bob, extra: ["--type", "standard"])
    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    let refused = try push(world, "v1.1.0")
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("needs 1 more approval"), "\(refused.output)")
    #expect(
      refused.stderr.contains(
        "requested as standard, but bob may request none of the standard changes (\"docs\")"))

    let outOfBounds = try world.request(
      "v1.1.0", to: "refs/tags/v1.1.0", as: server.team.erin, extra: ["--type", "standard"])
    try world.expectSuccess(world.govern(["sync"], as: server.team.erin))
    let status = try world.govern(["status", outOfBounds])
    #expect(status.status == 1)
    #expect(
      status.stdout.contains(
        "payments.txt is outside \"docs\" (docs/**); judged as a normal change"))
    #expect(try push(world, "v1.1.0").status != 0)

  }

  @Test("a standard release touching only its template's paths goes out with no approval")
  func fittingStandardChange() throws {
    let server = try ServerWorld(pusher: "erin")
    let world = server.world
    try standardWorld(server, files: ["docs/guide.md", "docs/faq.md"], tag: "v1.1.0")
    let docs = try world.request(
      "v1.1.0", to: "refs/tags/v1.1.0", as: server.team.erin, extra: ["--type", "standard"])
    try world.expectSuccess(world.govern(["sync"], as: server.team.erin))
    let status = try world.govern(["status", docs])
    #expect(status.status == 0, "\(status.output)")
    #expect(
      status.stdout.contains(
        "standard change \"docs\": erin may request it, and all 2 changed paths fit its paths"))
    let pushed = try push(world, "v1.1.0")
    #expect(pushed.status == 0, "\(pushed.output)")
  }

  @Test("calling a change standard under the shipped policy lets a developer release nothing alone")
  func shippedTemplateHasNoStandardLoophole() throws {
    let team = try Team()
    let world = team.world
    let requested = try world.govern(
      ["request", "HEAD", "--to", "refs/tags/v1.0.0", "--type", "standard"], as: team.bob)
    try world.expectSuccess(requested)
    #expect(
      requested.stderr.contains(
        "note: requested as standard, but the policy lists no standard_changes, so no change is pre-approved; judged as a normal change"
      ))
    let release = requested.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let status = try world.govern(["status", release])
    #expect(status.status == 1)
    #expect(status.stdout.contains("the policy lists no standard_changes"))
    #expect(status.stdout.contains("needs 1 more approval"))
  }

  @Test(
    "a standard release outside its template, pushed where the hooks were missing, is a bypass in the audit"
  )
  func standardChangeAudited() throws {
    let server = try ServerWorld(pusher: "erin")
    let world = server.world
    try standardWorld(server, files: ["docs/guide.md", "payments.txt"], tag: "v1.1.0")
    _ = try world.request(
      "v1.1.0", to: "refs/tags/v1.1.0", as: server.team.erin,
      extra: ["--type", "standard", "--push"])
    try removeHooks(server)
    try world.expectSuccess(push(world, "v1.1.0"))
    let (status, findings) = try audit(server)
    #expect(status == 1)
    #expect(has(findings, "bypass", "which no release ready for refs/tags/v1.1.0 covers"))
  }

  // MARK: - Incidents and freezes

  @Test(
    "only a declaring role opens an incident or declares a freeze: the CLI refuses, the server refuses a forged record"
  )
  func declaringRoles() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let dave = try world.persona("dave")
    try world.register(dave, roles: ["incident-commander"], by: server.team.alice)
    try world.expectSuccess(world.govern(["sync"], as: server.team.alice))
    let incident = try world.govern(
      ["incident", "open", "INC-1", "--title", "x"], as: server.team.bob)
    #expect(incident.status == 1)
    #expect(
      incident.stderr.contains(
        "bob holds no role that may open an incident (incidents.declare: policy-admin, incident-commander)"
      ))
    let from = World.iso(Date().addingTimeInterval(-60))
    let until = World.iso(Date().addingTimeInterval(3600))
    let freeze = try world.govern(
      ["freeze", "add", "--from", from, "--until", until, "--reason", "mine"], as: server.team.bob)
    #expect(freeze.status == 1)
    #expect(freeze.stderr.contains("bob holds no role that may declare a freeze"))

    let before = try world.git("rev-parse", "refs/heads/governance")
    try forge(
      world, ["incident", "open", "INC-1", "--title", "x"], madeBy: dave, signedBy: server.team.bob)
    let refused = try push(world, "governance")
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        "is an incident record signed by bob, who holds no role that may declare it (incidents.declare: policy-admin, incident-commander)"
      ), "\(refused.output)")
    try world.git("update-ref", "refs/heads/governance", before)
    try forge(
      world, ["freeze", "add", "--from", from, "--until", until, "--reason", "mine"],
      madeBy: server.team.erin, signedBy: server.team.bob)
    let frozen = try push(world, "governance")
    #expect(frozen.status != 0)
    #expect(
      frozen.stderr.contains("is a freeze signed by bob, who holds no role that may declare it"))

    // A freeze erin declared, cancelled in bob's name.
    try world.git("update-ref", "refs/heads/governance", before)
    try world.expectSuccess(
      world.govern(
        ["freeze", "add", "--from", from, "--until", until, "--reason", "migration", "--push"],
        as: server.team.erin))
    let list = try world.govern(["freeze", "list", "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [String: Any]
    let id = try #require(
      (json["freezes"] as! [[String: Any]]).first { $0["reason"] as? String == "migration" }?[
        "name"] as? String)
    try forge(
      world, ["freeze", "cancel", id, "--reason", "done"], madeBy: server.team.erin,
      signedBy: server.team.bob)
    let cancelled = try push(world, "governance")
    #expect(cancelled.status != 0)
    #expect(
      cancelled.stderr.contains(
        "is a freeze cancellation signed by bob, who holds no role that may declare it"),
      "\(cancelled.output)")
  }

  @Test(
    "a freeze or incident whose signer may not declare it blocks nothing and is an audit finding; freeze cancel lifts a freeze"
  )
  func calendarRecordsWithoutRole() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: server.team.carol))
    let from = World.iso(Date().addingTimeInterval(-60))
    let until = World.iso(Date().addingTimeInterval(3600))
    try forge(
      world, ["freeze", "add", "--from", from, "--until", until, "--reason", "bob's freeze"],
      madeBy: server.team.erin, signedBy: server.team.bob)
    try forge(
      world, ["incident", "open", "INC-9", "--title", "bob's incident"], madeBy: server.team.alice,
      signedBy: server.team.bob)
    let check = try world.govern(["check", "v1.0.0", "--to", "refs/tags/v1.0.0"])
    #expect(check.status == 0, "\(check.output)")
    let status = try world.govern(["status", release])
    #expect(
      status.stdout.contains("is a freeze signed by bob, who holds no role that may declare it"))
    #expect(status.stdout.contains("is an incident record signed by bob"))

    try removeHooks(server)
    try world.expectSuccess(push(world, "governance", "v1.0.0"))
    let (_, findings) = try audit(server)
    #expect(
      has(findings, "calendar", "is a freeze signed by bob, who holds no role that may declare it"))
    #expect(has(findings, "calendar", "is an incident record signed by bob"))

    // A freeze erin may declare blocks; her cancellation lifts it; bob may not cancel it.
    try world.expectSuccess(
      world.govern(
        ["freeze", "add", "--from", from, "--until", until, "--reason", "migration"],
        as: server.team.erin))
    #expect(try world.govern(["check", "v1.0.0", "--to", "refs/tags/v1.0.0"]).status == 1)
    let list = try world.govern(["freeze", "list", "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [String: Any]
    let id = try #require(
      (json["freezes"] as! [[String: Any]]).first { $0["reason"] as? String == "migration" }?[
        "name"]
        as? String)
    let byBob = try world.govern(["freeze", "cancel", id, "--reason", "done"], as: server.team.bob)
    #expect(byBob.status == 1)
    #expect(byBob.stderr.contains("bob holds no role that may cancel a freeze"))
    try world.expectSuccess(
      world.govern(["freeze", "cancel", id, "--reason", "migration done"], as: server.team.erin))
    #expect(try world.govern(["check", "v1.0.0", "--to", "refs/tags/v1.0.0"]).status == 0)
  }

  @Test("an unsigned freeze file blocks no release; it is a warning, and an audit finding")
  func unsignedCalendarFileBlocksNothing() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let month = String(World.iso(Date().addingTimeInterval(86400)).prefix(7))
    let folder = gov.appendingPathComponent("freezes/\(month)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("{\"kind\":\"freeze\"}\n".utf8).write(to: folder.appendingPathComponent("f-evil.json"))
    try world.git("add", "-A", ".", in: gov)
    try world.git("commit", "-q", "-m", "freeze everything", in: gov)
    let check = try world.govern(["check", "HEAD", "--to", "refs/tags/v1.0.0"])
    #expect(check.status == 0, "\(check.output)")
    #expect(check.stdout.contains("freezes/\(month)/f-evil.json"))
    let audit = try world.govern(["audit", "--format", "json"])
    #expect(audit.status == 1)
    #expect(audit.stdout.contains("\"check\" : \"calendar\""))
  }

  // MARK: - Notes

  @Test(
    "a client push of refs/notes/governance is refused by the server; sync fetches notes and never pushes them"
  )
  func notesWrittenByServerOnly() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let head = try world.git("rev-parse", "HEAD")
    try world.git(
      "notes", "--ref=governance", "add", "-m", "Release r-0000000000: approved by all", head)
    let refused = try push(world, "refs/notes/governance")
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        "refs/notes/governance is written by the server only: notes are derived from the records"),
      "\(refused.output)")
    let direct = try push(world, "refs/notes/governance", to: server.bare.path)
    #expect(direct.status != 0)
    #expect(direct.stderr.contains("is written by the server only"))

    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    let onServer = try world.run(
      ["git", "rev-parse", "--verify", "-q", "refs/notes/governance"], in: server.bare)
    #expect(onServer.status != 0, "sync pushed notes: \(onServer.output)")
  }

  @Test(
    "the audit checks notes against the records: a note naming a release without a receipt, or an approver with no approval, is a finding"
  )
  func forgedNotesAudited() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let head = try world.git("rev-parse", "HEAD")
    try world.git(
      "notes", "--ref=governance", "add", "-m",
      "Release \(release): refs/tags/v1.0.0 (normal, medium risk)\nApproved-by: mallory (security) at 2026-01-01T00:00:00Z\nApproved-by: carol (security) at 2026-01-01T00:00:00Z",
      head)
    try world.git(
      "notes", "--ref=governance", "add", "-m", "Release r-ffffffffff: refs/tags/v9", "HEAD~1")
    try removeHooks(server)
    try world.expectSuccess(push(world, "refs/notes/governance"))
    let (status, findings) = try audit(server)
    #expect(status == 1)
    #expect(has(findings, "notes", "names release \(release), which has no push receipt"))
    #expect(
      has(
        findings, "notes",
        "says mallory approved, but no release it names holds an approval by mallory"))
    #expect(!has(findings, "notes", "says carol approved"))
    #expect(
      has(
        findings, "notes", "names release r-ffffffffff, which the governance branch does not hold"))
  }
}
