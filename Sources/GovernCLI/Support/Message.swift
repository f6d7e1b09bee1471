import Foundation
import GitKit
import Governance
import Ledger
import Signing

/// Plain-words output: stdout for results, stderr for notes and errors; colour only on a
/// terminal and never with NO_COLOR.
enum Message {
  static func describe(_ error: Error) -> String {
    switch error {
    case let error as InputErrors: return error.description
    case let error as InputError: return error.description
    case let error as LedgerError: return error.description
    case let error as GitError: return error.description
    case let error as UsageError: return error.description
    case let error as CustomStringConvertible: return error.description
    default: return "\(error)"
    }
  }

  static func out(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  static func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  static func paint(_ text: String, _ code: String, stream: Int32 = 1) -> String {
    let environment = ProcessInfo.processInfo.environment
    guard isatty(stream) == 1, environment["NO_COLOR"] == nil, environment["TERM"] != "dumb" else {
      return text
    }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }

  static func mark(_ status: Check.Status, stream: Int32 = 1) -> String {
    switch status {
    case .pass: return paint("ok  ", "32", stream: stream)
    case .warn: return paint("warn", "33", stream: stream)
    case .blocker: return paint("FAIL", "31", stream: stream)
    }
  }

  /// Every `--json` output: canonical JSON in the pretty layout (docs/canonical-json.md).
  static func json<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try CanonicalJSON.pretty(value), as: UTF8.self)
  }
}
