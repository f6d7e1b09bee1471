import GitKit
import Governance

/// Why the ledger could not do what was asked, in words that say how to put it right.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }

  public static func noGovernanceBranch(_ ref: String) -> LedgerError {
    LedgerError(
      "there is no governance branch \(ref) in this repository; run `git govern init` to create it, "
        + "or fetch it: git fetch origin \(ref):\(ref)")
  }

  /// A server repository that nobody has given a governance branch yet: it refuses every push
  /// (fail closed, it knows no policy), and says how the branch gets there.
  public static func noGovernanceBranchOnServer(_ ref: String) -> LedgerError {
    LedgerError(
      "this server has no governance branch (\(ref)) yet, so it knows no policy and refuses every push "
        + "but the one that brings the branch. \(adoptionSteps(ref))")
  }

  /// How a governance branch reaches a server, in commands.
  public static func adoptionSteps(_ ref: String) -> String {
    "In a clone of this repository, a policy-admin runs `git govern init` (add --baseline <rev> "
      + "on an existing history), then pushes it: \(adoptionCommand(ref)); "
      + "then registers the server's key: git govern identity add server --email <e> --key <server .pub> --role server --push"
  }

  /// The commands that bring a governance branch to a server, run in a clone of it.
  public static func adoptionCommand(_ ref: String) -> String {
    "git govern init && git push origin \(ref):\(ref)"
  }
}
