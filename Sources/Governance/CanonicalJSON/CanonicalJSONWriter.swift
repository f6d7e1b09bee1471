import Foundation

/// The one JSON writer: any `Encodable` value in the form `CanonicalJSON` specifies, compact
/// (records, the canonical check) or in the pretty layout (the audit report, every `--json`).
///
/// Each value is written out as soon as its `encode(to:)` returns, so what is held at any time
/// is the text of the members of the objects and arrays still open, not a tree of the whole
/// value: a record is a handful of strings and one sort, and the audit report's 10,000
/// lineages are text long before the report's own members are put in order.
struct CanonicalJSONWriter {
  enum Layout: Sendable {
    /// No insignificant whitespace: `{"a":1,"b":[true]}`.
    case compact
    /// Two-space indents, one member per line, `"key" : value`.
    case pretty
  }

  let layout: Layout

  /// `value`'s text, started on a line indented `depth` levels.
  func write<T: Encodable>(_ value: T, depth: Int = 0, into out: inout [UInt8]) throws {
    if try Scalar.write(value, into: &out) { return }
    if let long = value as? any LongArray, long.isLong {
      return try long.write(with: self, depth: depth, into: &out)
    }
    // The value's own container is written straight into `out`, not first into a holder's
    // text: the audit report's 20 MB is copied once.
    let holder = Container(isObject: false, depth: depth - 1, writer: self)
    try value.encode(to: ValueEncoder(parent: holder, key: nil))
    // A value that encoded nothing is an empty object, as JSONEncoder writes it.
    if holder.members.isEmpty { _ = holder.addContainer("", isObject: true) }
    if case .container(let root) = holder.members[0].value {
      var keys = 0
      for member in root.members { keys += member.key.utf8.count + 8 + 2 * depth }
      out.reserveCapacity(out.count + root.text.count + keys + 2 * depth + 4)
    }
    try holder.writeValue(of: holder.members[0], into: &out)
  }

  /// `pad` for `depth` levels, in the pretty layout.
  func pad(_ out: inout [UInt8], _ depth: Int) {
    guard layout == .pretty, depth > 0 else { return }
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
  }

  /// Arrays at least this long are written in slices, one per core.
  static let longArray = 2048
}

/// An object or array whose members are still being encoded: their text so far (one buffer),
/// or for a member that is itself a container opened through `nestedContainer`, that
/// container (written when this one is).
final class Container {
  enum Value {
    case text(Range<Int>)
    case container(Container)
  }
  struct Member {
    var key: String
    var value: Value
  }

  let isObject: Bool
  /// Levels of indent of the line this container starts on.
  let depth: Int
  let writer: CanonicalJSONWriter
  var members: [Member] = []
  var text: [UInt8] = []

  init(isObject: Bool, depth: Int, writer: CanonicalJSONWriter) {
    self.isObject = isObject
    self.depth = depth
    self.writer = writer
  }

  /// Appends a member whose text `write` gives.
  func add(_ key: String, _ write: (inout [UInt8]) throws -> Void) rethrows {
    let start = text.count
    try write(&text)
    members.append(Member(key: key, value: .text(start..<text.count)))
  }

  func addContainer(_ key: String, isObject: Bool) -> Container {
    let container = Container(isObject: isObject, depth: depth + 1, writer: writer)
    members.append(Member(key: key, value: .container(container)))
    return container
  }

  /// The member at `index` written to text now that its value is complete, so that the
  /// container (and all it holds) is freed at once rather than when this one is written.
  func close(_ index: Int) throws {
    guard index < members.count, case .container(let container) = members[index].value else {
      return
    }
    let start = text.count
    try container.write(into: &text)
    members[index].value = .text(start..<text.count)
  }

  func writeValue(of member: Member, into out: inout [UInt8]) throws {
    switch member.value {
    case .text(let range): out.append(contentsOf: text[range])
    case .container(let container): try container.write(into: &out)
    }
  }

  func write(into out: inout [UInt8]) throws {
    let pretty = writer.layout == .pretty
    if isObject {
      members.sort { Self.precedes($0.key, $1.key) }
      for index in members.indices.dropFirst()
      where members[index - 1].key.utf8.elementsEqual(members[index].key.utf8) {
        throw CanonicalJSON.Refusal(
          "the key \"\(members[index].key)\" is written twice in one object")
      }
    }
    out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
    if pretty { out.append(0x0A) }
    for (index, member) in members.enumerated() {
      if index > 0 { out += (pretty ? ",\n" : ",").utf8 }
      writer.pad(&out, depth + 1)
      if isObject {
        Scalar.writeString(member.key, into: &out)
        out += (pretty ? " : " : ":").utf8
      }
      try writeValue(of: member, into: &out)
    }
    if pretty {
      out.append(0x0A)
      writer.pad(&out, depth)
    }
    out.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
  }

  /// RFC 8785's order: by UTF-16 code units. UTF-8 bytes sort as code points do, which is
  /// the same order except that UTF-16 puts U+10000 and above (surrogates, D800-DFFF) before
  /// U+E000-U+FFFF: those lead bytes (F0-F4 against EE-EF) are the one case turned round.
  static func precedes(_ a: String, _ b: String) -> Bool {
    var left = a.utf8.makeIterator()
    var right = b.utf8.makeIterator()
    while true {
      guard let x = left.next() else { return right.next() != nil }
      guard let y = right.next() else { return false }
      if x == y { continue }
      if x >= 0xF0, (0xEE...0xEF).contains(y) { return true }
      if y >= 0xF0, (0xEE...0xEF).contains(x) { return false }
      return x < y
    }
  }
}

/// Strings, numbers, booleans and null: written in place, without an encoder.
enum Scalar {
  /// Writes `value` when it is a scalar; false when it is not.
  static func write<T>(_ value: T, into out: inout [UInt8]) throws -> Bool {
    switch value {
    case let text as String: writeString(text, into: &out)
    case let number as Int: writeInteger(number, into: &out)
    case let flag as Bool: out += (flag ? "true" : "false").utf8
    case let number as Int64: writeInteger(number, into: &out)
    case let number as UInt64: writeInteger(number, into: &out)
    case let number as Int32: writeInteger(number, into: &out)
    case let number as UInt32: writeInteger(number, into: &out)
    case let number as Int16: writeInteger(number, into: &out)
    case let number as UInt16: writeInteger(number, into: &out)
    case let number as Int8: writeInteger(number, into: &out)
    case let number as UInt8: writeInteger(number, into: &out)
    case let number as UInt: writeInteger(number, into: &out)
    case let number as Double: try writeDouble(number, into: &out)
    case let number as Float: try writeDouble(Double(number), into: &out)
    default: return false
    }
    return true
  }

  static func writeInteger(_ number: some BinaryInteger, into out: inout [UInt8]) {
    out += String(number).utf8
  }

  /// ECMAScript's `Number.prototype.toString`, as RFC 8785 asks: the shortest digits that
  /// read back to the same double (Swift's `description` finds them), then plain notation
  /// from 1e-6 up to 1e21, exponent notation (`1e-7`, `1.5e+21`) outside it.
  static func writeDouble(_ number: Double, into out: inout [UInt8]) throws {
    guard number.isFinite else {
      throw CanonicalJSON.Refusal("the number \(number) has no JSON form (only finite numbers do)")
    }
    if number == 0 { return out.append(UInt8(ascii: "0")) }
    if number < 0 { out.append(UInt8(ascii: "-")) }
    // The shortest digits, and n: the value is 0.d1d2…dk × 10^n.
    let description = abs(number).description
    let parts = description.split(separator: "e")
    var mantissa = Array(parts[0].utf8)
    var exponent = parts.count > 1 ? Int(parts[1])! : 0
    if let point = mantissa.firstIndex(of: UInt8(ascii: ".")) {
      exponent += point
      mantissa.remove(at: point)
    } else {
      exponent += mantissa.count
    }
    while let first = mantissa.first, first == UInt8(ascii: "0") {
      mantissa.removeFirst()
      exponent -= 1
    }
    while let last = mantissa.last, last == UInt8(ascii: "0") { mantissa.removeLast() }
    let digits = mantissa
    let k = digits.count
    let n = exponent
    if k <= n, n <= 21 {
      out += digits
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
    } else if 0 < n, n <= 21 {
      out += digits[..<n]
      out.append(UInt8(ascii: "."))
      out += digits[n...]
    } else if -6 < n, n <= 0 {
      out += "0.".utf8
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
      out += digits
    } else {
      out.append(digits[0])
      if k > 1 {
        out.append(UInt8(ascii: "."))
        out += digits[1...]
      }
      out += (n - 1 < 0 ? "e-" : "e+").utf8
      out += String(abs(n - 1)).utf8
    }
  }

  private static let hex = Array("0123456789abcdef".utf8)

  /// `"`, `\` and the control characters escaped (`\b \t \n \f \r`, else `\u00xx` in lower
  /// case hex); every other character, `/` and non-ASCII included, as its UTF-8 bytes.
  static func writeString(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var text = text
    // Most strings need no escape: copied whole.
    let plain = text.withUTF8 { utf8 in
      guard
        !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") })
      else { return false }
      out.append(contentsOf: utf8)
      return true
    }
    if !plain { writeEscaped(text, into: &out) }
    out.append(UInt8(ascii: "\""))
  }

  private static func writeEscaped(_ text: String, into out: inout [UInt8]) {
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out += "\\\"".utf8
      case UInt8(ascii: "\\"): out += "\\\\".utf8
      case 0x0A: out += "\\n".utf8
      case 0x0D: out += "\\r".utf8
      case 0x09: out += "\\t".utf8
      case 0x08: out += "\\b".utf8
      case 0x0C: out += "\\f".utf8
      case 0..<0x20:
        out += "\\u00".utf8
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0xF)])
      default: out.append(byte)
      }
    }
  }
}

/// The encoder a value is handed to write itself as the member `key` of `parent`.
private struct ValueEncoder: Encoder {
  let parent: Container
  let key: String?
  /// The member this value's container is, once it asks for one.
  private let index: Int
  var codingPath: [any CodingKey] { [] }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(parent: Container, key: String?) {
    self.parent = parent
    self.key = key
    self.index = parent.members.count
  }

  /// The container this value asked for before, or a new one.
  private func container(isObject: Bool) -> Container {
    if index < parent.members.count, case .container(let open) = parent.members[index].value,
      open.isObject == isObject
    {
      return open
    }
    return parent.addContainer(key ?? "", isObject: isObject)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    KeyedEncodingContainer(Keyed(container: container(isObject: true)))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    Unkeyed(container: container(isObject: false))
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    Single(parent: parent, key: key ?? "")
  }
}

extension Container {
  /// Adds `value` under `key`: scalars in place, anything else through its own encoder,
  /// written to text as soon as it is complete.
  func encode<T: Encodable>(_ value: T, key: String) throws {
    let start = text.count
    if try Scalar.write(value, into: &text) {
      return members.append(Member(key: key, value: .text(start..<text.count)))
    }
    if let long = value as? any LongArray, long.isLong {
      try long.write(with: writer, depth: depth + 1, into: &text)
      return members.append(Member(key: key, value: .text(start..<text.count)))
    }
    let index = members.count
    try value.encode(to: ValueEncoder(parent: self, key: key))
    // A value that encoded nothing is an empty object, as JSONEncoder writes it.
    if index == members.count { _ = addContainer(key, isObject: true) }
    try close(index)
  }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let container: Container
  var codingPath: [any CodingKey] { [] }

  mutating func encodeNil(forKey key: Key) throws {
    container.add(key.stringValue) { $0 += "null".utf8 }
  }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try container.encode(value, key: key.stringValue)
  }
  // The common kinds without a dynamic cast each.
  mutating func encode(_ value: String, forKey key: Key) throws {
    container.add(key.stringValue) { Scalar.writeString(value, into: &$0) }
  }
  mutating func encode(_ value: Int, forKey key: Key) throws {
    container.add(key.stringValue) { Scalar.writeInteger(value, into: &$0) }
  }
  mutating func encode(_ value: Bool, forKey key: Key) throws {
    container.add(key.stringValue) { $0 += (value ? "true" : "false").utf8 }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    KeyedEncodingContainer(
      Keyed<NestedKey>(container: container.addContainer(key.stringValue, isObject: true)))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    Unkeyed(container: container.addContainer(key.stringValue, isObject: false))
  }

  mutating func superEncoder() -> any Encoder { ValueEncoder(parent: container, key: "super") }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    ValueEncoder(parent: container, key: key.stringValue)
  }
}

private struct Unkeyed: UnkeyedEncodingContainer {
  let container: Container
  var codingPath: [any CodingKey] { [] }
  var count: Int { container.members.count }

  mutating func encodeNil() throws { container.add("") { $0 += "null".utf8 } }
  mutating func encode<T: Encodable>(_ value: T) throws { try container.encode(value, key: "") }
  mutating func encode(_ value: String) throws {
    container.add("") { Scalar.writeString(value, into: &$0) }
  }
  mutating func encode(_ value: Int) throws {
    container.add("") { Scalar.writeInteger(value, into: &$0) }
  }
  mutating func encode(_ value: Bool) throws {
    container.add("") { $0 += (value ? "true" : "false").utf8 }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    KeyedEncodingContainer(Keyed<NestedKey>(container: container.addContainer("", isObject: true)))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    Unkeyed(container: container.addContainer("", isObject: false))
  }

  mutating func superEncoder() -> any Encoder { ValueEncoder(parent: container, key: "") }
}

private struct Single: SingleValueEncodingContainer {
  let parent: Container
  let key: String
  var codingPath: [any CodingKey] { [] }

  mutating func encodeNil() throws { parent.add(key) { $0 += "null".utf8 } }
  mutating func encode<T: Encodable>(_ value: T) throws { try parent.encode(value, key: key) }
  mutating func encode(_ value: String) throws {
    parent.add(key) { Scalar.writeString(value, into: &$0) }
  }
  mutating func encode(_ value: Int) throws {
    parent.add(key) { Scalar.writeInteger(value, into: &$0) }
  }
  mutating func encode(_ value: Bool) throws {
    parent.add(key) { $0 += (value ? "true" : "false").utf8 }
  }
}

/// An array whose elements are written on every core when it is long (the audit report's
/// 10,000 lineages): each slice of elements to its own text, the texts joined in order.
private protocol LongArray {
  var isLong: Bool { get }
  func write(with writer: CanonicalJSONWriter, depth: Int, into out: inout [UInt8]) throws
}

extension Array: LongArray where Element: Encodable {
  fileprivate var isLong: Bool { count >= CanonicalJSONWriter.longArray }

  fileprivate func write(with writer: CanonicalJSONWriter, depth: Int, into out: inout [UInt8])
    throws
  {
    let pretty = writer.layout == .pretty
    let slices = 4 * ProcessInfo.processInfo.activeProcessorCount
    let size = (count + slices - 1) / slices
    var parts = [Result<[UInt8], Error>?](repeating: nil, count: slices)
    parts.withUnsafeMutableBufferPointer { parts in
      nonisolated(unsafe) let parts = parts
      nonisolated(unsafe) let items = self
      DispatchQueue.concurrentPerform(iterations: slices) { slice in
        let range =
          Swift.min(items.count, slice * size)..<Swift.min(items.count, (slice + 1) * size)
        parts[slice] = Result {
          var part: [UInt8] = []
          for index in range {
            if index > 0 { part += (pretty ? ",\n" : ",").utf8 }
            writer.pad(&part, depth + 1)
            try writer.write(items[index], depth: depth + 1, into: &part)
          }
          return part
        }
      }
    }
    let texts = try parts.map { try $0!.get() }
    // Room for the members that follow too, so that the buffer is not grown (and copied) again.
    out.reserveCapacity(out.count + texts.reduce(0) { $0 + $1.count } + 2 * depth + (1 << 16))
    out.append(UInt8(ascii: "["))
    if pretty { out.append(0x0A) }
    for text in texts { out += text }
    if pretty {
      out.append(0x0A)
      writer.pad(&out, depth)
    }
    out.append(UInt8(ascii: "]"))
  }
}
