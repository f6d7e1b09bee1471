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
}
