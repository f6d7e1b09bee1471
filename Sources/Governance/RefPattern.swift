/// A protected-ref pattern such as `refs/tags/v*`. A `*` matches any run of characters,
/// slashes included, and letters match in either case (`refs/tags/V1.0.0`, `refs/heads/MAIN`):
/// on a server whose file system folds case they are the same ref, and elsewhere they are
/// the ones people mistake for it. Protecting too much fails closed, protecting too little
/// would not.
public struct RefPattern: Sendable, Hashable, CustomStringConvertible {
  public let text: String

  public init(_ text: String) { self.text = text }

  public var description: String { text }

  /// Whether the pattern protects `ref`, ASCII letters in either case.
  public func matches(_ ref: String) -> Bool {
    Self.glob(Array(text.utf8)[...], Array(ref.utf8)[...], foldingCase: true)
  }

  /// Whether `ref` matches letter for letter: for exemptions (`allow_non_fast_forward`), which
  /// must not reach further than they were written.
  public func matchesExactly(_ ref: String) -> Bool {
    Self.glob(Array(text.utf8)[...], Array(ref.utf8)[...], foldingCase: false)
  }

  private static func glob(
    _ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>, foldingCase: Bool
  ) -> Bool {
    func same(_ a: UInt8, _ b: UInt8) -> Bool {
      guard foldingCase else { return a == b }
      func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
      }
      return lower(a) == lower(b)
    }
    var p = pattern.startIndex
    var n = name.startIndex
    var starP: Int? = nil
    var starN = 0
    while n < name.endIndex {
      if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
        starP = p
        starN = n
        p += 1
      } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || same(pattern[p], name[n]) {
        p += 1
        n += 1
      } else if let star = starP {
        p = star + 1
        starN += 1
        n = starN
      } else {
        return false
      }
    }
    while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
    return p == pattern.endIndex
  }
}
