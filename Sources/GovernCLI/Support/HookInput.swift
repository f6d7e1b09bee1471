import Foundation
import GitKit
import Ledger

/// Reads what git hands a hook on standard input, within a size limit, as bytes: `HookLines`
/// parses them exactly as git wrote them.
enum HookInput {
  static let maximumBytes = 16 << 20

  static func readStandardInput() throws -> [UInt8] {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard data.count <= maximumBytes else {
      throw UsageError(
        "the hook's standard input is over \(maximumBytes >> 20) MiB; refusing to read it")
    }
    return [UInt8](data)
  }
}
