import Foundation
import Testing

@testable import Governance

/// The fast reader must accept exactly the records `JSONDecoder` plus the canonical check
/// accepts, with the same values: its own output is checked against `JSONEncoder`'s bytes.
@Suite("canonical JSON reader")
struct CanonicalJSONReaderTests {
  /// Deterministic, so a failure can be replayed.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state ^ (state >> 29)
    }
  }

  static let alphabet: [String] = [
    "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{1}", "\u{1F}",
    "\u{7F}", "é", "e\u{301}", "\u{2028}", "😀", "✓", "<", "&", "'", ":", ",", "{", "]",
  ]

  static func text(_ random: inout Generator, maxLength: Int = 24) -> String {
    let length = Int.random(in: 0...maxLength, using: &random)
    return (0..<length).map { _ in alphabet.randomElement(using: &random)! }.joined()
  }

  static func authorship(_ random: inout Generator) -> RecordAuthorship {
    RecordAuthorship(
      repo: text(&random), actor: text(&random), email: text(&random), created: text(&random))
  }

  static func approval(_ random: inout Generator) -> Approval {
    Approval(
      authorship(&random), release: text(&random), target: text(&random), tree: text(&random),
      ref: text(&random), policy: text(&random),
      comment: Bool.random(using: &random) ? text(&random, maxLength: 200) : nil)
  }

  static func request(_ random: inout Generator) -> ReleaseRequest {
    ReleaseRequest(
      authorship(&random), release: text(&random), target: text(&random), tree: text(&random),
      ref: text(&random), type: [.normal, .standard].randomElement(using: &random)!,
      risk: [.low, .high].randomElement(using: &random)!,
      change: Bool.random(using: &random) ? text(&random) : nil,
      title: Bool.random(using: &random) ? text(&random) : nil,
      incident: Bool.random(using: &random) ? text(&random) : nil)
  }

  static func closeout(_ random: inout Generator) -> Closeout {
    Closeout(
      authorship(&random), release: text(&random), target: text(&random), tree: text(&random),
      ref: text(&random), outcome: CloseoutOutcome.allCases.randomElement(using: &random)!,
      artifacts: (0..<Int.random(in: 0...3, using: &random)).map { _ in
        Artifact(
          name: text(&random), sha256: text(&random),
          size: Int.random(in: -1...Int(Int32.max), using: &random))
      },
      retainUntil: Bool.random(using: &random) ? text(&random) : nil,
      legalHold: Bool.random(using: &random))
  }

  static func evidence(_ random: inout Generator) -> Evidence {
    func maybe<T>(_ value: T) -> T? { Bool.random(using: &random) ? value : nil }
    return Evidence(
      authorship(&random), release: text(&random), target: text(&random), tree: text(&random),
      ref: text(&random), evidence: text(&random), name: maybe(text(&random)),
      sha256: maybe(text(&random)),
      size: maybe(Int.random(in: -1...Int(Int32.max), using: &random)),
      url: maybe(text(&random)))
  }

  @Test("reads every record JSONEncoder writes, hostile strings included, to the same value")
  func readsWhatJSONEncoderWrites() {
    var random = Generator(state: 7)
    for _ in 0..<300 {
      let approval = Self.approval(&random)
      #expect(
        CanonicalJSONReader.decode(Approval.self, from: CanonicalJSON.encode(approval)) == approval)
      let request = Self.request(&random)
      #expect(
        CanonicalJSONReader.decode(ReleaseRequest.self, from: CanonicalJSON.encode(request))
          == request)
      let closeout = Self.closeout(&random)
      #expect(
        CanonicalJSONReader.decode(Closeout.self, from: CanonicalJSON.encode(closeout)) == closeout)
      let evidence = Self.evidence(&random)
      #expect(
        CanonicalJSONReader.decode(Evidence.self, from: CanonicalJSON.encode(evidence)) == evidence)
    }
  }

  @Test(
    "leaves every second spelling to JSONDecoder", arguments: CanonicalJSONTests.secondSpellings)
  func leavesSecondSpellings(_ spelling: CanonicalJSONTests.Spelling) {
    #expect(CanonicalJSONReader.decode(Approval.self, from: spelling.bytes) == nil)
  }

  @Test("leaves a record of another kind or version, and records it cannot parse")
  func leavesOtherKinds() {
    var disguised = CanonicalJSONTests.approval
    disguised.kind = "rejection"
    #expect(CanonicalJSONReader.decode(Approval.self, from: CanonicalJSON.encode(disguised)) == nil)
    var later = CanonicalJSONTests.approval
    later.version = 2
    #expect(CanonicalJSONReader.decode(Approval.self, from: CanonicalJSON.encode(later)) == nil)
    let deep = Array((String(repeating: "[", count: 100_000) + "\n").utf8)
    #expect(CanonicalJSONReader.decode(Approval.self, from: deep) == nil)
  }

  @Test("on bytes changed at random, accepts exactly what JSONDecoder and the check accept")
  func agreesOnMutations() {
    var random = Generator(state: 11)
    var accepted = 0
    let bytes: [UInt8] = Array("{}[],:\"\\0123456789-.eEtrufalsn /u\n".utf8) + [0x00, 0xC3, 0xFF]
    for round in 0..<3000 {
      let closeout = Self.closeout(&random)
      var mutated = CanonicalJSON.encode(closeout)
      for _ in 0..<Int.random(in: 0...2, using: &random) {
        let at = Int.random(in: 0..<mutated.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: mutated.remove(at: at)
        case 1: mutated.insert(bytes.randomElement(using: &random)!, at: at)
        default: mutated[at] = bytes.randomElement(using: &random)!
        }
      }
      let fast = CanonicalJSONReader.decode(Closeout.self, from: mutated)
      let reference = try? CanonicalJSON.foundationDecode(
        Closeout.self, from: mutated, path: "c.json")
      #expect(fast == reference, "round \(round): \(String(decoding: mutated, as: UTF8.self))")
      if fast != nil { accepted += 1 }
    }
    // Some mutations keep the record canonical (a changed letter inside a string).
    #expect(accepted > 300)
  }
}
