/// The `r || s` pair inside an SSH ECDSA signature blob (RFC 5656 section 3.1.2),
/// normalised to the fixed-width raw form CryptoKit expects.
struct ECDSASignatureBlob {
  let rawRepresentation: [UInt8]

  /// - Parameter fieldSize: byte length of one scalar on the curve (32, 48 or 66).
  init(blob: [UInt8], fieldSize: Int) throws {
    var reader = SSHWireReader(blob) { SignatureError.malformedSignature($0) }
    let r = try reader.readString(field: "ECDSA signature value r")
    let s = try reader.readString(field: "ECDSA signature value s")
    try reader.expectEnd(after: "the ECDSA signature values")
    rawRepresentation =
      try Self.fixedWidth(r, name: "r", fieldSize: fieldSize)
      + Self.fixedWidth(s, name: "s", fieldSize: fieldSize)
  }

  /// mpints are minimal two's complement: a scalar whose top bit is set gains a
  /// leading zero byte (33 bytes on P-256), a small one is shorter (31 bytes).
  /// Both are legitimate and are left-padded or stripped to `fieldSize`.
  private static func fixedWidth(_ mpint: [UInt8], name: String, fieldSize: Int) throws
    -> [UInt8]
  {
    if let first = mpint.first, first & 0x80 != 0 {
      throw SignatureError.malformedSignature("ECDSA signature value \(name) is a negative mpint")
    }
    var magnitude = mpint[...]
    if magnitude.count == fieldSize + 1, magnitude.first == 0 {
      magnitude = magnitude.dropFirst()
    }
    guard magnitude.count <= fieldSize else {
      throw SignatureError.malformedSignature(
        "ECDSA signature value \(name) is \(mpint.count) bytes, longer than the \(fieldSize)-byte curve order"
      )
    }
    return [UInt8](repeating: 0, count: fieldSize - magnitude.count) + magnitude
  }
}
