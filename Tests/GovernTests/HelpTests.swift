import ArgumentParser
import Foundation
import GovernCLI
import Testing

/// Help as git gives it: man pages made from the same definitions as `-h`, opened by
/// `git govern --help`; `--version`; completion scripts that know the subcommands, flags,
/// release ids and people.
@Suite("help like git")
struct HelpTests {
  @Test("--version prints the one version string")
  func version() throws {
    let world = try World()
    let result = try world.govern(["--version"], in: world.root)
    #expect(result.status == 0, "\(result.output)")
    #expect(
      result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == GitGovernVersion.number)
  }

  /// ArgumentParser derives a missing name with `String(describing:)`, whose dynamic casts each
  /// scan every protocol conformance in the binary: for the whole command tree that was about
  /// a third of every hook run's start. Naming each command keeps that off the hook's path.
  @Test("every command names itself, so starting the binary derives no command names")
  func everyCommandIsNamed() {
    var unnamed: [String] = []
    var commands: [ParsableCommand.Type] = [GitGovern.self]
    while let command = commands.popLast() {
      if command.configuration.commandName == nil { unnamed.append("\(command)") }
      commands += command.configuration.subcommands
    }
    #expect(unnamed.isEmpty, "add commandName: to the configuration of \(unnamed)")
  }

  @Test("every command -h shows has a man page, and the page names every flag its -h shows")
  func manualPagesMatchHelp() throws {
    let world = try World()
    let pages = world.root.appendingPathComponent("man/man1")
    try world.expectSuccess(world.govern(["_manual", pages.path], in: world.root))
    var commands: [[String]] = [[]]
    var checked = 0
    while let command = commands.popLast() {
      let help = try world.govern(command + ["-h"], in: world.root)
      try world.expectSuccess(help)
      commands += Self.subcommands(inHelp: help.stdout).map { command + [$0] }
      let name = (["git-govern"] + command).joined(separator: "-")
      let file = pages.appendingPathComponent("\(name).1")
      guard let roff = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("\(name).1 is missing for `git govern \(command.joined(separator: " "))`")
        continue
      }
      let page = Self.plainText(ofRoff: roff)
      for flag in Self.flags(inHelp: help.stdout) {
        #expect(page.contains(flag), "\(name).1 does not name \(flag), which -h shows")
      }
      #expect(page.contains(".SH SYNOPSIS") && page.contains(".SH NAME"), "\(name).1")
      checked += 1
    }
    // The root, its commands and the commands of groups (identity add, policy check, …).
    #expect(checked > 45, "only \(checked) commands found through -h")
    #expect(
      FileManager.default.fileExists(
        atPath: pages.appendingPathComponent("git-govern-identity-add.1").path))
  }

  @Test("git govern --help and git help govern open the man page; man git-govern-approve too")
  func gitOpensTheManualPage() throws {
    let world = try World()
    let manual = world.root.appendingPathComponent("man")
    try world.expectSuccess(
      world.govern(["_manual", manual.appendingPathComponent("man1").path], in: world.root))
    let environment = [
      "MANPATH": manual.path, "MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "100",
      "MAN_DISABLE_SECCOMP": "1", "LANG": "C.UTF-8",
    ]
    for command in [
      ["git", "-c", "help.format=man", "govern", "--help"],
      ["git", "-c", "help.format=man", "help", "govern"],
    ] {
      let shown = try world.run(command, in: world.root, environment: environment)
      #expect(shown.status == 0, "\(command): \(shown.output)")
      let text = Self.plainRendered(shown.stdout)
      #expect(text.contains("git-govern - Release governance for Git"), "\(command): \(text)")
      #expect(text.contains("git govern approve"), "\(command)")
      #expect(text.contains("-C <dir>"), "\(command)")
    }
    let approve = try world.run(
      ["man", "git-govern-approve"], in: world.root, environment: environment)
    #expect(approve.status == 0, "\(approve.output)")
    let text = Self.plainRendered(approve.stdout)
    #expect(text.contains("--signing-key <signing-key>"), "\(text)")
    #expect(text.contains("<release>") && text.contains("EXIT STATUS"), "\(text)")
    #expect(!text.contains("--key"), "the old --key alias is not documented as a flag: \(text)")
  }

  @Test("bash completion: git govern app<TAB> is approve, a release id and a person complete")
  func bashCompletion() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    let script = world.root.appendingPathComponent("git-govern.bash")
    let generated = try world.govern(["completion", "bash"], in: world.root)
    try world.expectSuccess(generated)
    try Data(generated.stdout.utf8).write(to: script)

    #expect(try complete(["git", "govern", "app"], script: script, in: world) == ["approve"])
    #expect(
      try complete(["git", "govern", "approve", "r-"], script: script, in: world) == [release])
    #expect(
      try complete(["git", "govern", "identity", "revoke", "ca"], script: script, in: world)
        == ["carol"])
    #expect(
      try complete(["git", "govern", "approve", release, "--sig"], script: script, in: world)
        == ["--signing-key"])
    #expect(
      try complete(["git", "govern", "approve", release, "--ke"], script: script, in: world)
        == [], "the hidden --key alias is never offered")
    // `git -C <repository> govern …` from elsewhere reads that repository's releases.
    #expect(
      try complete(
        ["git", "-C", world.work.path, "govern", "approve", "r-"], script: script, in: world,
        from: world.root) == [release])
    // Typed as git-govern, without git in between.
    #expect(try complete(["git-govern", "stat"], script: script, in: world) == ["status"])
    // Through git's own completion, which finds _git_govern for `git govern`.
    let gitCompletion = "/usr/share/bash-completion/completions/git"
    #expect(
      FileManager.default.fileExists(atPath: gitCompletion), "git's completion is shipped with git")
    #expect(
      try complete(
        ["git", "govern", "rej"], script: script, in: world, through: gitCompletion) == ["reject"])
  }

  @Test("zsh and fish scripts are generated for git-govern")
  func otherShells() throws {
    let world = try World()
    let zsh = try world.govern(["completion", "zsh"], in: world.root)
    #expect(zsh.status == 0 && zsh.stdout.hasPrefix("#compdef git-govern"), "\(zsh.output)")
    let fish = try world.govern(["completion", "fish"], in: world.root)
    #expect(fish.status == 0 && fish.stdout.contains("complete -c 'git-govern'"), "\(fish.output)")
    let bad = try world.govern(["completion", "tcsh"], in: world.root)
    #expect(bad.status == 2 && bad.stderr.contains("tcsh"), "\(bad.output)")
  }

  /// What bash offers when TAB is pressed after `words` (the last one being completed): the
  /// script is sourced and its function driven with COMP_WORDS and COMP_CWORD, as bash does.
  private func complete(
    _ words: [String], script: URL, in world: World, through gitCompletion: String? = nil,
    from directory: URL? = nil
  ) throws -> [String] {
    let line = words.joined(separator: " ")
    let function =
      gitCompletion != nil
      ? "__git_wrap__git_main" : (words[0] == "git" ? "_git_govern" : "_git-govern")
    let program = """
      \(gitCompletion.map { "source \($0)" } ?? "")
      source '\(script.path)'
      COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " ")))
      COMP_CWORD=\(words.count - 1)
      COMP_LINE='\(line)'
      COMP_POINT=${#COMP_LINE}
      COMPREPLY=()
      \(function) '\(words[0])' '\(words.last!)' '\(words[words.count - 2])'
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let result = try world.run(["bash", "--norc", "-c", program], in: directory ?? world.work)
    #expect(result.stderr.isEmpty, "\(line): \(result.stderr)")
    return result.stdout.split(separator: "\n").map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  /// The names under SUBCOMMANDS in ArgumentParser's help.
  static func subcommands(inHelp help: String) -> [String] {
    guard let section = help.components(separatedBy: "SUBCOMMANDS:\n").dropFirst().first else {
      return []
    }
    return section.split(separator: "\n", omittingEmptySubsequences: false)
      .prefix { !$0.isEmpty }
      .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
      .compactMap { $0.split(separator: " ").first.map(String.init) }
  }

  /// Every `--flag` and `-f` the help mentions, in its usage, options and text.
  static func flags(inHelp help: String) -> Set<String> {
    let pattern = try! NSRegularExpression(
      pattern: #"(?<![\w-])(--[a-z][a-z0-9-]*|-[A-Za-z])(?![\w-])"#)
    let range = NSRange(help.startIndex..., in: help)
    return Set(
      pattern.matches(in: help, range: range).map { String(help[Range($0.range, in: help)!]) })
  }

  /// roff source with its escapes undone, so flags read as typed.
  static func plainText(ofRoff roff: String) -> String {
    roff.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\fB", with: "")
      .replacingOccurrences(of: "\\fR", with: "").replacingOccurrences(of: "\\fI", with: "")
      .replacingOccurrences(of: "\\&", with: "").replacingOccurrences(of: "\\e", with: "\\")
  }

  /// man's output with overstrike bold and typographic dashes made plain.
  static func plainRendered(_ text: String) -> String {
    let plain = text.replacingOccurrences(of: ".\u{08}", with: "", options: .regularExpression)
    // Justified lines carry extra spaces; hyphenation breaks words at line ends.
    return plain.replacingOccurrences(of: "\u{2212}", with: "-")
      .replacingOccurrences(of: "\u{2010}", with: "-")
      .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
  }
}
