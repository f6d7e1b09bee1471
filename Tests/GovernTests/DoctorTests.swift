import Foundation
import Testing

/// `git govern doctor` as its users run it: in a real bare server with the real hooks, and in a
/// developer's clone; each broken thing found with its fix, and the printed fix run as it is.
@Suite("git govern doctor")
struct DoctorTests {
  /// One doctor run, read from its JSON.
  struct Diagnosis {
    let result: World.Result
    let status: String
    let mode: String
    let checks: [String: (status: String, message: String, fix: String?)]

    init(_ result: World.Result) throws {
      self.result = result
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
        "\(result.output)")
      status = object["status"] as? String ?? ""
      mode = object["mode"] as? String ?? ""
      var checks: [String: (status: String, message: String, fix: String?)] = [:]
      for check in object["checks"] as? [[String: Any]] ?? [] {
        #expect(check.keys.sorted() == ["fix", "id", "message", "status"])
        checks[check["id"] as? String ?? ""] = (
          check["status"] as? String ?? "", check["message"] as? String ?? "",
          check["fix"] as? String
        )
      }
      self.checks = checks
    }

    var failing: [String] { checks.filter { $0.value.status == "fail" }.map(\.key).sorted() }

    func fix(_ id: String) throws -> String { try #require(checks[id]?.fix, "\(result.output)") }
  }

  static func doctor(
    _ world: World, in directory: URL, as persona: World.Persona? = nil, _ extra: [String] = [],
    environment: [String: String] = [:]
  ) throws -> Diagnosis {
    let result = try world.govern(
      ["doctor", "--json"] + extra, as: persona, in: directory, environment: environment)
    let diagnosis = try Diagnosis(result)
    #expect(
      result.status == (diagnosis.status == "ok" ? 0 : 1),
      "exit code follows status: \(result.output)")
    return diagnosis
  }

  /// Runs a printed fix as a shell command line, as a person would paste it.
  static func runFix(
    _ fix: String, _ world: World, in directory: URL, environment: [String: String] = [:]
  ) throws {
    try world.expectSuccess(world.run(["sh", "-c", fix], in: directory, environment: environment))
  }

  @Test("a healthy server passes every check, and its text says the gate holds")
  func healthyServer() throws {
    let server = try ServerWorld()
    let diagnosis = try Self.doctor(server.world, in: server.bare)
    #expect(diagnosis.status == "ok", "\(diagnosis.result.output)")
    #expect(diagnosis.mode == "server", "a bare repository gets the server's checks")
    for id in [
      "safe.directory", "hooks.pre-receive", "hooks.post-receive", "receive.fsckObjects",
      "governance.branch", "governance.proven", "server.key", "server.identity", "head",
      "symbolic-refs", "clock",
    ] {
      #expect(diagnosis.checks[id]?.status == "ok", "\(id): \(diagnosis.result.output)")
    }
    let text = try server.world.govern(["doctor"], in: server.bare)
    #expect(text.status == 0)
    #expect(text.stdout.contains("The gate holds"))
  }

  @Test(
    "on the server, a missing, foreign, edited or unexecutable hook, fsckObjects off, HEAD on an unprotected branch and a protected symbolic ref to an unprotected one are each found, and the printed fix makes doctor pass"
  )
  func brokenServerSettingsAndTheirFixes() throws {
    let server = try ServerWorld()
    let world = server.world
    let bare = server.bare
    let hooks = bare.appendingPathComponent("hooks")
    let preReceive = hooks.appendingPathComponent("pre-receive")
    let postReceive = hooks.appendingPathComponent("post-receive")

    /// Breaks one thing, expects exactly `id` to fail with `words`, runs its fix, expects a pass.
    func breakAndFix(
      _ id: String, words: String, fixContains: String, _ breakIt: () throws -> Void,
      sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      try breakIt()
      let broken = try Self.doctor(world, in: bare)
      #expect(broken.failing == [id], "\(broken.result.output)", sourceLocation: sourceLocation)
      #expect(
        broken.checks[id]?.message.contains(words) == true, "\(broken.result.output)",
        sourceLocation: sourceLocation)
      let fix = try broken.fix(id)
      #expect(fix.contains(fixContains), "\(fix)", sourceLocation: sourceLocation)
      try Self.runFix(fix, world, in: bare)
      let fixed = try Self.doctor(world, in: bare)
      #expect(fixed.status == "ok", "\(fixed.result.output)", sourceLocation: sourceLocation)
    }

    try breakAndFix(
      "hooks.pre-receive", words: "no pre-receive hook",
      fixContains: "hooks install --server --key \(server.server.key)"
    ) { try FileManager.default.removeItem(at: preReceive) }

    try breakAndFix("hooks.post-receive", words: "another script", fixContains: "--force") {
      try Data("#!/bin/sh\nexit 0\n".utf8).write(to: postReceive)
    }

    // The marker comment is kept, but the script lets every push through before the gate runs.
    try breakAndFix(
      "hooks.pre-receive", words: "says it is git-govern's but is not", fixContains: "hooks install"
    ) {
      let text = try String(contentsOf: preReceive, encoding: .utf8)
      try Data(text.replacingOccurrences(of: "GIT_GOVERN=git-govern\n", with: "exit 0\n").utf8)
        .write(to: preReceive)
    }

    try breakAndFix("hooks.pre-receive", words: "not executable", fixContains: "chmod +x") {
      try FileManager.default.setAttributes(
        [.posixPermissions: 0o644], ofItemAtPath: preReceive.path)
    }

    try breakAndFix(
      "receive.fsckObjects", words: "not true", fixContains: "git config receive.fsckObjects true"
    ) { try world.git("config", "receive.fsckObjects", "false", in: bare) }

    // What `git init --bare` leaves: HEAD on a branch the policy does not protect.
    try breakAndFix(
      "head", words: "refs/heads/master, which the policy does not protect",
      fixContains: "git symbolic-ref HEAD refs/heads/main"
    ) { try world.git("symbolic-ref", "HEAD", "refs/heads/master", in: bare) }

    try breakAndFix(
      "symbolic-refs",
      words: "refs/heads/release/latest is protected but a symbolic ref to refs/heads/dev",
      fixContains: "git update-ref --no-deref refs/heads/release/latest"
    ) {
      try world.git("update-ref", "refs/heads/dev", "refs/heads/main", in: bare)
      try world.git("symbolic-ref", "refs/heads/release/latest", "refs/heads/dev", in: bare)
    }
    #expect(try world.git("symbolic-ref", "-q", "--short", "HEAD", in: bare) == "main")
  }

  @Test(
    "a server key registered without role server, or to nobody, fails; the admin's printed fix, run in a clone and pushed, makes doctor pass"
  )
  func serverKeyWithoutServerRole() throws {
    let team = try Team()
    let world = team.world
    let server = try world.persona("server", email: "server@forge.example")
    let bare = world.root.appendingPathComponent("server.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    try world.expectSuccess(
      world.govern(["hooks", "install", "--server", "--key", server.key], in: bare))

    let nobody = try Self.doctor(world, in: bare)
    #expect(nobody.failing == ["server.identity"], "\(nobody.result.output)")
    #expect(nobody.checks["server.identity"]?.message.contains("registered to nobody") == true)
    #expect(try nobody.fix("server.identity").contains("--role server"))

    try world.register(server, roles: ["developer"], by: team.alice)
    try world.git("remote", "add", "origin", bare.path)
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    let wrongRole = try Self.doctor(world, in: bare)
    #expect(wrongRole.failing == ["server.identity"], "\(wrongRole.result.output)")
    #expect(
      wrongRole.checks["server.identity"]?.message.contains("does not hold role server") == true)
    let fix = try wrongRole.fix("server.identity")
    #expect(fix.hasPrefix("git govern identity add server --role server --push"))
    // A policy-admin runs it in their clone (alice's work repository, whose origin is the server).
    try Self.runFix(
      fix, world, in: world.work,
      environment: ["GIT_CONFIG_PARAMETERS": "'user.email'='\(team.alice.email)'"])
    let fixed = try Self.doctor(world, in: bare)
    #expect(fixed.status == "ok", "\(fixed.result.output)")
  }

  @Test(
    "the server's clock behind the newest receipt it signed fails; the machine's clock passes"
  )
  func serverClockBehindItsReceipts() throws {
    let server = try ServerWorld()
    let world = server.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let receiptTime = try world.git(
      "log", "-1", "--format=%cI", "--committer=server@forge.example", "refs/heads/governance",
      in: server.bare)
    #expect(!receiptTime.isEmpty, "the post-receive wrote an acceptance receipt")

    let now = try Self.doctor(world, in: server.bare)
    #expect(now.checks["clock"]?.status == "ok", "\(now.result.output)")
    let behind = try Self.doctor(
      world, in: server.bare, environment: ["GIT_GOVERN_NOW": "2020-01-01T00:00:00Z"])
    #expect(behind.failing == ["clock"], "\(behind.result.output)")
    #expect(behind.checks["clock"]?.message.contains("before the newest receipt") == true)
    #expect(try behind.fix("clock").contains("timedatectl"))
  }

  @Test(
    "a repository another user owns fails safe.directory, and the printed fix lets doctor in",
    .enabled(if: geteuid() == 0, "only root can give a repository to another user")
  )
  func repositoryOfAnotherOwner() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.expectSuccess(world.run(["chown", "-R", "54321", server.bare.path], in: world.root))
    let refused = try Self.doctor(world, in: server.bare)
    #expect(refused.failing == ["safe.directory"], "\(refused.result.output)")
    #expect(refused.mode == "server")
    let fix = try refused.fix("safe.directory")
    #expect(fix == "git config --global --add safe.directory \(server.bare.path)")
    try Self.runFix(fix, world, in: world.root)
    let fixed = try Self.doctor(world, in: server.bare)
    #expect(fixed.status == "ok", "\(fixed.result.output)")
    #expect(fixed.checks["safe.directory"]?.message.contains("belongs to uid 54321") == true)
  }

  @Test(
    "a healthy client passes; a missing or foreign pre-push hook, or core.hooksPath pointing where it is not, fails with a fix that makes doctor pass"
  )
  func clientHooks() throws {
    let team = try Team()
    let world = team.world
    let healthy = try Self.doctor(world, in: world.work, as: team.alice)
    #expect(healthy.status == "ok", "\(healthy.result.output)")
    #expect(healthy.mode == "client")
    for id in ["hooks.pre-push", "identity", "governance.branch", "governance.proven", "clock"] {
      #expect(healthy.checks[id]?.status == "ok", "\(id): \(healthy.result.output)")
    }
    let hook = world.work.appendingPathComponent(".git/hooks/pre-push")

    try FileManager.default.removeItem(at: hook)
    let missing = try Self.doctor(world, in: world.work, as: team.alice)
    #expect(missing.failing == ["hooks.pre-push"])
    try Self.runFix(try missing.fix("hooks.pre-push"), world, in: world.work)
    #expect(try Self.doctor(world, in: world.work, as: team.alice).status == "ok")

    try Data("#!/bin/sh\n# my own checks\nexit 0\n".utf8).write(to: hook)
    let foreign = try Self.doctor(world, in: world.work, as: team.alice)
    #expect(foreign.failing == ["hooks.pre-push"])
    #expect(foreign.checks["hooks.pre-push"]?.message.contains("another script") == true)
    try Self.runFix(try foreign.fix("hooks.pre-push"), world, in: world.work)
    #expect(try Self.doctor(world, in: world.work, as: team.alice).status == "ok")

    // git now runs hooks from .githooks, where there is none: ours in .git/hooks is never run.
    try world.git("config", "core.hooksPath", ".githooks")
    let elsewhere = try Self.doctor(world, in: world.work, as: team.alice)
    #expect(elsewhere.failing == ["hooks.pre-push"])
    #expect(elsewhere.checks["hooks.pre-push"]?.message.contains("core.hooksPath") == true)
    try Self.runFix(try elsewhere.fix("hooks.pre-push"), world, in: world.work)
    #expect(try Self.doctor(world, in: world.work, as: team.alice).status == "ok")
    #expect(
      FileManager.default.fileExists(
        atPath: world.work.appendingPathComponent(".githooks/pre-push").path))
  }

  @Test(
    "on a client, an unregistered signing key is a warning with the admin's command, and a repository without a governance branch fails until git govern init"
  )
  func clientIdentityAndBranch() throws {
    let team = try Team()
    let world = team.world
    let frank = try world.persona("frank")
    let stranger = try Self.doctor(world, in: world.work, as: frank)
    #expect(stranger.status == "ok", "a warning does not fail: \(stranger.result.output)")
    #expect(stranger.checks["identity"]?.status == "warn")
    #expect(stranger.checks["identity"]?.message.contains("not registered") == true)
    #expect(try stranger.fix("identity").hasPrefix("git govern identity add frank --email"))

    let fresh = try World()
    let alice = try fresh.persona("alice")
    try fresh.repository(admin: alice, initGovernance: false)
    let bare = try Self.doctor(fresh, in: fresh.work)
    #expect(bare.failing.contains("governance.branch"), "\(bare.result.output)")
    #expect(try bare.fix("governance.branch") == "git govern init")
    try Self.runFix(try bare.fix("governance.branch"), fresh, in: fresh.work)
    let initialised = try Self.doctor(fresh, in: fresh.work)
    #expect(initialised.status == "ok", "\(initialised.result.output)")
  }

  @Test("doctor with an unknown option exits 2")
  func badArguments() throws {
    let team = try Team()
    let result = try team.world.govern(["doctor", "--servr"])
    #expect(result.status == 2, "\(result.output)")
  }
}
