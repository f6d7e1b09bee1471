import Foundation
import Testing

@testable import Governance

/// The one writer against `JSONEncoder`, kept here as the oracle, and against RFC 8785's own
/// examples where they fall in the subset (docs/canonical-json.md).
@Suite("canonical JSON writer")
struct CanonicalJSONWriterTests {
  typealias Generator = CanonicalJSONReaderTests.Generator

  static func foundationCompact<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }

  static func foundationPretty<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }

  /// `value` written both ways, in both layouts, must give the same bytes.
  static func expectSameAsJSONEncoder<T: Encodable>(
    _ value: T, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(
      try CanonicalJSON.compact(value) == (try foundationCompact(value)),
      sourceLocation: sourceLocation)
    #expect(
      try CanonicalJSON.pretty(value) == (try foundationPretty(value)),
      sourceLocation: sourceLocation)
  }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test("every kind of record, generated with hostile strings, is written as JSONEncoder writes it")
  func recordsMatchJSONEncoder() throws {
    var random = Generator(state: 5)
    typealias Make = CanonicalJSONReaderTests
    for _ in 0..<500 {
      let approval = Make.approval(&random)
      let request = Make.request(&random)
      let closeout = Make.closeout(&random)
      let evidence = Make.evidence(&random)
      try Self.expectSameAsJSONEncoder(approval)
      try Self.expectSameAsJSONEncoder(request)
      try Self.expectSameAsJSONEncoder(closeout)
      try Self.expectSameAsJSONEncoder(evidence)
      // The stored form: compact and one line feed.
      #expect(CanonicalJSON.encode(approval) == (try Self.foundationCompact(approval)) + [0x0A])
      #expect(CanonicalJSON.encode(closeout) == (try Self.foundationCompact(closeout)) + [0x0A])
      let authorship = Make.authorship(&random)
      try Self.expectSameAsJSONEncoder(
        RepositoryRecord(authorship, policy: Make.text(&random), people: Make.text(&random)))
      try Self.expectSameAsJSONEncoder(
        Rejection(
          authorship, release: Make.text(&random), target: Make.text(&random),
          tree: Make.text(&random), ref: Make.text(&random), policy: Make.text(&random),
          reason: Make.text(&random)))
    }
  }

  @Test("a record signed before the one writer keeps its exact bytes")
  func storedBytesUnchanged() throws {
    // Bytes as `JSONEncoder` wrote them when this record was signed (issue 14's format).
    let stored =
      #"{"actor":"carol","comment":"ok \"\/\" é\n","created":"2026-11-30T14:02:11Z","email":"carol@example.com","kind":"approval","policy":"abc","ref":"refs/tags/v1.2.0","release":"r-3f00","repo":"0123","target":"aaaa","tree":"bbbb","version":1}"#
      .replacingOccurrences(of: #"\/"#, with: "/") + "\n"
    let record = try CanonicalJSON.decode(Approval.self, from: Array(stored.utf8), path: "a.json")
    #expect(record.comment == "ok \"/\" é\n")
    #expect(CanonicalJSON.encode(record) == Array(stored.utf8))
  }

  /// RFC 8785 §3.2.4's example, as a value.
  struct RFCExample: Encodable {
    struct Literals: Encodable {
      func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        try list.encodeNil()
        try list.encode(true)
        try list.encode(false)
      }
    }
    var numbers: [Double] = [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]
    var string = "\u{20ac}$\u{0F}\nA'B\"\\\\\"/"
    var literals = Literals()
  }

  @Test("RFC 8785's example: literals, ECMAScript numbers, escapes, sorted members")
  func rfcExample() throws {
    #expect(
      Self.text(try CanonicalJSON.compact(RFCExample()))
        == #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    )
  }

  @Test("RFC 8785's key order: by UTF-16 code units, astral characters before U+FB33")
  func rfcKeyOrder() throws {
    let members: [String: String] = [
      "\u{20ac}": "Euro Sign", "\r": "Carriage Return",
      "\u{fb33}": "Hebrew Letter Dalet With Dagesh", "1": "One",
      "\u{1F600}": "Emoji: Grinning Face", "\u{80}": "Control",
      "\u{f6}": "Latin Small Letter O With Diaeresis",
    ]
    let written = Self.text(try CanonicalJSON.compact(members))
    let order = ["\r", "1", "\u{80}", "\u{f6}", "\u{20ac}", "\u{1F600}", "\u{fb33}"]
    #expect(
      written
        == "{"
        + order.map { key in
          Self.text(try! CanonicalJSON.compact(key)) + ":"
            + Self.text(try! CanonicalJSON.compact(members[key]!))
        }.joined(separator: ",") + "}")
    // JSONEncoder sorts by code point: the one place the two differ on keys.
    #expect(try CanonicalJSON.compact(members) != (try Self.foundationCompact(members)))
    var bmp = members
    bmp["\u{1F600}"] = nil
    try Self.expectSameAsJSONEncoder(bmp)
  }

  @Test(
    "RFC 8785's numbers (its appendix B) in ECMAScript's spelling",
    arguments: [
      (0.0, "0"), (-0.0, "0"), (5e-324, "5e-324"), (-5e-324, "-5e-324"),
      (1.7976931348623157e308, "1.7976931348623157e+308"),
      (9_007_199_254_740_992, "9007199254740992"),
      (1e21, "1e+21"), (1e20, "100000000000000000000"), (0.000001, "0.000001"), (1e-7, "1e-7"),
      (0.5, "0.5"), (2, "2"), (-12.25, "-12.25"), (0.1 + 0.2, "0.30000000000000004"),
      (123_456_789_012, "123456789012"), (1.5e300, "1.5e+300"),
    ])
  func rfcNumbers(_ number: Double, _ spelling: String) throws {
    #expect(Self.text(try CanonicalJSON.compact(number)) == spelling)
    #expect(Double(spelling) == number)
  }

  @Test("integers in plain decimal, whatever their width")
  func integers() throws {
    #expect(
      Self.text(try CanonicalJSON.compact([Int.min, -1, 0, Int.max]))
        == "[\(Int.min),-1,0,\(Int.max)]")
    #expect(Self.text(try CanonicalJSON.compact([UInt64.max])) == "[18446744073709551615]")
    #expect(Self.text(try CanonicalJSON.compact([Int8(-8)])) == "[-8]")
  }

  struct TwiceTheSameKey: Encodable {
    enum Keys: String, CodingKey { case a }
    func encode(to encoder: any Encoder) throws {
      var object = encoder.container(keyedBy: Keys.self)
      try object.encode(1, forKey: .a)
      try object.encode(2, forKey: .a)
    }
  }

  @Test("refuses what has no single spelling: NaN, infinities, a key written twice")
  func refusals() {
    #expect(throws: CanonicalJSON.Refusal.self) { try CanonicalJSON.compact(Double.nan) }
    #expect(throws: CanonicalJSON.Refusal.self) { try CanonicalJSON.pretty([Double.infinity]) }
    #expect(throws: CanonicalJSON.Refusal.self) { try CanonicalJSON.compact(TwiceTheSameKey()) }
    #expect(throws: CanonicalJSON.Refusal.self) {
      try CanonicalJSON.pretty(["x": TwiceTheSameKey()])
    }
  }

  /// Containers opened before their values, interleaved, through `superEncoder`, and values
  /// that encode nothing: what hand-written `encode(to:)` may do.
  struct Unusual: Encodable {
    struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
    enum Keys: String, CodingKey { case zeta, alpha, nested, list, parent, empty, again }
    func encode(to encoder: any Encoder) throws {
      var object = encoder.container(keyedBy: Keys.self)
      var nested = object.nestedContainer(keyedBy: Keys.self, forKey: .nested)
      var list = object.nestedUnkeyedContainer(forKey: .list)
      try object.encode("z", forKey: .zeta)
      try nested.encode(2, forKey: .zeta)
      try list.encode("b")
      var inner = list.nestedContainer(keyedBy: Keys.self)
      try list.encodeNil()
      try inner.encode(true, forKey: .alpha)
      try nested.encode([Nothing(), Nothing()], forKey: .alpha)
      try object.encode(Nothing(), forKey: .empty)
      try object.encode([String](), forKey: .again)
      let parent = object.superEncoder(forKey: .parent)
      var single = parent.singleValueContainer()
      try single.encode(["k": [1, 2]])
      var more = encoder.container(keyedBy: Keys.self)
      try more.encode("a", forKey: .alpha)
    }
  }

  @Test(
    "hand-written encoders: nested, interleaved and empty containers as JSONEncoder writes them")
  func unusualEncoders() throws {
    try Self.expectSameAsJSONEncoder(Unusual())
    try Self.expectSameAsJSONEncoder([Unusual(), Unusual()])
    try Self.expectSameAsJSONEncoder([String: Int]())
    try Self.expectSameAsJSONEncoder([[Int]()])
    try Self.expectSameAsJSONEncoder(["a": [String?.none, "x"]])
  }

  @Test("long arrays, written on every core, come out in order and the same")
  func longArrays() throws {
    let long = (0..<(2 * CanonicalJSONWriter.longArray + 7)).map { index in
      ReleaseLineage.Step(
        kind: "approval", by: "p\(index)", roles: index % 3 == 0 ? [] : ["r\(index)"],
        at: "2026-01-01T00:00:00Z", detail: "\"\(index)\"\n")
    }
    try Self.expectSameAsJSONEncoder(long)
    try Self.expectSameAsJSONEncoder(["steps": [long, []]])
    try Self.expectSameAsJSONEncoder(Array(0..<CanonicalJSONWriter.longArray))
  }
}
