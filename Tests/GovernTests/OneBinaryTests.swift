import Foundation
import GovernCLI
import Testing

/// One binary is enough: templates/ and hooks/ are compiled in, so a git-govern copied alone
/// anywhere inits a repository, installs its hooks, and its hooks run it.
@Suite("one binary: templates and hooks compiled in")
struct OneBinaryTests {
  static let regenerate =
    "run scripts/embed-share (or make embed) and commit Sources/GovernCLI/Generated/EmbeddedShare.swift"

  @Test("every file of templates/ and hooks/ is compiled in, byte for byte, and nothing else is")
  func embeddedTextsAreTheFiles() throws {
    let root = World.packageRoot
    var onDisk: [String] = []
    for folder in ["templates", "hooks"] {
      let base = root.appendingPathComponent(folder)
      let walker = try #require(FileManager.default.enumerator(atPath: base.path))
      while let relative = walker.nextObject() as? String {
        var isFolder: ObjCBool = false
        let path = base.appendingPathComponent(relative).path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue
        {
          onDisk.append("\(folder)/\(relative)")
        }
      }
    }
    #expect(onDisk.contains("templates/policy.yml") && onDisk.contains("hooks/pre-receive"))
    for path in onDisk.sorted() {
      let file = try Data(contentsOf: root.appendingPathComponent(path))
      guard let embedded = EmbeddedShare.files[path] else {
        Issue.record("\(path) is not compiled into git-govern: \(Self.regenerate)")
        continue
      }
      #expect(
        Data(embedded.utf8) == file,
        "\(path) differs from the text compiled into git-govern: \(Self.regenerate)")
    }
    for path in Set(EmbeddedShare.files.keys).subtracting(onDisk).sorted() {
      Issue.record(
        "git-govern carries \(path), which is no longer in the checkout: \(Self.regenerate)")
    }
  }

  /// The hook's start: libgit2 on mbedTLS parses the system CA bundle in `git_libgit2_init`,
  /// 40 % of a `check`. The binary's own `mbedtls_x509_crt_parse_file` (Clibgit2Startup) must
  /// be the one libgit2 binds to, as the dynamic loader reports it.
  @Test("libgit2 in the binary binds its CA bundle load to git-govern's refusal, and still reads")
  func libgit2SkipsTheCABundle() throws {
    let world = try World()
    try world.expectSuccess(world.run(["git", "init", "-q", "repo"], in: world.root))
    let result = try world.run(
      [World.binary, "doctor"], in: world.root.appendingPathComponent("repo"),
      environment: ["LD_DEBUG": "bindings"])
    #expect(result.stdout.contains("git-govern"), "\(result.stdout)")
    let binding = result.stderr.split(separator: "\n").filter {
      $0.contains("libgit2") && $0.contains("`mbedtls_x509_crt_parse_file'")
    }
    if result.stderr.contains("libmbedx509") {
      #expect(
        binding.count == 1 && binding[0].contains("to \(World.binary) "),
        "libgit2 loads the CA bundle with mbedTLS's own function: \(binding)")
    }
  }

  @Test(
    "a binary copied alone to an empty folder inits a repository and installs the client and server hooks; they run it, the server refuses an unapproved tag, and doctor finds them git-govern's"
  )
  func copiedBinaryIsEnough() throws {
    let world = try World()
    let alice = try world.persona("alice")
    let server = try world.persona("server", email: "server@forge.example")
    let lone = world.root.appendingPathComponent("lone/git-govern")
    try FileManager.default.createDirectory(
      at: lone.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: World.binary, toPath: lone.path)
    // Neither the build folder nor a share folder anywhere: PATH holds only the system's tools.
    let alone = ["PATH": "/usr/local/bin:/usr/bin:/bin", "GIT_GOVERN_SHARE": ""]
    func run(_ arguments: [String], in directory: URL) throws -> World.Result {
      try world.run([lone.path] + arguments, in: directory, environment: alone)
    }

    try world.repository(admin: alice, initGovernance: false)
    let initialized = try run(["init"], in: world.work)
    try world.expectSuccess(initialized)
    #expect(initialized.stdout.contains("Installed the pre-push hook"), "\(initialized.output)")
    let policy = try world.git("show", "refs/heads/governance:policy.yml")
    let template = try String(
      contentsOf: World.packageRoot.appendingPathComponent("templates/policy.yml"), encoding: .utf8)
    #expect(policy + "\n" == template, "init writes the policy template as it is")
    let prePush = try String(
      contentsOf: world.work.appendingPathComponent(".git/hooks/pre-push"), encoding: .utf8)
    #expect(prePush.contains("GIT_GOVERN=\"\(lone.path)\""), "\(prePush)")

    let bare = world.root.appendingPathComponent("server.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    try world.git("config", "user.email", server.email, in: bare)
    let installed = try run(
      ["hooks", "install", "--server", "--signing-key", server.key], in: bare)
    try world.expectSuccess(installed)
    #expect(installed.stdout.contains("post-receive"), "\(installed.output)")
    let serverChecks = try Self.doctorChecks(run(["doctor", "--json"], in: bare))
    for hook in ["hooks.pre-receive", "hooks.post-receive"] {
      #expect(serverChecks[hook] == "ok", "\(hook): \(serverChecks)")
    }
    let clientChecks = try Self.doctorChecks(run(["doctor", "--json"], in: world.work))
    #expect(clientChecks["hooks.pre-push"] == "ok", "\(clientChecks)")

    // The hooks run the lone binary: the client's refuses the tag, and past it the server's does.
    try world.git("remote", "add", "origin", bare.path)
    try world.git("tag", "v1.0.0")
    let push = try world.run(
      ["git", "push", "origin", "refs/tags/v1.0.0"], in: world.work, environment: alone)
    #expect(push.status != 0, "\(push.output)")
    #expect(push.stderr.contains("no release was requested"), "\(push.output)")
    let skipped = try world.run(
      ["git", "push", "--no-verify", "origin", "refs/tags/v1.0.0"], in: world.work,
      environment: alone)
    #expect(skipped.status != 0, "\(skipped.output)")
    #expect(
      skipped.stderr.contains("remote:"), "the server's pre-receive refused it: \(skipped.output)")
  }

  /// Each check of a `doctor --json` run, by id: its status.
  static func doctorChecks(_ result: World.Result) throws -> [String: String] {
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      "\(result.output)")
    return (report["checks"] as? [[String: Any]] ?? []).reduce(into: [:]) {
      $0[$1["id"] as? String ?? ""] = $1["status"] as? String
    }
  }

  @Test(
    "controls template prints a template byte for byte as templates/controls holds it, lists them, and refuses an unknown name"
  )
  func controlsTemplate() throws {
    let world = try World()
    let listed = try world.govern(["controls", "template"], in: world.root)
    try world.expectSuccess(listed)
    #expect(listed.stdout.contains("soc2\tSOC 2\n"), "\(listed.output)")
    for name in ["sox-itgc", "soc2", "iso27001", "nist-800-53"] {
      #expect(listed.stdout.contains("\(name)\t"), "\(listed.output)")
      let printed = try world.govern(["controls", "template", name], in: world.root)
      try world.expectSuccess(printed)
      let file = try String(
        contentsOf: World.packageRoot.appendingPathComponent("templates/controls/\(name).yml"),
        encoding: .utf8)
      #expect(printed.stdout == file, "\(name)")
    }
    let unknown = try world.govern(["controls", "template", "soc3"], in: world.root)
    #expect(unknown.status == 2, "\(unknown.output)")
    #expect(unknown.stderr.contains("no control catalog template \"soc3\""), "\(unknown.output)")
    #expect(unknown.stderr.contains("Did you mean soc2?"), "\(unknown.output)")
  }
}
