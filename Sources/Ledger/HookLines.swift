import GitKit
import Governance

/// Parses what git hands its hooks, byte for byte: fields separated by one space, lines ended
/// by a line feed, and nothing else. A carriage return, a tab, a NUL or any other control byte
/// anywhere, or a ref name git would refuse (`check-ref-format`), is an input error: the push
/// is refused rather than judged as some other ref.
public enum HookLines {
  /// `<local ref> <local sha> <remote ref> <remote sha>` per line.
  public static func prePush(_ input: [UInt8]) throws -> [RefUpdate] {
    let source = "the pre-push input"
    let shape = "\"<local ref> <local sha> <remote ref> <remote sha>\""
    return try lines(input, source: source).map { number, fields in
      guard fields.count == 4, let new = oid(fields[1]), let old = oid(fields[3]) else {
        throw InputError(file: source, line: number, "is not \(shape): \(quoted(fields))")
      }
      return RefUpdate(ref: try ref(fields[2], source, number), old: old, new: new)
    }
  }

  /// `<old> <new> <ref>` per line.
  public static func preReceive(_ input: [UInt8]) throws -> [RefUpdate] {
    let source = "the pre-receive input"
    return try lines(input, source: source).map { number, fields in
      guard fields.count == 3, let old = oid(fields[0]), let new = oid(fields[1]) else {
        throw InputError(
          file: source, line: number, "is not \"<old> <new> <ref>\": \(quoted(fields))")
      }
      return RefUpdate(ref: try ref(fields[2], source, number), old: old, new: new)
    }
  }

  public static func prePush(_ text: String) throws -> [RefUpdate] {
    try prePush(Array(text.utf8))
  }

  public static func preReceive(_ text: String) throws -> [RefUpdate] {
    try preReceive(Array(text.utf8))
  }

  public static func update(_ arguments: [String]) throws -> RefUpdate {
    let source = "the update hook's arguments"
    guard arguments.count == 3, let old = OID(hex: arguments[1]), let new = OID(hex: arguments[2])
    else {
      throw InputError(
        file: source, "are not <ref> <old sha> <new sha>: \(arguments.joined(separator: " "))")
    }
    return RefUpdate(ref: try ref(Array(arguments[0].utf8)[...], source, nil), old: old, new: new)
  }

  /// The lines, numbered from 1, split into fields at single spaces. A control byte anywhere
  /// fails the whole input: after a ref name it would otherwise make another ref of it.
  private static func lines(_ input: [UInt8], source: String) throws -> [(
    Int, [ArraySlice<UInt8>]
  )] {
    var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }  // the final line feed
    return try lines.enumerated().map { index, line in
      if let byte = line.first(where: { $0 < 32 || $0 == 127 }) {
        throw InputError(
          file: source, line: index + 1,
          "holds the control byte \(RefName.hexByte(byte)); git never writes one there, so this push is refused"
        )
      }
      return (index + 1, line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false))
    }
  }

  private static func oid(_ field: ArraySlice<UInt8>) -> OID? {
    String(validating: field, as: UTF8.self).flatMap(OID.init(hex:))
  }

  private static func ref(_ field: ArraySlice<UInt8>, _ source: String, _ line: Int?) throws
    -> String
  {
    if let problem = RefName.problem(field) {
      throw InputError(
        file: source, line: line,
        "the ref name \(quoted([field])) \(problem); git would not accept it, so this push is refused"
      )
    }
    return String(decoding: field, as: UTF8.self)
  }

  private static func quoted(_ fields: [ArraySlice<UInt8>]) -> String {
    let text = fields.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    return "\"\(text.prefix(200))\""
  }
}
