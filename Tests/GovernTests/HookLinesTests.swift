import GitKit
import Governance
import Ledger
import Testing

@Suite("hook input is read byte for byte, as git writes it")
struct HookLinesTests {
  static let old = String(repeating: "a", count: 40)
  static let new = String(repeating: "b", count: 40)

  func preReceive(_ bytes: [UInt8]) -> Result<[RefUpdate], Error> {
    Result { try HookLines.preReceive(bytes) }
  }

  @Test("plain lines parse, the final line feed and all")
  func plainLines() throws {
    let text = "\(Self.old) \(Self.new) refs/heads/main\n\(Self.old) \(Self.new) refs/tags/v1.0.0\n"
    let updates = try HookLines.preReceive(Array(text.utf8))
    #expect(updates.map(\.ref) == ["refs/heads/main", "refs/tags/v1.0.0"])
    #expect(updates[0].old == OID(hex: Self.old) && updates[0].new == OID(hex: Self.new))
    let pushed = try HookLines.prePush(
      Array("refs/heads/main \(Self.new) refs/heads/main \(Self.old)\n".utf8))
    #expect(
      pushed == [
        RefUpdate(ref: "refs/heads/main", old: OID(hex: Self.old), new: OID(hex: Self.new)!)
      ])
  }

  @Test(
    "a control byte in or after a ref name fails the whole input, naming the line and the byte",
    arguments: [
      ([13], "0x0d (CR)"), ([9], "0x09 (TAB)"), ([0], "0x00 (NUL)"), ([0x1b], "0x1b"),
      ([127], "0x7f (DEL)"),
    ] as [([UInt8], String)])
  func controlBytes(_ byte: [UInt8], _ named: String) {
    let good = Array("\(Self.old) \(Self.new) refs/heads/topic\n".utf8)
    for (bad, line) in [
      (Array("\(Self.old) \(Self.new) refs/heads/main".utf8) + byte + [10], 2),
      (Array("\(Self.old) \(Self.new) refs/heads/ma".utf8) + byte + Array("in\n".utf8), 2),
      (Array("\(Self.old) \(Self.new) refs/heads/main\n".utf8) + byte, 3),
    ] {
      guard case .failure(let error) = preReceive(good + bad) else {
        Issue.record("accepted \(bad)")
        continue
      }
      #expect("\(error)".contains("the pre-receive input:\(line):"), "\(error)")
      #expect("\(error)".contains(named), "\(error)")
    }
  }

  @Test(
    "a ref name git would refuse is refused",
    arguments: [
      "refs/heads/a..b", "refs/heads/a b", "refs/heads/x~1", "refs/heads/x^", "refs/heads/a:b",
      "refs/heads/a?", "refs/heads/a*", "refs/heads/a[", "refs/heads/a\\b", "refs/heads/a.lock",
      "refs/heads/.hidden", "refs/heads/a//b", "refs/heads/a/", "refs/heads/a.", "refs/heads/@{x}",
      "heads/main", "HEAD",
    ])
  func refusedNames(_ name: String) {
    let line = Array("\(Self.old) \(Self.new) ".utf8) + Array(name.utf8) + [10]
    guard case .failure(let error) = preReceive(line) else {
      Issue.record("accepted \(name)")
      return
    }
    #expect("\(error)".contains("the pre-receive input:1"), "\(error)")
  }

  @Test("a ref name that is not UTF-8 is refused; one in UTF-8 is read as it is")
  func encodings() throws {
    let latin1 = Array("\(Self.old) \(Self.new) refs/heads/caf".utf8) + [0xe9, 10]
    #expect(throws: InputError.self) { try HookLines.preReceive(latin1) }
    let updates = try HookLines.preReceive(Array("\(Self.old) \(Self.new) refs/heads/café\n".utf8))
    #expect(updates.map(\.ref) == ["refs/heads/café"])
  }

  @Test("two spaces, a missing field or a short id are refused")
  func shapes() {
    for text in [
      "\(Self.old)  \(Self.new) refs/heads/main\n", "\(Self.old) \(Self.new)\n",
      "\(Self.old) \(Self.new.dropLast()) refs/heads/main\n",
      "\(Self.old) \(Self.new) refs/heads/main extra\n", "\n",
    ] {
      #expect(throws: InputError.self, "\(text)") { try HookLines.preReceive(Array(text.utf8)) }
    }
    #expect(throws: InputError.self) {
      try HookLines.update(["refs/heads/main\r", Self.old, Self.new])
    }
  }
}
