import Foundation
import Testing

@testable import Governance

/// The fast reader must agree with the YAML reader on everything it accepts, and accept
/// nothing it could read differently.
@Suite("people.yml as git govern writes it")
struct PeopleFileCanonicalTests {
  static let header = "# git-govern people: who may sign, with which keys and roles.\n"

  static let tricky = People([
    Person(
      id: "zoe", name: "Zoë \"Z\" O'Neil\\ \t tab",
      emails: ["zoe+ops@example.com", "Z@Example.com"],
      keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIzoe"], roles: ["approver", "security"],
      team: "payments: core"),
    Person(id: "al.ice", name: "al.ice", emails: [], keys: [], roles: []),
    Person(
      id: "bob-1", name: "Bob \u{7F}\u{85}\u{2028} [x], {y}: #z", emails: ["bob@example.com"],
      keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIb1", "ecdsa-sha2-nistp256 AAAAE2b2"],
      roles: ["developer"]),
  ])

  /// The YAML reader's answer for the same text (a trailing comment keeps the fast reader out).
  static func yamlReading(_ text: String) throws -> People {
    try PeopleFile.parse(text + "# read with the YAML parser\n")
  }

  @Test("what render writes, below init's header, reads the same both ways")
  func agreesWithTheYAMLReader() throws {
    for text in [PeopleFile.render(Self.tricky), Self.header + PeopleFile.render(Self.tricky)] {
      let fast = try #require(PeopleFile.parseCanonical(text))
      #expect(fast == Self.tricky)
      #expect(try Self.yamlReading(text) == fast)
      #expect(try PeopleFile.parse(text) == fast)
    }
  }

  @Test("any other layout is left to the YAML reader, which still reads it")
  func otherLayoutsFallBack() throws {
    let canonical = PeopleFile.render(Self.tricky)
    let variants = [
      PeopleFileTests.contractExample + "\n",  // unquoted values
      canonical.replacingOccurrences(of: "  al.ice:\n", with: "  al.ice:  \n"),
      canonical.replacingOccurrences(of: "\"developer\"", with: "developer"),
      canonical + "\n",
      "people:\n  # a comment\n" + canonical.dropFirst("people:\n".count),
    ]
    for text in variants {
      #expect(PeopleFile.parseCanonical(String(text)) == nil)
      _ = try PeopleFile.parse(String(text))
    }
    // Out of order: valid YAML, but not what render writes.
    let reordered =
      "people:\n" + PeopleFile.render(People([Self.tricky["zoe"]!])).dropFirst(8)
      + PeopleFile.render(People([Self.tricky["bob-1"]!])).dropFirst(8)
    #expect(PeopleFile.parseCanonical(reordered) == nil)
    #expect(try PeopleFile.parse(reordered).persons.map(\.id) == ["bob-1", "zoe"])
  }

  /// Every shape `renderKey` writes: a window's start, its end, both, a revocation (with
  /// escapes in its reason), and all three; beside keys without any.
  static func withValidity() -> People {
    func at(_ text: String) -> Date { Timestamp.parse(text)! }
    let revoked = KeyValidity.Revocation(
      at: at("2026-04-05T20:38:20Z"), ledger: "c73ab837c4e8c0403327a1c209986de0d0a08a3b",
      reason: "rotated: \"lost\" laptop, {see} INC-7")
    let windows = [
      KeyValidity(validAfter: at("2026-01-01T00:00:00Z")),
      KeyValidity(validBefore: at("2027-01-01T00:00:00Z")),
      KeyValidity(validAfter: at("2026-01-01T00:00:00Z"), validBefore: at("2026-06-30T12:00:00Z")),
      KeyValidity(revoked: revoked),
      KeyValidity(
        validAfter: at("2025-01-01T00:00:00Z"), validBefore: at("2026-01-01T00:00:00Z"),
        revoked: revoked),
    ]
    var zoe = tricky["zoe"]!
    zoe.keys = windows.indices.map { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIzoe\($0)" } + zoe.keys
    for (key, window) in zip(zoe.keys, windows) { zoe.keyValidity[key] = window }
    return People([zoe, tricky["al.ice"]!, tricky["bob-1"]!])
  }

  @Test("keys with validity windows and revocations read the same both ways")
  func validityAgreesWithTheYAMLReader() throws {
    let people = Self.withValidity()
    let text = PeopleFile.render(people)
    #expect(text.contains("revoked: {at: ") && text.contains("valid_before: "))
    let fast = try #require(PeopleFile.parseCanonical(text))
    #expect(fast == people)
    #expect(try Self.yamlReading(text) == fast)
  }

  @Test(
    "a validity the fast reader does not write exactly, or the YAML reader refuses, is not read fast"
  )
  func oddValiditiesFallBack() throws {
    let text = PeopleFile.render(Self.withValidity())
    let refusedByBoth = [
      // valid_before not after valid_after
      text.replacingOccurrences(of: "2026-06-30T12:00:00Z", with: "2025-12-31T00:00:00Z"),
      // not a time
      text.replacingOccurrences(of: "2027-01-01T00:00:00Z", with: "next year"),
      // a revocation without its ledger
      text.replacingOccurrences(
        of: ", ledger: \"c73ab837c4e8c0403327a1c209986de0d0a08a3b\"", with: ""),
      // a field the reader does not know
      text.replacingOccurrences(of: "valid_after: ", with: "valid_since: "),
    ]
    for variant in refusedByBoth {
      #expect(variant != text)
      #expect(PeopleFile.parseCanonical(variant) == nil)
      #expect(throws: InputErrors.self) { try PeopleFile.parse(variant) }
    }
    let readByYAMLOnly = [
      // the parts in another order, a time with an offset, a window with no restriction
      text.replacingOccurrences(
        of: "valid_after: \"2026-01-01T00:00:00Z\", valid_before: \"2026-06-30T12:00:00Z\"",
        with: "valid_before: \"2026-06-30T12:00:00Z\", valid_after: \"2026-01-01T00:00:00Z\""),
      text.replacingOccurrences(
        of: "\"2027-01-01T00:00:00Z\"", with: "\"2027-01-01T01:00:00+01:00\""),
      text.replacingOccurrences(
        of: "      - \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIzoe\"",
        with: "      - {key: \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIzoe\"}"),
    ]
    for variant in readByYAMLOnly {
      #expect(variant != text)
      #expect(PeopleFile.parseCanonical(variant) == nil)
      #expect(try PeopleFile.parse(variant) == Self.withValidity())
    }
  }

  @Test("a canonical-looking file with a conflict is refused, with its position")
  func conflictsAreRefusedWithPositions() throws {
    let text = PeopleFile.render(
      People([
        Person(id: "a", name: "a", emails: ["same@example.com"], keys: [], roles: []),
        Person(id: "b", name: "b", emails: ["SAME@example.com"], keys: [], roles: []),
      ]))
    #expect(PeopleFile.parseCanonical(text) == nil)
    #expect(throws: InputErrors.self) { try PeopleFile.parse(text) }
    let invalidID = text.replacingOccurrences(of: "  b:\n", with: "  B:\n")
    #expect(PeopleFile.parseCanonical(invalidID) == nil)
    #expect(throws: InputErrors.self) { try PeopleFile.parse(invalidID) }
  }
}
