/// A ref name as git's `check-ref-format` accepts it for a push: what git would refuse to
/// create, a hook must not judge as if it were a ref.
enum RefName {
  /// Why `name` is not a ref name git would write, or nil when it is one.
  static func problem(_ name: ArraySlice<UInt8>) -> String? {
    guard name.starts(with: Array("refs/".utf8)) else { return "does not start with refs/" }
    for byte in name {
      switch byte {
      case 0..<32, 127: return "holds the control byte \(hexByte(byte))"
      case UInt8(ascii: " "), UInt8(ascii: "~"), UInt8(ascii: "^"), UInt8(ascii: ":"),
        UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "["), UInt8(ascii: "\\"):
        return
          "holds \"\(Character(Unicode.Scalar(byte)))\", which git does not allow in a ref name"
      default: continue
      }
    }
    let text = String(decoding: name, as: UTF8.self)
    guard String(validating: name, as: UTF8.self) != nil else { return "is not UTF-8 text" }
    if text.contains("..") { return "holds \"..\"" }
    if text.contains("@{") { return "holds \"@{\"" }
    if text.hasSuffix(".") { return "ends in \".\"" }
    for component in text.split(separator: "/", omittingEmptySubsequences: false) {
      if component.isEmpty { return "has an empty component (\"//\" or a trailing \"/\")" }
      if component.hasPrefix(".") { return "has a component starting with \".\"" }
      if component.hasSuffix(".lock") { return "has a component ending in \".lock\"" }
    }
    return nil
  }

  static func hexByte(_ byte: UInt8) -> String {
    let names: [UInt8: String] = [
      0: "NUL", 9: "TAB", 10: "LF", 13: "CR", 127: "DEL",
    ]
    let hex = "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    return names[byte].map { "\(hex) (\($0))" } ?? hex
  }
}
