import ArgumentParser

/// `git govern completion bash|zsh|fish`: the shell completion script, generated from the same
/// definitions as `-h`, so it never lags behind a new flag.
struct Completion: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "completion",
    abstract: "Print a shell completion script for git govern (bash, zsh or fish).",
    discussion: """
      bash: `git govern completion bash > ~/.local/share/bash-completion/completions/git-govern` \\
      (git's own completion loads it for `git govern <TAB>`), or `source <(git govern completion \\
      bash)` in ~/.bashrc after git's completion. zsh: save it as `_git-govern` in a directory of \\
      $fpath. fish: save it as ~/.config/fish/completions/git-govern.fish. It completes \\
      subcommands, flags, release ids (from the governance branch) and people (from people.yml).
      """)

  enum Shell: String, ExpressibleByArgument, CaseIterable { case bash, zsh, fish }

  @Argument(help: "bash, zsh or fish.")
  var shell: Shell

  func run() throws {
    switch shell {
    case .bash:
      Message.out(GitGovern.completionScript(for: .bash) + "\n" + GitCompletionBridge.bash)
    case .zsh: Message.out(GitGovern.completionScript(for: .zsh))
    case .fish: Message.out(GitGovern.completionScript(for: .fish))
    }
  }
}
