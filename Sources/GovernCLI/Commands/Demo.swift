import ArgumentParser
import Foundation
import Ledger

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract:
      "Walk the whole flow in a throwaway repository: a blocked push, a refused self-approval, an approval, a push let through."
  )

  @Option(help: "Where to build the demo (default: a new temporary folder).")
  var dir: String?

  func run() throws {
    let root: URL
    if let dir {
      root = URL(fileURLWithPath: dir).standardizedFileURL
      if FileManager.default.fileExists(atPath: root.path),
        !((try? FileManager.default.contentsOfDirectory(atPath: root.path))?.isEmpty ?? true)
      {
        throw UsageError("--dir \(dir) exists and is not empty; give a new or empty folder")
      }
    } else {
      root = FileManager.default.temporaryDirectory.appendingPathComponent(
        "git-govern-demo-\(UUID().uuidString.prefix(8))")
    }
    try DemoScript(root: root).run()
  }
}

/// The demo's steps, run as a user would type them, each command and its output printed.
struct DemoScript {
  let root: URL
  var work: URL { root.appendingPathComponent("work") }
  var keys: URL { root.appendingPathComponent("keys") }

  struct Persona {
    let id: String
    let name: String
    let email: String
    let role: String
  }
  let alice = Persona(
    id: "alice", name: "Alice Admin", email: "alice@example.com", role: "release-manager")
  let bob = Persona(id: "bob", name: "Bob Builder", email: "bob@example.com", role: "developer")
  let carol = Persona(
    id: "carol", name: "Carol Checker", email: "carol@example.com", role: "security")
  let server = Persona(id: "server", name: "The Forge", email: "forge@example.com", role: "server")

  func key(_ persona: Persona) -> String { keys.appendingPathComponent(persona.id).path }

  func run() throws {
    try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
    say("git-govern demo in \(root.path)")
    say("\n== Keys and a repository with commits by bob; a bare \"server\" to push to")
    for persona in [alice, bob, carol, server] {
      try quiet(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", persona.email, "-f", key(persona)],
        in: root)
    }
    try quiet(["git", "init", "-q", "--bare", "server.git"], in: root)
    try quiet(["git", "init", "-q", "-b", "main", "work"], in: root)
    try quiet(["git", "config", "user.name", alice.name], in: work)
    try quiet(["git", "config", "user.email", alice.email], in: work)
    try quiet(["git", "config", "user.signingkey", key(alice)], in: work)
    try quiet(["git", "config", "gpg.format", "ssh"], in: work)
    for (index, line) in ["payments: first cut", "payments: retries", "payments: fix rounding"]
      .enumerated()
    {
      try Data("\(line)\n".utf8).write(to: work.appendingPathComponent("change-\(index).txt"))
      try quiet(["git", "add", "."], in: work)
      try quiet(
        [
          "git", "-c", "user.name=\(bob.name)", "-c", "user.email=\(bob.email)", "commit", "-q",
          "-m", line,
        ], in: work)
    }
    try quiet(["git", "remote", "add", "origin", "../server.git"], in: work)
    try quiet(["git", "push", "-q", "origin", "main"], in: work)

    say("\n== alice creates the governance branch and registers bob, carol and the server's key")
    try show(["git", "govern", "init"], in: work)
    try show(
      [
        "git", "govern", "identity", "add", "bob", "--email", bob.email, "--key", key(bob) + ".pub",
        "--role", bob.role, "--name", bob.name,
      ], in: work)
    try show(
      [
        "git", "govern", "identity", "add", "carol", "--email", carol.email, "--key",
        key(carol) + ".pub", "--role", carol.role, "--name", carol.name,
      ], in: work)
    try show(
      [
        "git", "govern", "identity", "add", "server", "--email", server.email, "--key",
        key(server) + ".pub", "--role", server.role, "--name", server.name,
      ], in: work)
    try show(["git", "govern", "policy", "show"], in: work)

    say(
      "\n== the platform owner makes the server the gate, and alice publishes the governance branch"
    )
    try show(
      ["git", "govern", "hooks", "install", "--server", "--signing-key", key(server)],
      in: root.appendingPathComponent("server.git"))
    try show(["git", "govern", "sync"], in: work)

    say("\n== bob tags v1.0.0 and pushes: no release was requested, so the hook refuses")
    try quiet(["git", "tag", "v1.0.0"], in: work)
    try show(as: bob, ["git", "push", "origin", "v1.0.0"], expect: 1)

    say("\n== bob requests the release")
    let release = try show(
      as: bob,
      ["git", "govern", "request", "v1.0.0", "--to", "refs/tags/v1.0.0", "--title", "Payments 1.0"]
    )
    .trimmingCharacters(in: .whitespacesAndNewlines)
    try show(as: bob, ["git", "govern", "status", release], expect: 1)

    say(
      "\n== bob tries to approve his own release: refused (requester, and author of every commit)")
    try show(as: bob, ["git", "govern", "approve", release], expect: 1)
    try show(as: bob, ["git", "push", "origin", "v1.0.0"], expect: 1)

    say("\n== bob skips his own hook with --no-verify: the server refuses all the same")
    try show(as: bob, ["git", "push", "--no-verify", "origin", "v1.0.0"], expect: 1)

    say("\n== carol approves, and --push publishes her approval")
    try show(
      as: carol, ["git", "govern", "approve", release, "--comment", "reviewed the diff", "--push"])
    try show(as: bob, ["git", "govern", "status", release])

    say(
      "\n== bob pushes again: both hooks let it through; the server writes a signed receipt and a note"
    )
    try show(as: bob, ["git", "push", "origin", "v1.0.0"])
    try show(as: bob, ["git", "govern", "sync"])
    try show(["git", "log", "-1", "--notes=governance", "--format=%h %s%n%N", "v1.0.0"], in: work)

    say("\n== An auditor checks a record with stock ssh-keygen")
    try show(
      ["git", "govern", "identity", "export", "--allowed-signers", "../allowed_signers"], in: work)
    let approvals = try capture(
      ["git", "ls-tree", "--name-only", "governance", "\(LedgerPaths.releaseDirectory(release))/"],
      in: work
    )
    .split(separator: "\n").map(String.init).filter {
      $0.contains("/approval-") && $0.hasSuffix(".json")
    }
    if let approval = approvals.first {
      try Data(try capture(["git", "show", "governance:\(approval)"], in: work).utf8).write(
        to: root.appendingPathComponent("record.json"))
      try Data(try capture(["git", "show", "governance:\(approval).sig"], in: work).utf8).write(
        to: root.appendingPathComponent("record.json.sig"))
      try show(
        [
          "sh", "-c",
          "ssh-keygen -Y verify -f allowed_signers -I \(carol.email) -n git-govern -s record.json.sig < record.json",
        ],
        in: root)
    }
    say("\n== The auditor's view of the server, offline")
    try show(["git", "govern", "audit"], in: root.appendingPathComponent("server.git"))
    say("\nDone. Look around: cd \(work.path) && git log --oneline governance")
  }

  func say(_ text: String) { Message.out(text) }

  private func environment(as persona: Persona?) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    let binary = URL(fileURLWithPath: RunningBinary.path).deletingLastPathComponent()
      .path
    environment["PATH"] = binary + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    environment.removeValue(forKey: "GIT_DIR")
    if let persona {
      let settings = [
        ("user.name", persona.name), ("user.email", persona.email),
        ("user.signingkey", key(persona)),
      ]
      environment["GIT_CONFIG_PARAMETERS"] = settings.map { "'\($0.0)'='\($0.1)'" }.joined(
        separator: " ")
    }
    return environment
  }

  @discardableResult
  private func show(
    as persona: Persona? = nil, _ command: [String], in directory: URL? = nil, expect: Int32 = 0
  ) throws -> String {
    let who = persona.map { "[\($0.id)] " } ?? ""
    say("\(who)$ \(command.joined(separator: " "))")
    let (status, output, errors) = try Subprocess.run(
      command, in: directory ?? work, environment: environment(as: persona))
    let trimmed = (output + errors).trimmingCharacters(in: .newlines)
    if !trimmed.isEmpty {
      say(
        trimmed.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(
          separator: "\n"))
    }
    guard status == expect else {
      throw UsageError(
        "demo step `\(command.joined(separator: " "))` exited \(status), expected \(expect)")
    }
    return output
  }

  private func quiet(_ command: [String], in directory: URL) throws {
    let (status, output, errors) = try Subprocess.run(
      command, in: directory, environment: environment(as: nil))
    guard status == 0 else {
      throw UsageError("demo step `\(command.joined(separator: " "))` failed: \(output)\(errors)")
    }
  }

  private func capture(_ command: [String], in directory: URL) throws -> String {
    let (status, output, _) = try Subprocess.run(
      command, in: directory, environment: environment(as: nil))
    guard status == 0 else {
      throw UsageError("demo step `\(command.joined(separator: " "))` failed")
    }
    return output
  }
}
