import Foundation
import Testing

/// A scratch world for end-to-end tests: a temporary folder with real SSH keys, a real
/// repository with commits, and the real `git-govern` binary run as a user would run it.
final class World {
  let root: URL
  var work: URL { root.appendingPathComponent("work") }
  private(set) var people: [String: Persona] = [:]

  struct Persona {
    let id: String
    let email: String
    let key: String
    var publicKey: String { key + ".pub" }
  }

  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
    var output: String { stdout + stderr }
  }

  /// The package's root folder, for the files in templates/ and hooks/.
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static var binary: String {
    if let path = ProcessInfo.processInfo.environment["GIT_GOVERN_BIN"], !path.isEmpty {
      return path
    }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    return packageRoot.appendingPathComponent(".build/debug/git-govern").path
  }

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "govern-test-\(UUID().uuidString.prefix(12))")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// A person with a fresh ed25519 key (not yet registered anywhere).
  @discardableResult
  func persona(_ id: String, email: String? = nil, keyType: String = "ed25519") throws -> Persona {
    let key = root.appendingPathComponent("keys/\(id)-\(people.count)").path
    var arguments = ["ssh-keygen", "-q", "-t", keyType, "-N", "", "-C", "\(id)@test", "-f", key]
    if keyType == "rsa" { arguments += ["-b", "3072"] }
    try expectSuccess(run(arguments, in: root))
    let persona = Persona(id: id, email: email ?? "\(id)@example.com", key: key)
    people[id] = persona
    return persona
  }

  /// A work repository whose commits are authored by `author`; `admin` runs `init`.
  func repository(
    admin: Persona, commitsBy author: Persona? = nil, commits: Int = 2, initGovernance: Bool = true
  ) throws {
    try expectSuccess(run(["git", "init", "-q", "-b", "main", work.path], in: root))
    try git("config", "user.name", admin.id)
    try git("config", "user.email", admin.email)
    try git("config", "user.signingkey", admin.key)
    try git("config", "gpg.format", "ssh")
    for index in 0..<commits {
      try commit("file-\(index).txt", "change \(index)\n", by: author ?? admin)
    }
    if initGovernance {
      try expectSuccess(govern(["init"], as: admin))
    }
  }

  func commit(_ file: String, _ content: String, by author: Persona, email: String? = nil) throws {
    try Data(content.utf8).write(to: work.appendingPathComponent(file))
    try git("add", file)
    try expectSuccess(
      run(
        [
          "git", "-c", "user.name=\(author.id)", "-c", "user.email=\(email ?? author.email)",
          "commit", "-q", "-m", "edit \(file)",
        ],
        in: work))
  }

  /// Registers `persona` through `admin`, a policy-admin.
  func register(_ persona: Persona, roles: [String], by admin: Persona, team: String? = nil) throws
  {
    var arguments = [
      "identity", "add", persona.id, "--email", persona.email, "--key", persona.publicKey,
    ]
    for role in roles { arguments += ["--role", role] }
    if let team { arguments += ["--team", team] }
    try expectSuccess(govern(arguments, as: admin))
  }

  /// Runs `git govern …` as `persona`, who is made the actor through `git -c` (GIT_CONFIG_PARAMETERS).
  func govern(
    _ arguments: [String], as persona: Persona? = nil, in directory: URL? = nil,
    stdin: String? = nil, environment: [String: String] = [:]
  ) throws -> Result {
    var command = ["git"]
    if let persona {
      command += [
        "-c", "user.email=\(persona.email)", "-c", "user.signingkey=\(persona.key)", "-c",
        "user.name=\(persona.id)",
      ]
    }
    return try run(
      command + ["govern"] + arguments, in: directory ?? work, stdin: stdin,
      environment: environment)
  }

  /// A request made by `persona`; returns the release id (the only thing on stdout).
  func request(_ revision: String, to ref: String, as persona: Persona, extra: [String] = []) throws
    -> String
  {
    let result = try govern(["request", revision, "--to", ref] + extra, as: persona)
    try expectSuccess(result)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A clone of the work repository one commit deep on every branch, in `root/<name>`.
  func shallowClone(_ name: String) throws -> URL {
    let clone = root.appendingPathComponent(name)
    try expectSuccess(
      run(
        [
          "git", "clone", "-q", "--depth", "1", "--no-single-branch", "file://\(work.path)",
          clone.path,
        ], in: root))
    return clone
  }

  @discardableResult
  func git(_ arguments: String..., in directory: URL? = nil) throws -> String {
    let result = try run(["git"] + arguments, in: directory ?? work)
    try expectSuccess(result)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func run(
    _ command: [String], in directory: URL, stdin: String? = nil,
    environment: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    let binaryDirectory = URL(fileURLWithPath: World.binary).deletingLastPathComponent().path
    env["PATH"] = binaryDirectory + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env["HOME"] = root.path
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["NO_COLOR"] = "1"
    for name in [
      "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_PARAMETERS", "GIT_GOVERN_NOW", "SSH_AUTH_SOCK",
    ] {
      env.removeValue(forKey: name)
    }
    env.merge(environment) { $1 }
    process.environment = env
    let output = root.appendingPathComponent("out-\(UUID().uuidString)")
    let errors = root.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: output)
    let errHandle = try FileHandle(forWritingTo: errors)
    process.standardOutput = outHandle
    process.standardError = errHandle
    if let stdin {
      let input = root.appendingPathComponent("in-\(UUID().uuidString)")
      try Data(stdin.utf8).write(to: input)
      process.standardInput = try FileHandle(forReadingFrom: input)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    let result = Result(
      status: process.terminationStatus, stdout: try String(contentsOf: output, encoding: .utf8),
      stderr: try String(contentsOf: errors, encoding: .utf8))
    try? FileManager.default.removeItem(at: output)
    try? FileManager.default.removeItem(at: errors)
    return result
  }

  func expectSuccess(_ result: Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if result.status != 0 {
      Issue.record(
        "command failed (\(result.status)): \(result.output)", sourceLocation: sourceLocation)
      throw WorldError.commandFailed(result.output)
    }
  }

  enum WorldError: Error { case commandFailed(String) }

  /// The governance branch's tip, to prove a failed command wrote nothing.
  func governanceTip() throws -> String { try git("rev-parse", "refs/heads/governance") }
}
