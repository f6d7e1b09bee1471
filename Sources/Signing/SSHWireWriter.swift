/// Builds bytes in the SSH wire encoding (RFC 4251 section 5).
struct SSHWireWriter {
  private(set) var bytes: [UInt8] = []

  mutating func appendRaw(_ raw: some Sequence<UInt8>) {
    bytes.append(contentsOf: raw)
  }

  mutating func appendUInt32(_ value: UInt32) {
    bytes.append(contentsOf: [
      UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
      UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value),
    ])
  }

  mutating func appendString(_ value: some Collection<UInt8>) {
    appendUInt32(UInt32(value.count))
    bytes.append(contentsOf: value)
  }

  mutating func appendString(_ text: String) {
    appendString(Array(text.utf8))
  }

  /// Appends a non-negative integer given as big-endian magnitude bytes as an `mpint`.
  mutating func appendMPInt(magnitude: [UInt8]) {
    let trimmed = Array(magnitude.drop(while: { $0 == 0 }))
    if let first = trimmed.first, first & 0x80 != 0 {
      appendString([0] + trimmed)
    } else {
      appendString(trimmed)
    }
  }
}
