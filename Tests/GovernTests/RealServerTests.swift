import Foundation
import Ledger
import Testing

/// The README's server recipes, run: the real hooks behind plain sshd with forced commands,
/// gitolite behind sshd, and Apache with `git http-backend`, each on 127.0.0.1. In each, bob's
/// push of an unapproved tag is refused, carol's approval reaches the server through it, and
/// bob's push then lands with a receipt that names bob, as the server authenticated him.
@Suite("real git servers on 127.0.0.1: sshd, gitolite, Apache", .serialized)
struct RealServerTests {
  /// How a persona reaches the server: the remote URL and the environment `git` needs.
  typealias Access = (World.Persona) -> (url: String, environment: [String: String])

  /// Server side: the key that signs receipts, registered with role `server`.
  static func serverIdentity(_ team: Team) throws -> World.Persona {
    let server = try team.world.persona("server", email: "server@forge.example")
    try team.world.register(server, roles: ["server"], by: team.alice)
    return server
  }

  /// `git` in the server's repository, whoever owns it.
  static func serverGit(_ world: World, _ bare: URL, _ arguments: [String]) throws -> String {
    let result = try world.run(["git", "-c", "safe.directory=*"] + arguments, in: bare)
    try world.expectSuccess(result)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The scenario every recipe must pass.
  static func gateHolds(_ team: Team, bare: URL, access: Access) throws {
    let world = team.world
    func push(_ persona: World.Persona, _ arguments: [String]) throws -> World.Result {
      let (url, environment) = access(persona)
      try world.git("remote", "set-url", "origin", url)
      return try world.run(
        ["git", "push", "--no-verify", "origin"] + arguments, in: world.work,
        environment: environment)
    }
    try world.git("remote", "add", "origin", access(team.bob).url)
    try world.git("tag", "v1.0.0")
    let refused = try push(team.bob, ["v1.0.0"])
    #expect(refused.status != 0, "\(refused.output)")
    #expect(refused.stderr.contains("remote: git-govern: refs/tags/v1.0.0"), "\(refused.output)")
    #expect(refused.stderr.contains("no release was requested"))

    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    let (carolURL, carolEnvironment) = access(team.carol)
    try world.git("remote", "set-url", "origin", carolURL)
    try world.expectSuccess(
      world.govern(
        ["approve", release, "--push"], as: team.carol, environment: carolEnvironment))

    let pushed = try push(team.bob, ["v1.0.0"])
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(
      pushed.stderr.contains("receipt for refs/tags/v1.0.0 -> \(release)"), "\(pushed.output)")
    let receipts = try serverGit(
      world, bare,
      [
        "ls-tree", "--name-only", "refs/heads/governance",
        LedgerPaths.releaseDirectory(release) + "/",
      ]
    ).split(separator: "\n").filter { $0.contains("/receipt-") && $0.hasSuffix(".json") }
    try #require(receipts.count == 1)
    let receipt = try serverGit(world, bare, ["show", "refs/heads/governance:\(receipts[0])"])
    #expect(receipt.contains("\"pusher\":\"bob\""), "\(receipt)")
    #expect(receipt.contains("\"actor\":\"server\""))
  }

  @Test(
    "plain sshd: authorized_keys forced commands name the pusher (env GIT_GOVERN_PUSHER=… git-shell)"
  )
  func plainSSHD() throws {
    let team = try Team()
    let world = team.world
    let server = try Self.serverIdentity(team)
    let bare = world.root.appendingPathComponent("srv/app.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    try world.expectSuccess(
      world.govern(["hooks", "install", "--server", "--key", server.key], in: bare))
    let keys = world.root.appendingPathComponent("authorized_keys")
    let template = try String(
      contentsOf: World.packageRoot.appendingPathComponent(
        "templates/servers/sshd/authorized_keys"),
      encoding: .utf8)
    let lines = try [team.bob, team.carol].map { persona -> String in
      let key = try String(contentsOfFile: persona.key + ".pub", encoding: .utf8)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      return template.split(separator: "\n").first { !$0.hasPrefix("#") }!
        .replacingOccurrences(of: "<principal>", with: persona.id)
        .replacingOccurrences(of: "<public key>", with: key)
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: keys)
    let sshd = try SSHDaemon(world, name: "plain", authorizedKeys: keys)
    try Self.gateHolds(team, bare: bare) { persona in
      (sshd.url(bare.path), ["GIT_SSH_COMMAND": SSHDaemon.command(key: persona.key)])
    }
  }

  @Test("gitolite behind sshd: the pusher is gitolite's authenticated user (GL_USER)")
  func gitolite() throws {
    let team = try Team()
    let world = team.world
    let server = try Self.serverIdentity(team)
    // The platform's own admin key administers gitolite; gitolite lives in its own HOME.
    let ops = try world.persona("ops")
    let home = world.root.appendingPathComponent("gitolite")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    // gitolite names a key's user after its file: ops.pub is the user `ops`.
    let opsKey = world.root.appendingPathComponent("ops.pub")
    try FileManager.default.copyItem(atPath: ops.key + ".pub", toPath: opsKey.path)
    try world.expectSuccess(
      world.run(
        ["gitolite", "setup", "-pk", opsKey.path], in: home, environment: ["HOME": home.path])
    )
    let sshd = try SSHDaemon(
      world, name: "gitolite", authorizedKeys: home.appendingPathComponent(".ssh/authorized_keys"),
      environment: ["HOME": home.path])
    let asOps = ["GIT_SSH_COMMAND": SSHDaemon.command(key: ops.key)]
    let admin = world.root.appendingPathComponent("gitolite-admin")
    try world.expectSuccess(
      world.run(
        ["git", "clone", "-q", sshd.url("gitolite-admin"), admin.path], in: world.root,
        environment: asOps))
    for persona in [team.alice, team.bob, team.carol] {
      try FileManager.default.copyItem(
        atPath: persona.key + ".pub",
        toPath: admin.appendingPathComponent("keydir/\(persona.id).pub").path)
    }
    let conf = try String(
      contentsOf: World.packageRoot.appendingPathComponent(
        "templates/servers/gitolite/gitolite.conf"),
      encoding: .utf8)
    try Data(conf.utf8).write(to: admin.appendingPathComponent("conf/gitolite.conf"))
    for command in [
      ["git", "add", "-A"],
      [
        "git", "-c", "user.name=ops", "-c", "user.email=ops@forge.example", "commit", "-q", "-m",
        "app",
      ],
      ["git", "push", "-q", "origin", "HEAD"],
    ] {
      try world.expectSuccess(world.run(command, in: admin, environment: asOps))
    }
    // The repository's first content, before the hooks: its branches and governance history.
    try world.expectSuccess(
      world.run(
        ["git", "push", "-q", "--no-verify", sshd.url("app"), "main", "governance"], in: world.work,
        environment: ["GIT_SSH_COMMAND": SSHDaemon.command(key: team.alice.key)]))
    let bare = home.appendingPathComponent("repositories/app.git")
    try world.expectSuccess(
      world.govern(["hooks", "install", "--server", "--key", server.key], in: bare))
    try Self.gateHolds(team, bare: bare) { persona in
      (sshd.url("app"), ["GIT_SSH_COMMAND": SSHDaemon.command(key: persona.key)])
    }
  }

  @Test("Apache with git http-backend and basic authentication: the pusher is REMOTE_USER")
  func apacheHTTPBackend() throws {
    let team = try Team()
    let world = team.world
    let server = try Self.serverIdentity(team)
    let passwords = ["bob": "bob-secret", "carol": "carol-secret"]
    let apache = try ApacheGitServer(world, users: passwords)
    let bare = apache.projects.appendingPathComponent("app.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    // The hooks run as Apache's workers: the repository and the server's key are theirs.
    let key = apache.folder.appendingPathComponent("server-key")
    try FileManager.default.copyItem(atPath: server.key, toPath: key.path)
    try FileManager.default.copyItem(atPath: server.key + ".pub", toPath: key.path + ".pub")
    try world.expectSuccess(
      world.govern(["hooks", "install", "--server", "--key", key.path], in: bare))
    if Loopback.isRoot {
      let owner = ApacheGitServer.workerUser
      try world.expectSuccess(
        world.run(
          ["chown", "-R", "\(owner):\(owner)", bare.path, key.path, key.path + ".pub"],
          in: world.root))
    }
    try Self.gateHolds(team, bare: bare) { persona in
      (apache.url("app.git", user: persona.id, password: passwords[persona.id] ?? ""), [:])
    }
    // Without credentials nobody pushes at all.
    try world.git("remote", "set-url", "origin", "http://127.0.0.1:\(apache.port)/git/app.git")
    let anonymous = try world.run(
      ["git", "push", "--no-verify", "origin", "main"], in: world.work,
      environment: ["GIT_TERMINAL_PROMPT": "0"])
    #expect(anonymous.status != 0)
  }
}
