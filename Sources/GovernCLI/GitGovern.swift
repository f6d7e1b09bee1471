import ArgumentParser
import Foundation

/// `git govern`: release governance enforced at `git push`.
public struct GitGovern: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "git-govern",
    abstract: "Release governance for Git: signed requests and approvals, enforced at git push.",
    discussion: """
      Run it as `git govern <command>`, in any repository (worktree or bare). Like git, it takes \
      `-C <dir>` before the command to run as if started in <dir>, and git's configuration \
      (`git -c key=value govern …`). Commands that sign take --signing-key <path> (default: \
      user.signingkey); commands that report take --json; --at takes a date (2026-12-01, midnight \
      UTC) or an RFC 3339 time. `git govern <command> -h` explains a command, `man \
      git-govern-<command>` too; `git govern completion bash|zsh|fish` prints a completion script.
      """,
    subcommands: [
      Init.self, Identity.self, PolicyCommand.self, Request.self, Approve.self, Delegate.self,
      Recertify.self, AccessReviewCommand.self, Pending.self, Events.self,
      Reject.self,
      Withdraw.self,
      Exception.self,
      EvidenceCommand.self, Review.self, CloseoutCommand.self, Retention.self, Freeze.self,
      Incident.self,
      Status.self, CheckCommand.self,
      Sync.self,
      Audit.self, Controls.self, ExportPack.self, VerifyPack.self, Log.self, Metrics.self,
      Hooks.self, Doctor.self, RecordPush.self, Demo.self, Completion.self, Manual.self,
    ])

  /// Shown in help, the man page and completions; `entry` acts on it before parsing, as git
  /// does, so it works before any command (`git govern -C ../app status r-…`).
  @Option(
    name: .customShort("C"),
    help: ArgumentHelp(
      "Run as if git govern was started in <dir> (as git -C does; may be repeated).",
      valueName: "dir"),
    completion: .directory)
  var directory: [String] = []

  /// Here rather than in the configuration, so it is offered by `git govern` itself and not
  /// repeated on every command's help.
  @Flag(help: "Print git-govern's version.")
  var version = false

  public init() {}

  public func run() throws {
    guard version else { throw CleanExit.helpRequest(self) }
    Message.out(GitGovernVersion.number)
  }

  /// The entry point: handles git's `-C <dir>` before the subcommand, and maps every failure
  /// to the contract's exit codes (1 blocked, 2 usage or input error) with a plain message.
  public static func entry(_ arguments: [String] = Array(CommandLine.arguments.dropFirst()))
    -> Never
  {
    AllocatorThresholds.fix()
    var arguments = arguments
    while arguments.first == "-C" {
      guard arguments.count >= 2 else {
        fail("-C needs a directory, as in git: git govern -C <dir> <command>")
      }
      guard FileManager.default.changeCurrentDirectoryPath(arguments[1]) else {
        fail("-C \(arguments[1]): cannot change to that directory")
      }
      arguments.removeFirst(2)
    }
    if let typed = arguments.first, !typed.hasPrefix("-"), typed != "help" {
      let names = configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases }
      if !names.contains(typed) {
        let near = CommandSuggestion.closest(to: typed, among: names)
        fail(
          "'\(typed)' is not a git govern command"
            + (near.isEmpty
              ? ""
              : "; did you mean \(near.map { "`git govern \($0)`" }.joined(separator: " or "))?")
            + " (git govern --help lists them)")
      }
    }
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
      Foundation.exit(0)
    } catch let blocked as Blocked {
      Foundation.exit(blocked.code)
    } catch let exitCode as ExitCode {
      Foundation.exit(exitCode.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      if isArgumentParserError(error) {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      }
      fail(Message.describe(error))
    }
  }

  static func isArgumentParserError(_ error: Error) -> Bool {
    String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
  }

  static func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("git-govern: \(message)\n".utf8))
    Foundation.exit(2)
  }
}
