import Foundation

/// Records are stored as canonical JSON: sorted keys, UTF-8, no insignificant space, one
/// trailing newline. A stored record must re-encode to the very same bytes, which refuses
/// duplicate or unknown keys, byte-order marks and any other second spelling of a record.
public enum CanonicalJSON {
  public static func encode<R: Encodable>(_ record: R) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Our records hold only strings, integers and enums: encoding cannot fail.
    let data = try! encoder.encode(record)
    return Array(data) + [UInt8(ascii: "\n")]
  }

  public static func decode<R: GovernanceRecord>(_ type: R.Type, from bytes: [UInt8], path: String)
    throws(InputError) -> R
  {
    if let record = CanonicalJSONReader.decode(type, from: bytes) { return record }
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
