import Foundation
import Testing

/// A misspelt subcommand is refused with the nearest ones, as git does.
@Suite("did you mean")
struct CommandSuggestionTests {
  @Test("a misspelt subcommand exits 2 naming the closest; one that is nothing like any names none")
  func suggestions() throws {
    let world = try World()
    let cases: [(String, String)] = [
      ("staus", "'staus' is not a git govern command; did you mean `git govern status`?"),
      ("aprove", "did you mean `git govern approve`?"),
      ("recertfy", "did you mean `git govern recertify`?"),
      ("xyzzy", "'xyzzy' is not a git govern command (git govern --help lists them)"),
    ]
    for (typed, message) in cases {
      let result = try world.govern([typed], in: world.root)
      #expect(result.status == 2, "\(typed): \(result.output)")
      #expect(result.stderr.contains(message), "\(typed): \(result.output)")
    }
    let help = try world.govern(["help"], in: world.root)
    #expect(help.status == 0 && help.output.contains("SUBCOMMANDS"), "\(help.output)")
  }
}
