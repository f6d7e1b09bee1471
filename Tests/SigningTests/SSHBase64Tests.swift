import Foundation
import Testing

@testable import Signing

@Suite("strict base64")
struct SSHBase64Tests {
  @Test("decodes what Foundation encodes; refuses bytes outside the alphabet and bad padding")
  func decodes() {
    var random = SystemRandomNumberGenerator()
    for length in 0..<200 {
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
      let text = Data(bytes).base64EncodedString()
      #expect(SSHBase64.decode(Array(text.utf8)) == bytes)
    }
    for byte in 0...255 {
      let inAlphabet =
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(UInt8(byte))
        || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(UInt8(byte))
        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(UInt8(byte)) || byte == 0x2B
        || byte == 0x2F
      let text: [UInt8] = [UInt8(ascii: "Q"), UInt8(byte), UInt8(ascii: "Q"), UInt8(ascii: "Q")]
      #expect((SSHBase64.decode(text) != nil) == inAlphabet, "byte \(byte)")
      #expect(SSHBase64.isAlphabetCharacter(UInt8(byte)) == (inAlphabet || byte == 0x3D))
    }
    #expect(SSHBase64.decode(Array("QQ=Q".utf8)) == nil)
    #expect(SSHBase64.decode(Array("Q===".utf8)) == nil)
    #expect(SSHBase64.decode(Array("QQ".utf8)) == nil)
  }
}
