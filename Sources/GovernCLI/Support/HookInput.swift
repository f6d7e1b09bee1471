import Foundation
import GitKit
import Ledger

/// Parses what git hands its hooks. Anything garbled is an input error: the push is refused.
enum HookInput {
  static let maximumBytes = 16 << 20

  static func readStandardInput() throws -> String {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard data.count <= maximumBytes else {
      throw UsageError(
        "the hook's standard input is over \(maximumBytes >> 20) MiB; refusing to read it")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw UsageError("the hook's standard input is not UTF-8 text")
    }
    return text
  }

  /// `<local ref> <local sha> <remote ref> <remote sha>` per line.
  static func prePush(_ text: String) throws -> [RefUpdate] {
    try lines(text).enumerated().map { number, line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: false)
      guard fields.count == 4, let new = OID(hex: String(fields[1])),
        let old = OID(hex: String(fields[3])),
        fields[2].hasPrefix("refs/")
      else {
        throw UsageError(
          "line \(number + 1) of the pre-push input is not \"<local ref> <local sha> <remote ref> <remote sha>\": \(line.prefix(200))"
        )
      }
      return RefUpdate(ref: String(fields[2]), old: old, new: new)
    }
  }

  /// `<old> <new> <ref>` per line.
  static func preReceive(_ text: String) throws -> [RefUpdate] {
    try lines(text).enumerated().map { number, line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: false)
      guard fields.count == 3, let old = OID(hex: String(fields[0])),
        let new = OID(hex: String(fields[1])),
        fields[2].hasPrefix("refs/")
      else {
        throw UsageError(
          "line \(number + 1) of the pre-receive input is not \"<old> <new> <ref>\": \(line.prefix(200))"
        )
      }
      return RefUpdate(ref: String(fields[2]), old: old, new: new)
    }
  }

  static func update(_ arguments: [String]) throws -> RefUpdate {
    guard arguments.count == 3, arguments[0].hasPrefix("refs/"), let old = OID(hex: arguments[1]),
      let new = OID(hex: arguments[2])
    else {
      throw UsageError(
        "the update hook's arguments are not <ref> <old sha> <new sha>: \(arguments.joined(separator: " "))"
      )
    }
    return RefUpdate(ref: arguments[0], old: old, new: new)
  }

  private static func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map {
      String($0.hasSuffix("\r") ? $0.dropLast() : $0)
    }
  }
}
