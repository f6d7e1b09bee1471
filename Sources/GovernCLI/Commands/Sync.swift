import ArgumentParser
import Foundation

struct Sync: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract:
      "Fetch, merge and push the governance branch and its notes; retries on a race until it lands."
  )

  @Argument(help: "The remote (default: origin).")
  var remote = "origin"

  @OptionGroup var signing: SigningKeyOption

  func run() throws {
    let outcome = try Synchronizer(session: try Session(), remote: remote).run(key: signing.path)
    Message.out("Synced with \(remote): \(outcome).")
  }
}

/// `--push`: sync with the remote right after writing.
struct PushOption: ParsableArguments {
  @Flag(help: "Sync the governance branch with the remote at once (git govern sync).")
  var push = false

  @Option(
    name: .customLong("remote"),
    help: "The remote for --push (and where approve fetches a commit this clone lacks).")
  var remote = "origin"

  func syncIfAsked(key: String?) throws {
    guard push else { return }
    let outcome = try Synchronizer(session: try Session(), remote: remote).run(key: key)
    Message.note("Synced with \(remote): \(outcome).")
  }
}
