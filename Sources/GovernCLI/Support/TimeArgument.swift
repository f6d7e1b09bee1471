import ArgumentParser
import Foundation
import Governance

/// A time given on the command line (`--at`, `--since`, `--until`): an RFC 3339 time, or a bare
/// date meaning that day's midnight UTC, so `--at 2026-12-01` works as people write it.
enum TimeArgument {
  static func parse(_ text: String) -> Date? {
    if let date = Timestamp.parse(text) { return date }
    let bytes = Array(text.utf8)
    // Only the exact yyyy-mm-dd shape; Timestamp.parse checks the digits and the calendar.
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    return Timestamp.parse(text + "T00:00:00Z")
  }

  /// `parse`, or a usage error naming the flag and both accepted forms.
  static func parse(_ text: String, flag: String) throws -> Date {
    guard let date = parse(text) else {
      throw UsageError(
        "\(flag) \"\(text)\" is not a time; write a date (2026-12-01, midnight UTC) or an RFC 3339 time (2026-12-01T09:30:00Z, 2026-12-01T09:30:00+01:00)"
      )
    }
    return date
  }

  static let help = "a date (2026-12-01, midnight UTC) or an RFC 3339 time"
}
