/// The fast way to read a record, for the audit's 60,000: the bytes parsed by hand (no
/// whitespace, integers only, at most 32 levels deep) and decoded through the type's own
/// `Decodable`, accepted only if writing the record back gives the very same bytes. Anything
/// else (an error to explain, a second spelling, a number with a fraction) is left to
/// `JSONDecoder`, which decides and words the error; so what this path accepts is exactly
/// what that path accepts, with the same result.
enum CanonicalJSONReader {
  /// `strings`, when given, keeps one copy of each long string value the reader has read.
  static func decode<R: GovernanceRecord>(
    _ type: R.Type, from bytes: [UInt8], strings: StringTable? = nil
  ) -> R? {
    guard bytes.last == UInt8(ascii: "\n") else { return nil }
    let parsed = bytes.withUnsafeBufferPointer { buffer -> JSONValue? in
      var parser = Parser(bytes: UnsafeBufferPointer(rebasing: buffer.dropLast()), strings: strings)
      guard let value = parser.value(depth: 0), parser.position == parser.bytes.count else {
        return nil
      }
      return value
    }
    guard let parsed, let record = try? R(from: ValueDecoder(value: parsed)),
      record.kind == R.recordKind, record.version == 1
    else { return nil }
    return CanonicalJSON.encode(record) == bytes ? record : nil
  }
}

enum JSONValue {
  case null
  case bool(Bool)
  case integer(Int)
  case string(String)
  case array([JSONValue])
  case object([(key: String, value: JSONValue)])
}

private struct Parser {
  let bytes: UnsafeBufferPointer<UInt8>
  let strings: StringTable?
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>, strings: StringTable?) {
    self.bytes = bytes
    self.strings = strings
  }

  mutating func value(depth: Int) -> JSONValue? {
    guard depth < 32, position < bytes.count else { return nil }
    switch bytes[position] {
    case UInt8(ascii: "\""):
      return string().map { JSONValue.string(strings?.shared($0) ?? $0) }
    case UInt8(ascii: "{"): return object(depth: depth)
    case UInt8(ascii: "["): return array(depth: depth)
    case UInt8(ascii: "t"): return literal("true", .bool(true))
    case UInt8(ascii: "f"): return literal("false", .bool(false))
    case UInt8(ascii: "n"): return literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer()
    default: return nil
    }
  }

  private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { return nil }
    for index in 0..<count where bytes[position + index] != word.utf8Start[index] { return nil }
    position += count
    return value
  }

  private mutating func integer() -> JSONValue? {
    var negative = false
    if bytes[position] == UInt8(ascii: "-") {
      negative = true
      position += 1
    }
    var magnitude = 0
    var digits = 0
    while position < bytes.count, case let byte = bytes[position],
      byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9")
    {
      // 18 digits cannot overflow; longer numbers go to JSONDecoder.
      guard digits < 18 else { return nil }
      magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
      position += 1
    }
    guard digits > 0 else { return nil }
    return .integer(negative ? -magnitude : magnitude)
  }

  /// Strings with escapes other than `\"` `\\` `\/` `\n` `\r` `\t` `\b` `\f` and `\u00XX` go
  /// to JSONDecoder (canonical records never hold others: the writer escapes only these).
  private mutating func string() -> String? {
    position += 1
    let start = position
    var escaped = false
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        return escaped ? Self.unescape(raw) : String(validating: raw, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        position += 1
      } else if byte < 0x20 {
        return nil
      }
      position += 1
    }
    return nil
  }

  private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var index = 0
    while index < raw.count {
      let byte = raw[index]
      index += 1
      guard byte == UInt8(ascii: "\\") else {
        out.append(byte)
        continue
      }
      guard index < raw.count else { return nil }
      let escape = raw[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        guard index + 4 <= raw.count, raw[index] == UInt8(ascii: "0"),
          raw[index + 1] == UInt8(ascii: "0"),
          let high = hexDigit(raw[index + 2]), let low = hexDigit(raw[index + 3])
        else { return nil }
        out.append(high << 4 | low)
        index += 4
      default: return nil
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  private static func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  private mutating func array(depth: Int) -> JSONValue? {
    position += 1
    var items: [JSONValue] = []
    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
      position += 1
      return .array(items)
    }
    while true {
      guard let item = value(depth: depth + 1), position < bytes.count else { return nil }
      items.append(item)
      let byte = bytes[position]
      position += 1
      if byte == UInt8(ascii: "]") { return .array(items) }
      guard byte == UInt8(ascii: ",") else { return nil }
    }
  }

  private mutating func object(depth: Int) -> JSONValue? {
    position += 1
    var entries: [(key: String, value: JSONValue)] = []
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return .object(entries)
    }
    while true {
      guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string(),
        position < bytes.count, bytes[position] == UInt8(ascii: ":")
      else { return nil }
      position += 1
      guard let item = value(depth: depth + 1), position < bytes.count else { return nil }
      entries.append((key, item))
      let byte = bytes[position]
      position += 1
      if byte == UInt8(ascii: "}") { return .object(entries) }
      guard byte == UInt8(ascii: ",") else { return nil }
    }
  }
}

/// Any refusal of the fast path: the caller falls back to `JSONDecoder`, which explains.
private struct NotTheFastPath: Error {}

private struct ValueDecoder: Decoder {
  let value: JSONValue
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let entries) = value else { throw NotTheFastPath() }
    return KeyedDecodingContainer(KeyedReader(entries: entries))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else { throw NotTheFastPath() }
    return UnkeyedReader(items: items)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleReader(value: value)
  }
}

private func decodeValue<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
  switch value {
  case .string(let text) where T.self == String.self: return text as! T
  case .integer(let number) where T.self == Int.self: return number as! T
  case .bool(let flag) where T.self == Bool.self: return flag as! T
  default: return try T(from: ValueDecoder(value: value))
  }
}

private struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let entries: [(key: String, value: JSONValue)]
  var codingPath: [any CodingKey] { [] }
  var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

  private func find(_ key: Key) -> JSONValue? {
    let name = key.stringValue
    return entries.first { $0.key == name }?.value
  }

  private func require(_ key: Key) throws -> JSONValue {
    guard let value = find(key) else { throw NotTheFastPath() }
    return value
  }

  func contains(_ key: Key) -> Bool { find(key) != nil }

  func decodeNil(forKey key: Key) throws -> Bool {
    if case .null = try require(key) { return true }
    return false
  }

  func decode(_ type: String.Type, forKey key: Key) throws -> String {
    guard case .string(let text) = try require(key) else { throw NotTheFastPath() }
    return text
  }

  func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
    guard case .integer(let number) = try require(key) else { throw NotTheFastPath() }
    return number
  }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
    guard case .bool(let flag) = try require(key) else { throw NotTheFastPath() }
    return flag
  }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try decodeValue(type, from: try require(key))
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key)
    throws -> KeyedDecodingContainer<NestedKey>
  {
    try ValueDecoder(value: try require(key)).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(value: try require(key)).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder { throw NotTheFastPath() }
  func superDecoder(forKey key: Key) throws -> any Decoder { throw NotTheFastPath() }
}

private struct UnkeyedReader: UnkeyedDecodingContainer {
  let items: [JSONValue]
  var codingPath: [any CodingKey] { [] }
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }
  var currentIndex = 0

  init(items: [JSONValue]) { self.items = items }

  private mutating func next() throws -> JSONValue {
    guard currentIndex < items.count else { throw NotTheFastPath() }
    defer { currentIndex += 1 }
    return items[currentIndex]
  }

  mutating func decodeNil() throws -> Bool {
    guard currentIndex < items.count else { throw NotTheFastPath() }
    if case .null = items[currentIndex] {
      currentIndex += 1
      return true
    }
    return false
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try decodeValue(type, from: try next())
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try ValueDecoder(value: try next()).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(value: try next()).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder { throw NotTheFastPath() }
}

private struct SingleReader: SingleValueDecodingContainer {
  let value: JSONValue
  var codingPath: [any CodingKey] { [] }

  func decodeNil() -> Bool {
    if case .null = value { return true }
    return false
  }

  func decode(_ type: String.Type) throws -> String {
    guard case .string(let text) = value else { throw NotTheFastPath() }
    return text
  }

  func decode(_ type: Int.Type) throws -> Int {
    guard case .integer(let number) = value else { throw NotTheFastPath() }
    return number
  }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard case .bool(let flag) = value else { throw NotTheFastPath() }
    return flag
  }

  func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type, from: value) }
}
