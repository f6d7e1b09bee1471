import GitKit
import Governance

/// Parses what git hands its hooks. Anything garbled is an input error: the push is refused.
public enum HookLines {
  /// `<local ref> <local sha> <remote ref> <remote sha>` per line.
  public static func prePush(_ text: String) throws -> [RefUpdate] {
    try lines(text).enumerated().map { number, line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: false)
      guard fields.count == 4, let new = OID(hex: String(fields[1])),
        let old = OID(hex: String(fields[3])),
        fields[2].hasPrefix("refs/")
      else {
        throw InputError(
          file: "the pre-push input", line: number + 1,
          "is not \"<local ref> <local sha> <remote ref> <remote sha>\": \(line.prefix(200))"
        )
      }
      return RefUpdate(ref: String(fields[2]), old: old, new: new)
    }
  }

  /// `<old> <new> <ref>` per line.
  public static func preReceive(_ text: String) throws -> [RefUpdate] {
    try lines(text).enumerated().map { number, line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: false)
      guard fields.count == 3, let old = OID(hex: String(fields[0])),
        let new = OID(hex: String(fields[1])),
        fields[2].hasPrefix("refs/")
      else {
        throw InputError(
          file: "the pre-receive input", line: number + 1,
          "is not \"<old> <new> <ref>\": \(line.prefix(200))"
        )
      }
      return RefUpdate(ref: String(fields[2]), old: old, new: new)
    }
  }

  public static func update(_ arguments: [String]) throws -> RefUpdate {
    guard arguments.count == 3, arguments[0].hasPrefix("refs/"), let old = OID(hex: arguments[1]),
      let new = OID(hex: arguments[2])
    else {
      throw InputError(
        file: "the update hook's arguments",
        "are not <ref> <old sha> <new sha>: \(arguments.joined(separator: " "))"
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
