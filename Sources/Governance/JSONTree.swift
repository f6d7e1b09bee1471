import Foundation

/// An encoded value as a tree, written in `JSONEncoder`'s layouts with `.sortedKeys` and
/// `.withoutEscapingSlashes`: pretty (`PrettyJSON`) or compact (`CanonicalJSON`'s check),
/// byte for byte the same text. Strings, numbers and booleans sit in their container's entries
/// as values; only containers are objects (a node per value made the report's 500,000 values
/// as many allocations).
final class JSONTree {
  fileprivate indirect enum Content {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array(ArrayItems)
    case object(ObjectEntries)
    /// A value encoded later through an encoder handed out for it (`superEncoder`).
    case node(JSONTree)
    /// A value that writes itself (`JSONSelfWriting`).
    case selfWriting(any JSONSelfWriting)
  }
  fileprivate var content: Content = .null

  init() {}

  init<T: Encodable>(_ value: T) throws { content = try Self.content(of: value) }

  fileprivate static func content<T: Encodable>(of value: T) throws -> Content {
    switch value {
    case let text as String: return .string(text)
    case let flag as Bool: return .bool(flag)
    case let number as Int: return .number(String(number))
    case let number as Int64: return .number(String(number))
    case let number as UInt64: return .number(String(number))
    case let number as Int32: return .number(String(number))
    case let number as UInt32: return .number(String(number))
    case let number as Double: return .number(number.description)
    case let writing as any JSONSelfWriting: return .selfWriting(writing)
    case let long as any LongArray:
      if let items = try long.contentsOnEveryCore() {
        let array = ArrayItems()
        array.items = items
        return .array(array)
      }
      fallthrough
    default:
      let node = JSONTree()
      try value.encode(to: JSONTreeEncoder(node))
      return node.content
    }
  }

  /// Through `Encodable` even when the value writes itself: the reference its own writing is
  /// tested against.
  init<T: Encodable>(encoding value: T) throws {
    let node = JSONTree()
    try value.encode(to: JSONTreeEncoder(node))
    content = node.content
  }

  func write(into out: inout [UInt8], indent: Int) {
    Self.write(content, into: &out, indent: indent)
  }

  fileprivate static func write(_ content: Content, into out: inout [UInt8], indent: Int) {
    switch content {
    case .null: out += "null".utf8
    case .bool(let flag): out += (flag ? "true" : "false").utf8
    case .number(let text): out += text.utf8
    case .string(let text): writeString(text, into: &out)
    case .node(let node): write(node.content, into: &out, indent: indent)
    case .selfWriting(let value): value.writeJSON(into: &out, indent: indent)
    case .array(let array):
      out += "[\n".utf8
      let parts = onEveryCore(array.items) { items in
        var part: [UInt8] = []
        for item in items {
          pad(&part, indent + 1)
          write(item, into: &part, indent: indent + 1)
          part += ",\n".utf8
        }
        return part
      }
      for part in parts { out += part }
      if !array.items.isEmpty { out.removeLast(2) }
      out.append(0x0A)
      pad(&out, indent)
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      out += "{\n".utf8
      for (index, entry) in object.sortedEntries.enumerated() {
        if index > 0 { out += ",\n".utf8 }
        pad(&out, indent + 1)
        writeString(entry.key, into: &out)
        out += " : ".utf8
        write(entry.value, into: &out, indent: indent + 1)
      }
      out.append(0x0A)
      pad(&out, indent)
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Without any space: `{"a":1,"b":[true]}`.
  func writeCompact(into out: inout [UInt8]) {
    Self.writeCompact(content, into: &out)
  }

  fileprivate static func writeCompact(_ content: Content, into out: inout [UInt8]) {
    switch content {
    case .null: out += "null".utf8
    case .bool(let flag): out += (flag ? "true" : "false").utf8
    case .number(let text): out += text.utf8
    case .string(let text): writeString(text, into: &out)
    case .node(let node): writeCompact(node.content, into: &out)
    case .selfWriting(let value): value.writeJSON(into: &out, indent: nil)
    case .array(let array):
      out.append(UInt8(ascii: "["))
      for (index, item) in array.items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        writeCompact(item, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      out.append(UInt8(ascii: "{"))
      for (index, entry) in object.sortedEntries.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        writeString(entry.key, into: &out)
        out.append(UInt8(ascii: ":"))
        writeCompact(entry.value, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Arrays at least this long are built and written in slices, one per core.
  static let longArray = 2048

  /// `work` on consecutive slices of `items`, on every core when there are many.
  fileprivate static func onEveryCore<Item, Part>(
    _ items: [Item], _ work: (ArraySlice<Item>) throws -> Part
  ) rethrows -> [Part] {
    guard items.count >= longArray else { return [try work(items[...])] }
    let slices = 4 * ProcessInfo.processInfo.activeProcessorCount
    let size = (items.count + slices - 1) / slices
    var parts = [Result<Part, Error>?](repeating: nil, count: slices)
    withoutActuallyEscaping(work) { work in
      parts.withUnsafeMutableBufferPointer { parts in
        nonisolated(unsafe) let parts = parts
        nonisolated(unsafe) let work = work
        nonisolated(unsafe) let items = items
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
          let range = min(items.count, slice * size)..<min(items.count, (slice + 1) * size)
          parts[slice] = Result { try work(items[range]) }
        }
      }
    }
    return try parts.map { try $0!.get() }
  }

  fileprivate static func pad(_ out: inout [UInt8], _ indent: Int) {
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
  }

  private static let hex = Array("0123456789abcdef".utf8)

  fileprivate static func writeString(_ text: String, into out: inout [UInt8]) {
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

private final class ArrayItems { var items: [JSONTree.Content] = [] }

private final class ObjectEntries {
  var entries: [(key: String, value: JSONTree.Content)] = []
  var sortedEntries: [(key: String, value: JSONTree.Content)] {
    entries.sorted { $0.key < $1.key }
  }
}

private struct JSONTreeEncoder: Encoder {
  let node: JSONTree
  var codingPath: [any CodingKey] = []
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(_ node: JSONTree) { self.node = node }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object(let object) = node.content {
      return KeyedEncodingContainer(Keyed(object: object))
    }
    let object = ObjectEntries()
    node.content = .object(object)
    return KeyedEncodingContainer(Keyed(object: object))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array(let array) = node.content { return Unkeyed(array: array) }
    let array = ArrayItems()
    node.content = .array(array)
    return Unkeyed(array: array)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node) }
}

private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let object: ObjectEntries
  var codingPath: [any CodingKey] { [] }

  private func add(_ key: Key, _ content: JSONTree.Content) {
    object.entries.append((key.stringValue, content))
  }

  /// A slot filled later, through the encoder or container handed out for it.
  private func node(_ key: Key) -> JSONTree {
    let node = JSONTree()
    add(key, .node(node))
    return node
  }

  mutating func encodeNil(forKey key: Key) throws { add(key, .null) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    add(key, try JSONTree.content(of: value))
  }
  // The common kinds without a dynamic cast each.
  mutating func encode(_ value: String, forKey key: Key) throws { add(key, .string(value)) }
  mutating func encode(_ value: Int, forKey key: Key) throws {
    add(key, .number(String(value)))
  }
  mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, .bool(value)) }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let object = ObjectEntries()
    add(key, .object(object))
    return KeyedEncodingContainer(Keyed<NestedKey>(object: object))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let array = ArrayItems()
    add(key, .array(array))
    return Unkeyed(array: array)
  }

  mutating func superEncoder() -> any Encoder { JSONTreeEncoder(node(Key(stringValue: "super")!)) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { JSONTreeEncoder(node(key)) }
}

private struct Unkeyed: UnkeyedEncodingContainer {
  let array: ArrayItems
  var codingPath: [any CodingKey] { [] }
  var count: Int { array.items.count }

  private func add(_ content: JSONTree.Content) { array.items.append(content) }

  mutating func encodeNil() throws { add(.null) }
  mutating func encode<T: Encodable>(_ value: T) throws { add(try JSONTree.content(of: value)) }
  mutating func encode(_ value: String) throws { add(.string(value)) }
  mutating func encode(_ value: Int) throws { add(.number(String(value))) }
  mutating func encode(_ value: Bool) throws { add(.bool(value)) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    let object = ObjectEntries()
    add(.object(object))
    return KeyedEncodingContainer(Keyed<NestedKey>(object: object))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let nested = ArrayItems()
    add(.array(nested))
    return Unkeyed(array: nested)
  }

  mutating func superEncoder() -> any Encoder {
    let node = JSONTree()
    add(.node(node))
    return JSONTreeEncoder(node)
  }
}

private struct Single: SingleValueEncodingContainer {
  let node: JSONTree
  var codingPath: [any CodingKey] { [] }
  mutating func encodeNil() throws { node.content = .null }
  mutating func encode<T: Encodable>(_ value: T) throws {
    node.content = try JSONTree.content(of: value)
  }
  mutating func encode(_ value: String) throws { node.content = .string(value) }
  mutating func encode(_ value: Int) throws { node.content = .number(String(value)) }
  mutating func encode(_ value: Bool) throws { node.content = .bool(value) }
}

/// An array whose elements can be encoded on every core.
private protocol LongArray {
  func contentsOnEveryCore() throws -> [JSONTree.Content]?
}

extension Array: LongArray where Element: Encodable {
  /// Nil when the array is short: it is encoded as any other value.
  fileprivate func contentsOnEveryCore() throws -> [JSONTree.Content]? {
    guard count >= JSONTree.longArray else { return nil }
    return try JSONTree.onEveryCore(self) { slice in try slice.map { try JSONTree.content(of: $0) }
    }
    .flatMap { $0 }
  }
}

/// A value that writes its own JSON, in the layouts `JSONTree` writes and with the text its
/// `Encodable` conformance would give, without an encoder: the audit report's lineages are
/// most of its 18 MB, and going through `Encodable` made a node for every one of their values.
protocol JSONSelfWriting: Encodable {
  /// Pretty when `indent` is the indent of the line the value starts on, compact when nil.
  func writeJSON(into out: inout [UInt8], indent: Int?)
}

/// Writes one object's fields, which the caller gives in sorted order, as `JSONTree` lays
/// out an object: an absent optional is left out, as `encodeIfPresent` leaves it out.
struct JSONObjectWriter {
  private let indent: Int?
  private var isEmpty = true

  init(into out: inout [UInt8], indent: Int?) {
    self.indent = indent
    out += (indent == nil ? "{" : "{\n").utf8
  }

  mutating func field(_ key: String, _ value: String?, into out: inout [UInt8]) {
    guard let value else { return }
    start(key, into: &out)
    JSONTree.writeString(value, into: &out)
  }

  mutating func field(_ key: String, _ value: Int?, into out: inout [UInt8]) {
    guard let value else { return }
    start(key, into: &out)
    out += String(value).utf8
  }

  mutating func field(_ key: String, _ value: Bool, into out: inout [UInt8]) {
    start(key, into: &out)
    out += (value ? "true" : "false").utf8
  }

  mutating func field(_ key: String, _ values: [String], into out: inout [UInt8]) {
    start(key, into: &out)
    writeArray(values, into: &out) { value, out, _ in JSONTree.writeString(value, into: &out) }
  }

  mutating func field(_ key: String, _ values: [some JSONSelfWriting], into out: inout [UInt8]) {
    start(key, into: &out)
    writeArray(values, into: &out) { value, out, indent in
      value.writeJSON(into: &out, indent: indent)
    }
  }

  /// An object as the value of a field of this object; left out when absent.
  mutating func field(_ key: String, _ value: (some JSONSelfWriting)?, into out: inout [UInt8]) {
    guard let value else { return }
    start(key, into: &out)
    value.writeJSON(into: &out, indent: indent.map { $0 + 1 })
  }

  func end(into out: inout [UInt8]) {
    guard let indent else { return out.append(UInt8(ascii: "}")) }
    out.append(0x0A)
    JSONTree.pad(&out, indent)
    out.append(UInt8(ascii: "}"))
  }

  private mutating func start(_ key: String, into out: inout [UInt8]) {
    if !isEmpty { out += (indent == nil ? "," : ",\n").utf8 }
    isEmpty = false
    if let indent { JSONTree.pad(&out, indent + 1) }
    JSONTree.writeString(key, into: &out)
    out += (indent == nil ? ":" : " : ").utf8
  }

  /// An array as the value of a field of this object.
  private func writeArray<Item>(
    _ items: [Item], into out: inout [UInt8], _ write: (Item, inout [UInt8], Int?) -> Void
  ) {
    guard let indent else {
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        write(item, &out, nil)
      }
      return out.append(UInt8(ascii: "]"))
    }
    out += "[\n".utf8
    for item in items {
      JSONTree.pad(&out, indent + 2)
      write(item, &out, indent + 2)
      out += ",\n".utf8
    }
    if !items.isEmpty { out.removeLast(2) }
    out.append(0x0A)
    JSONTree.pad(&out, indent + 1)
    out.append(UInt8(ascii: "]"))
  }
}
