internal import Clibgit2

/// A SHA-1 object id (20 bytes). Ordering is byte-wise, i.e. the same as ordering `hex`.
public struct OID: Hashable, Comparable, Sendable, CustomStringConvertible {
  // Big-endian packing, so that tuple comparison equals byte-wise comparison.
  private let high: UInt64
  private let middle: UInt64
  private let low: UInt32

  /// The first 8 bytes alone: an object id is a hash already, and dictionaries of 100,000
  /// commits hash one word instead of three.
  public func hash(into hasher: inout Hasher) { hasher.combine(high) }

  /// A word of the id for mixing into another value's hash (as `hash(into:)` uses).
  public var hashWord: UInt64 { high }

  /// 40 hex digits, case-insensitive. Anything else (including short ids) yields nil;
  /// use `Repository.resolveRevision` for abbreviations.
  public init?(hex: String) {
    self.init(hexDigits: hex.utf8)
  }

  /// 40 ASCII hex digits, case-insensitive, as `init?(hex:)`, read without a copy.
  public init?(hexDigits: some Collection<UInt8>) {
    guard hexDigits.count == 40 else { return nil }
    var h: UInt64 = 0
    var m: UInt64 = 0
    var l: UInt32 = 0
    for (index, digit) in hexDigits.enumerated() {
      guard let nibble = OID.nibble(digit) else { return nil }
      switch index {
      case 0..<16: h = h << 4 | UInt64(nibble)
      case 16..<32: m = m << 4 | UInt64(nibble)
      default: l = l << 4 | UInt32(nibble)
      }
    }
    high = h
    middle = m
    low = l
  }

  /// Exactly 20 raw bytes.
  public init?(bytes: [UInt8]) {
    self.init(bytes: bytes[...])
  }

  /// The 20 raw bytes where they lie (a tree entry's id inside the tree's bytes), not copied.
  public init?(bytes: ArraySlice<UInt8>) {
    guard bytes.count == 20 else { return nil }
    let start = bytes.startIndex
    var h: UInt64 = 0
    var m: UInt64 = 0
    var l: UInt32 = 0
    for i in 0..<8 { h = h << 8 | UInt64(bytes[start + i]) }
    for i in 8..<16 { m = m << 8 | UInt64(bytes[start + i]) }
    for i in 16..<20 { l = l << 8 | UInt32(bytes[start + i]) }
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
    String(unsafeUninitializedCapacity: 40) { chars in
      let digits: StaticString = "0123456789abcdef"
      var index = 0
      func put(_ value: UInt64, bytes: Int) {
        for shift in stride(from: 8 * bytes - 4, through: 0, by: -4) {
          chars[index] = digits.utf8Start[Int(value >> UInt64(shift) & 0xF)]
          index += 1
        }
      }
      put(high, bytes: 8)
      put(middle, bytes: 8)
      put(UInt64(low), bytes: 4)
      return 40
    }
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
    (high, middle, low) = withUnsafeBytes(of: &copy.id) { bytes in
      (
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
      )
    }
  }

  init(_ pointer: UnsafePointer<git_oid>) {
    self.init(pointer.pointee)
  }

  var raw: git_oid {
    var result = git_oid()
    withUnsafeMutableBytes(of: &result.id) { bytes in
      bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
      bytes.storeBytes(of: middle.bigEndian, toByteOffset: 8, as: UInt64.self)
      bytes.storeBytes(of: low.bigEndian, toByteOffset: 16, as: UInt32.self)
    }
    return result
  }
}
