import Foundation
import Ledger
import Testing

/// A bare repository served by a real `git daemon` on 127.0.0.1 with git-govern's server hooks
/// installed, and the team's work repository pointing at it.
final class ServerWorld {
  let team: Team
  var world: World { team.world }
  let server: World.Persona
  let bare: URL
  let port: Int
  private let daemon: Process

  var url: String { "git://127.0.0.1:\(port)/server.git" }

  init(pusher: String? = nil) throws {
    team = try Team()
    let world = team.world
    server = try world.persona("server", email: "server@forge.example")
    try world.register(server, roles: ["server"], by: team.alice)
    bare = world.root.appendingPathComponent("server.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    try world.expectSuccess(
      world.run(["git", "config", "user.email", "server@forge.example"], in: bare))
    try world.expectSuccess(
      world.govern(["hooks", "install", "--server", "--key", server.key], in: bare))

    // git-daemon itself: `git daemon` would leave it running as an orphan when killed.
    let daemonPath = try world.git("--exec-path") + "/git-daemon"
    var environment: [String: String] = [:]
    if let pusher { environment["GIT_GOVERN_PUSHER"] = pusher }
    var started: (Process, Int)?
    for _ in 0..<20 {
      let candidate = Int.random(in: 20000...60000)
      let process = try ServerWorld.launch(
        [
          daemonPath, "--reuseaddr", "--listen=127.0.0.1", "--port=\(candidate)",
          "--base-path=\(world.root.path)",
          "--export-all", "--enable=receive-pack", "--informative-errors", world.root.path,
        ], in: world.root, world: world, environment: environment)
      if ServerWorld.waitUntilServing(port: candidate, world: world) {
        started = (process, candidate)
        break
      }
      kill(process.processIdentifier, SIGKILL)
    }
    guard let (process, port) = started else {
      throw World.WorldError.commandFailed("git daemon did not start")
    }
    daemon = process
    self.port = port
    try world.git("remote", "add", "origin", url)
  }

  deinit {
    // SIGKILL: a child started from a Swift concurrency thread may have SIGTERM blocked.
    kill(daemon.processIdentifier, SIGKILL)
  }

  static func launch(
    _ command: [String], in directory: URL, world: World, environment: [String: String]
  ) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["PATH"] =
      URL(fileURLWithPath: World.binary).deletingLastPathComponent().path + ":"
      + (env["PATH"] ?? "/usr/bin:/bin")
    env["HOME"] = world.root.path
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["NO_COLOR"] = "1"
    for name in ["GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_PARAMETERS", "GIT_GOVERN_NOW"] {
      env.removeValue(forKey: name)
    }
    env.merge(environment) { $1 }
    process.environment = env
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  static func waitUntilServing(port: Int, world: World) -> Bool {
    for _ in 0..<50 {
      if let result = try? world.run(
        ["git", "ls-remote", "git://127.0.0.1:\(port)/server.git"], in: world.root),
        result.status == 0
      {
        return true
      }
      usleep(100_000)
    }
    return false
  }

  /// What the server's governance branch holds for a release.
  func serverRecords(_ release: String) throws -> [String] {
    let result = try world.run(
      [
        "git", "ls-tree", "--name-only", "refs/heads/governance",
        "\(LedgerPaths.releaseDirectory(release))/",
      ], in: bare)
    return result.stdout.split(separator: "\n").map(String.init)
  }

  /// A fresh clone of the server for `persona`, with their identity configured.
  func clone(for persona: World.Persona) throws -> URL {
    let directory = world.root.appendingPathComponent("clone-\(persona.id)")
    try world.expectSuccess(world.run(["git", "clone", "-q", url, directory.path], in: world.root))
    for (key, value) in [
      ("user.email", persona.email), ("user.name", persona.id), ("user.signingkey", persona.key),
    ] {
      try world.expectSuccess(world.run(["git", "config", key, value], in: directory))
    }
    return directory
  }
}
