/// A protected-ref pattern such as `refs/tags/v*`. A `*` matches any run of characters,
/// slashes included: protecting too much fails closed, protecting too little would not.
public struct RefPattern: Sendable, Hashable, CustomStringConvertible {
  public let text: String

  public init(_ text: String) { self.text = text }

  public var description: String { text }

  public func matches(_ ref: String) -> Bool {
    Self.glob(Array(text.utf8)[...], Array(ref.utf8)[...])
  }

  private static func glob(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
    var p = pattern.startIndex
    var n = name.startIndex
    var starP: Int? = nil
    var starN = 0
    while n < name.endIndex {
      if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
        starP = p
        starN = n
        p += 1
      } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || pattern[p] == name[n] {
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
