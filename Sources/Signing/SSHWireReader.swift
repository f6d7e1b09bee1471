/// Reads the SSH wire encoding (RFC 4251 section 5) from untrusted bytes.
///
/// Every read checks the remaining length first and throws the error built by
/// `makeError` naming the field, so hostile input can never crash the parser.
struct SSHWireReader {
  private let bytes: [UInt8]
  private(set) var offset: Int
  private let makeError: @Sendable (String) -> SignatureError

  init(_ bytes: [UInt8], makeError: @escaping @Sendable (String) -> SignatureError) {
    self.bytes = bytes
    self.offset = 0
    self.makeError = makeError
  }

  var remainingCount: Int { bytes.count - offset }
  var isAtEnd: Bool { offset == bytes.count }

  mutating func readBytes(_ count: Int, field: String) throws -> [UInt8] {
    try requireRemaining(count, field: field)
    let result = Array(bytes[offset..<offset + count])
    offset += count
    return result
  }

  mutating func readUInt32(field: String) throws -> UInt32 {
    try requireRemaining(4, field: field)
    defer { offset += 4 }
    return bytes[offset..<offset + 4].reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
  }

  private func requireRemaining(_ count: Int, field: String) throws {
    guard count >= 0, count <= remainingCount else {
      throw makeError("\(field) needs \(count) bytes but only \(remainingCount) remain")
    }
  }

  /// Reads a length-prefixed `string` as raw bytes.
  mutating func readString(field: String) throws -> [UInt8] {
    let length = try readUInt32(field: "length of \(field)")
    guard Int(length) <= remainingCount else {
      throw makeError(
        "\(field) claims \(length) bytes but only \(remainingCount) remain")
    }
    return try readBytes(Int(length), field: field)
  }

  /// Reads a length-prefixed `string` that must be UTF-8 text.
  mutating func readText(field: String) throws -> String {
    let raw = try readString(field: field)
    guard let text = String(validatingUTF8Bytes: raw) else {
      throw makeError("\(field) is not valid UTF-8")
    }
    return text
  }

  /// Reads an `mpint` and returns its magnitude without leading zero bytes.
  /// Negative values are refused: no SSH key or signature field may be negative.
  mutating func readPositiveMPInt(field: String) throws -> [UInt8] {
    let raw = try readString(field: field)
    if let first = raw.first, first & 0x80 != 0 {
      throw makeError("\(field) is a negative mpint")
    }
    return Array(raw.drop(while: { $0 == 0 }))
  }

  func expectEnd(after field: String) throws {
    guard isAtEnd else {
      throw makeError("\(remainingCount) unexpected trailing bytes after \(field)")
    }
  }
}

extension String {
  /// Decodes UTF-8, returning nil instead of repairing invalid sequences.
  init?(validatingUTF8Bytes bytes: [UInt8]) {
    let decoded = String(decoding: bytes, as: UTF8.self)
    guard decoded.utf8.elementsEqual(bytes) else { return nil }
    self = decoded
  }
}
