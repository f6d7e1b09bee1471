import ArgumentParser
import Foundation

/// The man pages (`git-govern.1`, `git-govern-approve.1`, `git-govern-identity-add.1`, …) made
/// from the very definitions `-h` prints, read through ArgumentParser's description of the
/// command tree, so a page cannot miss a flag the help shows. git opens `git-govern.1` for
/// `git govern --help` and `git help govern`.
struct ManualPage {
  /// The part of ArgumentParser's command description (`_dumpHelp`) a page needs.
  struct Command: Decodable {
    var superCommands: [String]?
    var shouldDisplay: Bool?
    var commandName: String
    var abstract: String?
    var discussion: String?
    var subcommands: [Command]?
    var arguments: [Argument]?
  }

  struct Argument: Decodable {
    struct Name: Decodable {
      var kind: String
      var name: String
    }
    var kind: String
    var shouldDisplay: Bool
    var isOptional: Bool
    var isRepeating: Bool
    var names: [Name]?
    var valueName: String?
    var defaultValue: String?
    var abstract: String?
    var discussion: String?
  }

  /// The page's name: the command's words joined by dashes (`git-govern-identity-add`).
  let name: String
  let text: String

  /// One page for every command `-h` shows, the root first.
  static func all(version: String = GitGovernVersion.number) throws -> [ManualPage] {
    struct Tool: Decodable { var command: Command }
    let root = try JSONDecoder().decode(Tool.self, from: Data(GitGovern._dumpHelp().utf8)).command
    var pages: [ManualPage] = []
    func visit(_ command: Command) {
      // ArgumentParser's own `help` command is `--help` by another name: no page of its own.
      guard command.shouldDisplay ?? true, command.commandName != "help" else { return }
      pages.append(ManualPage(command, version: version))
      command.subcommands?.forEach(visit)
    }
    visit(root)
    return pages
  }

  init(_ command: Command, version: String) {
    let words = (command.superCommands ?? []) + [command.commandName]
    name = words.joined(separator: "-")
    // Users type `git govern approve`; the page is found as `git-govern-approve`.
    let typed = (["git", "govern"] + words.dropFirst()).joined(separator: " ")
    let arguments = (command.arguments ?? []).filter(\.shouldDisplay)
    let subcommands = (command.subcommands ?? []).filter {
      ($0.shouldDisplay ?? true) && $0.commandName != "help"
    }
    var roff = [
      ".TH \(Self.escape(name.uppercased())) 1 \"\" \"git-govern \(version)\" \"git-govern manual\"",
      ".SH NAME",
      "\(Self.escape(name)) \\- \(Self.escape(command.abstract ?? typed))",
      ".SH SYNOPSIS",
      ".B \(Self.escape(typed))",
    ]
    // -h and --version are on every page's OPTIONS; a synopsis shows what the command takes.
    let synopsis =
      arguments.filter { !Self.isHelpOrVersion($0) }.map(Self.synopsis)
      + (subcommands.isEmpty ? [] : ["<command>"])
    if !synopsis.isEmpty { roff.append(Self.escape(synopsis.joined(separator: " "))) }
    roff.append(".SH DESCRIPTION")
    roff.append(Self.escape(command.abstract ?? ""))
    if let discussion = command.discussion, !discussion.isEmpty {
      roff += Self.paragraphs(discussion)
    }
    if !subcommands.isEmpty {
      roff.append(".SH COMMANDS")
      for sub in subcommands {
        let page = (words + [sub.commandName]).joined(separator: "-")
        roff += [
          ".TP", "\\fB\(Self.escape(typed + " " + sub.commandName))\\fR",
          Self.escape(sub.abstract ?? "") + " See \\fB\(Self.escape(page))\\fR(1).",
        ]
      }
    }
    let positionals = arguments.filter { $0.kind == "positional" }
    if !positionals.isEmpty {
      roff.append(".SH ARGUMENTS")
      for argument in positionals { roff += Self.item(argument) }
    }
    let named = arguments.filter { $0.kind != "positional" }
    if !named.isEmpty {
      roff.append(".SH OPTIONS")
      for argument in named { roff += Self.item(argument) }
    }
    roff.append(".SH EXIT STATUS")
    roff.append(
      "0: ok, allowed or ready. 1: blocked by policy, or audit findings. 2: a usage, configuration or input error, named in the message."
    )
    roff.append(".SH SEE ALSO")
    let seeAlso =
      words.count > 1 ? [words.dropLast().joined(separator: "-")] : ["git", "ssh-keygen"]
    roff.append(seeAlso.map { "\\fB\(Self.escape($0))\\fR(1)" }.joined(separator: ", "))
    text = roff.joined(separator: "\n") + "\n"
  }

  private static func isHelpOrVersion(_ argument: Argument) -> Bool {
    argument.kind == "flag"
      && (argument.names ?? []).contains { $0.name == "help" || $0.name == "version" }
  }

  /// `--comment <comment>`, `[--json]`, `<release>` as the synopsis shows them.
  private static func synopsis(_ argument: Argument) -> String {
    var text = label(argument)
    if argument.isRepeating { text += " …" }
    return argument.isOptional ? "[\(text)]" : text
  }

  private static func label(_ argument: Argument) -> String {
    let value = "<\(argument.valueName ?? "value")>"
    guard let names = argument.names, !names.isEmpty, argument.kind != "positional" else {
      return value
    }
    let spelled = names.map { ($0.kind == "long" ? "--" : "-") + $0.name }
      .joined(separator: ", ")
    return argument.kind == "option" ? "\(spelled) \(value)" : spelled
  }

  private static func item(_ argument: Argument) -> [String] {
    var help = argument.abstract ?? ""
    if let value = argument.defaultValue, !value.isEmpty, argument.kind == "option" {
      help += " (default: \(value))"
    }
    var lines = [".TP", "\\fB\(escape(label(argument)))\\fR", escape(help)]
    if let discussion = argument.discussion, !discussion.isEmpty {
      lines += paragraphs(discussion)
    }
    return lines
  }

  /// Paragraphs separated by blank lines; a block aligned in columns (a table of usages) keeps
  /// its lines as written, the rest is filled by roff.
  private static func paragraphs(_ text: String) -> [String] {
    text.components(separatedBy: "\n\n").flatMap { block -> [String] in
      let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let aligned = lines.contains {
        $0.hasPrefix(" ") || $0.trimmingCharacters(in: .whitespaces).contains("  ")
      }
      if lines.count > 1, aligned {
        return [".PP", ".nf"] + lines.map(escape) + [".fi"]
      }
      return [".PP", escape(lines.joined(separator: " "))]
    }
  }

  /// roff's special characters made literal: backslashes, dashes (so they stay ASCII and
  /// searchable), a leading dot or quote that would read as a request, and anything beyond
  /// ASCII as a named glyph (`…` is `\[u2026]`), which troff reads without a preprocessor.
  static func escape(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": escaped += "\\e"
      case "-": escaped += "\\-"
      case _ where scalar.value > 127:
        escaped += "\\[u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + "]"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
    return escaped
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
