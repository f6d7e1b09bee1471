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

  @Test("a key with a validity window is read by the YAML reader")
  func validityWindowsFallBack() throws {
    var person = Self.tricky["zoe"]!
    var window = KeyValidity()
    window.validAfter = Timestamp.parse("2026-01-01T00:00:00Z")
    person.keyValidity[person.keys[0]] = window
    let text = PeopleFile.render(People([person]))
    #expect(PeopleFile.parseCanonical(text) == nil)
    #expect(try PeopleFile.parse(text).persons == [person])
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
