import Foundation
import GitKit
import Ledger

/// Reads what git hands a hook on standard input, within a size limit; `HookLines` parses it.
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

}
