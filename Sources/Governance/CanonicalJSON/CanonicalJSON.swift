import Foundation

/// The JSON git-govern writes: records on the governance branch, the audit report and every
/// `--json` output. A subset of RFC 8785 (JSON Canonicalization Scheme), specified in
/// docs/canonical-json.md; in short:
///
/// - Objects' members sorted by their keys' UTF-16 code units, each key once.
/// - Strings as UTF-8; escaped are only `"` (`\"`), `\` (`\\`) and the control characters
///   U+0000-U+001F (`\b \t \n \f \r`, the others `\u00xx` in lower-case hex). `/`, DEL and
///   all of Unicode are written as they are; a string is never normalised.
/// - Integers in plain decimal (`-12`, `0`), any size Swift's integers hold. Other numbers as
///   ECMAScript writes them (`0.5`, `1e-7`, `1e+21`); records hold none. NaN and infinities
///   are refused (`Refusal`), as are two members under one key.
/// - `true`, `false`, `null`; an absent optional member is left out, never `null`.
/// - Records (`encode`): no whitespace at all, then one line feed: what is signed and stored.
///   A stored record must re-encode to the very same bytes, which refuses duplicate or
///   unknown keys, byte-order marks, `\/` and any other second spelling of a record.
/// - Output for people and tools (`pretty`): the same text laid out with a line feed after
///   `{`, `[` and each `,`, two spaces of indent per level, `"key" : value`, and an empty
///   container as `{` or `[`, a blank line, `}` or `]` (the layout `JSONEncoder`'s
///   `.prettyPrinted` gave, kept so existing reports compare equal).
///
/// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes the same bytes for
/// every record and report (the tests compare them); it differs only in what this form
/// settles otherwise: keys beyond U+FFFF against U+E000-U+FFFF (code points, not UTF-16),
/// exponents (`1e-07`) and a duplicated key (the last wins).
public enum CanonicalJSON {
  /// Why a value has no canonical JSON form.
  public struct Refusal: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  /// A record as stored and signed: compact, one trailing line feed.
  public static func encode<R: Encodable>(_ record: R) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(512)
    // A record holds only strings, integers, booleans and enums of them, under the distinct
    // keys of its type: it always has a canonical form.
    try! CanonicalJSONWriter(layout: .compact).write(record, into: &out)
    out.append(UInt8(ascii: "\n"))
    return out
  }

  /// `value` compact, without a trailing line feed.
  public static func compact<T: Encodable>(_ value: T) throws(Refusal) -> [UInt8] {
    try write(value, layout: .compact)
  }

  /// `value` in the pretty layout, without a trailing line feed: the audit report and every
  /// `--json` output.
  public static func pretty<T: Encodable>(_ value: T) throws(Refusal) -> [UInt8] {
    try write(value, layout: .pretty)
  }

  private static func write<T: Encodable>(_ value: T, layout: CanonicalJSONWriter.Layout)
    throws(Refusal) -> [UInt8]
  {
    var out: [UInt8] = []
    out.reserveCapacity(1 << 12)
    do {
      try CanonicalJSONWriter(layout: layout).write(value, into: &out)
    } catch let refusal as Refusal {
      throw refusal
    } catch {
      // Thrown by the value's own `encode(to:)`.
      throw Refusal("\(error)")
    }
    return out
  }

  /// `strings`: a reader of many records passes its own table, so that the records it keeps
  /// share their equal long values (`StringTable`).
  public static func decode<R: GovernanceRecord>(
    _ type: R.Type, from bytes: [UInt8], path: String, strings: StringTable? = nil
  ) throws(InputError) -> R {
    if let record = CanonicalJSONReader.decode(type, from: bytes, strings: strings) {
      return record
    }
    return try foundationDecode(type, from: bytes, path: path)
  }

  /// The reference reading: `JSONDecoder`, then the record written back must give the same
  /// bytes. It decides every record the fast reader leaves, and words why one is refused.
  static func foundationDecode<R: GovernanceRecord>(
    _ type: R.Type, from bytes: [UInt8], path: String
  ) throws(InputError) -> R {
    let record: R
    do {
      record = try JSONDecoder().decode(R.self, from: Data(bytes))
    } catch {
      throw InputError(file: path, "is not a valid \(R.recordKind) record: \(describe(error))")
    }
    guard record.kind == R.recordKind else {
      throw InputError(file: path, "has kind \"\(record.kind)\", expected \"\(R.recordKind)\"")
    }
    guard record.version == 1 else {
      throw InputError(file: path, "has version \(record.version); this git-govern reads version 1")
    }
    guard encode(record) == bytes else {
      throw InputError(
        file: path,
        "is not in canonical form (sorted keys, no extra fields or spaces, one trailing newline)")
    }
    return record
  }

  /// The `kind` field alone, to choose the type to decode.
  public static func kind(of bytes: [UInt8]) -> String? {
    struct KindOnly: Decodable { let kind: String }
    return try? JSONDecoder().decode(KindOnly.self, from: Data(bytes)).kind
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "field \"\(key.stringValue)\" is missing"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
      DecodingError.dataCorrupted(let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return path.isEmpty
        ? context.debugDescription : "field \"\(path)\": \(context.debugDescription)"
    default: return "\(error)"
    }
  }
}
