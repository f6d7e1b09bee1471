internal import Clibgit2

/// A SHA-1 object id (20 bytes). Ordering is byte-wise, i.e. the same as ordering `hex`.
public struct OID: Hashable, Comparable, Sendable, CustomStringConvertible {
  // Big-endian packing, so that tuple comparison equals byte-wise comparison.
  private let high: UInt64
  private let middle: UInt64
  private let low: UInt32

  /// 40 hex digits, case-insensitive. Anything else (including short ids) yields nil;
  /// use `Repository.resolveRevision` for abbreviations.
  public init?(hex: String) {
    var bytes = [UInt8]()
    bytes.reserveCapacity(20)
    var utf8 = hex.utf8.makeIterator()
    var count = 0
    while let first = utf8.next() {
      guard let second = utf8.next(), let hi = OID.nibble(first), let lo = OID.nibble(second)
      else { return nil }
      bytes.append(hi << 4 | lo)
      count += 2
      if count > 40 { return nil }
    }
    guard count == 40 else { return nil }
    self.init(bytes: bytes)!
  }

  /// Exactly 20 raw bytes.
  public init?(bytes: [UInt8]) {
    guard bytes.count == 20 else { return nil }
    var h: UInt64 = 0
    var m: UInt64 = 0
    var l: UInt32 = 0
    for i in 0..<8 { h = h << 8 | UInt64(bytes[i]) }
    for i in 8..<16 { m = m << 8 | UInt64(bytes[i]) }
    for i in 16..<20 { l = l << 8 | UInt32(bytes[i]) }
    high = h
    middle = m
    low = l
  }

  /// The 20 raw bytes.
  public var bytes: [UInt8] {
    var result = [UInt8]()
    result.reserveCapacity(20)
    for shift in stride(from: 56, through: 0, by: -8) {
      result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift)))
    }
    for shift in stride(from: 56, through: 0, by: -8) {
      result.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift)))
    }
    for shift in stride(from: 24, through: 0, by: -8) {
      result.append(UInt8(truncatingIfNeeded: low >> UInt32(shift)))
    }
    return result
  }

  /// Lowercase, 40 characters.
  public var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var chars = [UInt8]()
    chars.reserveCapacity(40)
    for byte in bytes {
      chars.append(digits[Int(byte >> 4)])
      chars.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: chars, as: UTF8.self)
  }

  /// The first `length` hex digits (for display).
  public func abbreviated(_ length: Int = 7) -> String {
    String(hex.prefix(max(4, min(40, length))))
  }

  /// 40 zeros: git's "no object" (e.g. the old value of a created ref in hook input).
  public static let zero = OID(bytes: [UInt8](repeating: 0, count: 20))!

  public var isZero: Bool { high == 0 && middle == 0 && low == 0 }

  public var description: String { hex }

  public static func < (lhs: OID, rhs: OID) -> Bool {
    (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
  }

  private static func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  // MARK: libgit2 bridging (internal)

  init(_ raw: git_oid) {
    var copy = raw
    let bytes = withUnsafeBytes(of: &copy.id) { Array($0) }
    self.init(bytes: bytes)!
  }

  init(_ pointer: UnsafePointer<git_oid>) {
    self.init(pointer.pointee)
  }

  var raw: git_oid {
    var result = git_oid()
    let source = bytes
    withUnsafeMutableBytes(of: &result.id) { buffer in
      for i in 0..<20 { buffer[i] = source[i] }
    }
    return result
  }
}
