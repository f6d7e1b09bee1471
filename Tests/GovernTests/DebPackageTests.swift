import Foundation
import GovernCLI
import Testing

/// The Debian package as `make deb` builds it (packaging/build-deb), made here from the binary
/// under test: inspected with dpkg-deb, then installed with dpkg when running as root (CI does)
/// and removed again, or else unpacked with dpkg-deb -x; either way run as installed.
@Suite("the Debian package")
struct DebPackageTests {
  /// The fields of `dpkg-deb --info`'s control part.
  static func fields(_ info: String) -> [String: String] {
    var fields: [String: String] = [:]
    for line in info.split(separator: "\n") {
      let trimmed = line.drop { $0 == " " }
      guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("new "),
        trimmed.prefix(upTo: colon).allSatisfy({ $0.isLetter || $0 == "-" })
      else { continue }
      fields[String(trimmed[..<colon])] = trimmed[trimmed.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    return fields
  }

  @Test(
    "the package holds the binary, its man pages and completions, the templates and hooks, and depends on git, openssh-client and the libgit2 package the binary links; installed, it runs, man finds git-govern-approve, and it inits a repository"
  )
  func packageInstallsAndRuns() throws {
    let world = try World()
    let output = world.root.appendingPathComponent("deb")
    // Uncompressed: the package of the debug binary is what is tested, not xz's speed.
    let built = try world.run(
      [
        World.packageRoot.appendingPathComponent("packaging/build-deb").path, World.binary,
        output.path,
      ], in: World.packageRoot, environment: ["DEB_COMPRESSION": "none"])
    try world.expectSuccess(built)
    let architecture = try world.run(["dpkg", "--print-architecture"], in: world.root).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let deb = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(
      deb
        == output.appendingPathComponent(
          "git-govern_\(GitGovernVersion.number)_\(architecture).deb"
        ).path, "\(built.output)")

    let info = try world.run(["dpkg-deb", "--info", deb], in: world.root)
    try world.expectSuccess(info)
    let fields = Self.fields(info.stdout)
    #expect(fields["Package"] == "git-govern", "\(info.stdout)")
    #expect(fields["Version"] == GitGovernVersion.number, "\(info.stdout)")
    #expect(fields["Architecture"] == architecture, "\(info.stdout)")
    #expect(fields["Maintainer"]?.isEmpty == false, "\(info.stdout)")
    let depends = Set(
      (fields["Depends"] ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      })
    // The package that owns the libgit2 the binary is linked with, found here independently.
    let ldd = try world.run(["ldd", World.binary], in: world.root).stdout
    let libgit2 = try #require(
      ldd.split(separator: "\n").first { $0.contains("libgit2") }?.split(separator: " ").first {
        $0.hasPrefix("/")
      }, "\(ldd)")
    let owner = try world.run(
      ["sh", "-c", "dpkg -S \"$(readlink -f \(libgit2))\" | head -n 1 | cut -d: -f1"],
      in: world.root
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(owner.hasPrefix("libgit2"), "\(owner)")
    for package in ["git", "openssh-client", owner] {
      #expect(depends.contains(package), "Depends lacks \(package): \(info.stdout)")
    }

    let contents = try world.run(["dpkg-deb", "--contents", deb], in: world.root)
    try world.expectSuccess(contents)
    let entries = contents.stdout.split(separator: "\n").map(String.init)
    func entry(_ path: String) -> String? { entries.first { $0.hasSuffix(" ./" + path) } }
    for path in [
      "usr/bin/git-govern", "usr/share/man/man1/git-govern.1.gz",
      "usr/share/man/man1/git-govern-approve.1.gz",
      "usr/share/man/man1/git-govern-identity-add.1.gz",
      "usr/share/bash-completion/completions/git-govern",
      "usr/share/zsh/vendor-completions/_git-govern",
      "usr/share/fish/vendor_completions.d/git-govern.fish",
      "usr/share/git-govern/templates/policy.yml",
      "usr/share/git-govern/templates/controls/soc2.yml",
      "usr/share/git-govern/hooks/pre-receive",
    ] {
      let line = entry(path)
      #expect(line?.contains("root/root") == true, "\(path): \(line ?? "missing")")
    }
    #expect(entry("usr/bin/git-govern")?.hasPrefix("-rwxr-xr-x") == true)
    #expect(entry("usr/share/git-govern/hooks/pre-push")?.hasPrefix("-rwxr-xr-x") == true)

    // Installed for real where that is allowed and leaves nobody's git-govern overwritten.
    let installedAlready =
      try world.run(["dpkg-query", "-W", "git-govern"], in: world.root).status == 0
      || FileManager.default.fileExists(atPath: "/usr/bin/git-govern")
    let install = getuid() == 0 && !installedAlready
    let prefix: URL
    if install {
      let installed = try world.run(["dpkg", "-i", deb], in: world.root)
      defer {
        let removed = try? world.run(["dpkg", "-r", "git-govern"], in: world.root)
        #expect(removed?.status == 0, "\(removed?.output ?? "")")
        #expect(
          !FileManager.default.fileExists(atPath: "/usr/bin/git-govern"),
          "dpkg -r removes the binary")
      }
      try world.expectSuccess(installed)
      prefix = URL(fileURLWithPath: "/")
      try Self.runInstalled(world, prefix: prefix, manPath: nil)
    } else {
      prefix = world.root.appendingPathComponent("unpacked")
      try world.expectSuccess(world.run(["dpkg-deb", "-x", deb, prefix.path], in: world.root))
      try Self.runInstalled(
        world, prefix: prefix, manPath: prefix.appendingPathComponent("usr/share/man").path)
    }
  }

  /// The installed binary as a user runs it: its version, its man page, and `init`.
  static func runInstalled(_ world: World, prefix: URL, manPath: String?) throws {
    let binary = prefix.appendingPathComponent("usr/bin/git-govern").path
    let version = try world.run([binary, "--version"], in: world.root)
    try world.expectSuccess(version)
    #expect(version.stdout == GitGovernVersion.number + "\n", "\(version.output)")

    // man's own search path (MANPATH unset) once installed, the unpacked tree's otherwise.
    let man =
      manPath.map { ["env", "MANPATH=\($0)", "man", "-w", "git-govern-approve"] }
      ?? ["env", "-u", "MANPATH", "man", "-w", "git-govern-approve"]
    let page = try world.run(man, in: world.root)
    try world.expectSuccess(page)
    #expect(
      page.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        == prefix.appendingPathComponent("usr/share/man/man1/git-govern-approve.1.gz").path,
      "\(page.output)")

    let alice = try world.persona("alice")
    try world.repository(admin: alice, initGovernance: false)
    let initialized = try world.run(
      [binary, "init"], in: world.work, environment: ["GIT_GOVERN_SHARE": ""])
    try world.expectSuccess(initialized)
    #expect(try world.git("ls-tree", "--name-only", "refs/heads/governance").contains("policy.yml"))
    let hook = try String(
      contentsOf: world.work.appendingPathComponent(".git/hooks/pre-push"), encoding: .utf8)
    #expect(hook.contains("check --hook pre-push"), "\(hook)")
  }
}
