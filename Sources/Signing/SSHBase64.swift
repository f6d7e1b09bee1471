import Foundation

/// Strict padded base64 as used by OpenSSH key lines, signatures and private key files.
enum SSHBase64 {
  /// Decodes padded standard base64. Returns nil on any character outside the
  /// alphabet, a length that is not a multiple of four, or misplaced padding.
  static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
    guard text.count % 4 == 0 else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(text.count / 4 * 3)
    var quantum: UInt32 = 0
    var filled = 0
    var padding = 0
    for byte in text {
      if byte == UInt8(ascii: "=") {
        padding += 1
        quantum <<= 6
      } else {
        guard padding == 0, let value = sextet(byte) else { return nil }
        quantum = quantum << 6 | UInt32(value)
      }
      filled += 1
      if filled == 4 {
        guard padding <= 2 else { return nil }
        output.append(UInt8(truncatingIfNeeded: quantum >> 16))
        if padding < 2 { output.append(UInt8(truncatingIfNeeded: quantum >> 8)) }
        if padding < 1 { output.append(UInt8(truncatingIfNeeded: quantum)) }
        quantum = 0
        filled = 0
        if padding > 0 { break }
      }
    }
    // Padding is only legal in the final quantum.
    guard output.count == text.count / 4 * 3 - padding else { return nil }
    return output
  }

  static func decode(_ text: some StringProtocol) -> [UInt8]? {
    decode(Array(text.utf8))
  }

  static func encode(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
  }

  static func isAlphabetCharacter(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "=") || sextet(byte) != nil
  }

  private static func sextet(_ byte: UInt8) -> UInt8? {
    let value = sextets[Int(byte)]
    return value == 0xFF ? nil : value
  }

  /// Each byte's value in the alphabet, 0xFF for bytes outside it.
  private static let sextets: [UInt8] = (0...255).map { byte in
    switch UInt8(byte) {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt8(byte) - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt8(byte) - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): 62
    case UInt8(ascii: "/"): 63
    default: 0xFF
    }
  }
}
