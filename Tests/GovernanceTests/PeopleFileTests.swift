import Testing

@testable import Governance

@Suite("people.yml")
struct PeopleFileTests {
  static let contractExample = """
    people:
      alice:
        name: Alice Example
        emails: [alice@example.com]
        keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIalice alice"]
        roles: [developer]
        team: payments
    """

  @Test("the contract's example reads as one person with a normalised key")
  func contractExampleParses() throws {
    let people = try PeopleFile.parse(Self.contractExample)
    #expect(
      people.persons == [
        Person(
          id: "alice", name: "Alice Example", emails: ["alice@example.com"],
          keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIalice"], roles: ["developer"],
          team: "payments")
      ])
    #expect(
      people["alice"]?.keys == ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIalice"],
      "the key's comment is dropped")
    #expect(people["bob"] == nil)
  }

  @Test("a person needs only an id; the name defaults to it and lists to empty")
  func minimalPerson() throws {
    let people = try PeopleFile.parse("people:\n  bob:\n    emails: bob@example.com\n")
    #expect(
      people.persons == [
        Person(id: "bob", name: "bob", emails: ["bob@example.com"], keys: [], roles: [])
      ])
  }

  @Test("rendering then reading gives back the same people, sorted by id")
  func renderParseRoundTrip() throws {
    let tricky = Person(
      id: "o.brien_2", name: "Seán \"Ace\" O'Brien: ops\\dev\t#1\nsecond line", emails: [],
      keys: [], roles: [], team: "core: platform")
    let people = Cast.everyone.upserting(tricky)
    let text = PeopleFile.render(people)
    let reread = try PeopleFile.parse(text)
    #expect(reread == people)
    #expect(reread.persons.map(\.id) == ["alice", "bob", "carol", "dave", "erin", "o.brien_2"])
    #expect(PeopleFile.render(reread) == text, "rendering is deterministic: same people, same blob")
    #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
  }

  @Test(
    "names with characters YAML cannot hold raw still round-trip",
    arguments: [
      "bell\u{7}", "delete\u{7F}", "next-line\u{85}", "c1\u{9B}",
      "line-sep\u{2028}para-sep\u{2029}", "bom\u{FEFF}", "non-character\u{FFFF}", "cr\r",
      "é ü 漢字 🚀",
    ])
  func unusualNamesRoundTrip(_ name: String) throws {
    let people = People([
      Person(
        id: "x", name: name, emails: ["x@example.com"], keys: [key("x")], roles: ["r"], team: name)
    ])
    let reread = try PeopleFile.parse(PeopleFile.render(people))
    #expect(reread == people)
  }

  @Test("rendering empty lists still reads back")
  func renderEmpty() throws {
    let people = People([Person(id: "nobody", name: "No Body", emails: [], keys: [], roles: [])])
    #expect(
      PeopleFile.render(people) == """
        people:
          nobody:
            name: "No Body"
            emails: []
            keys: []
            roles: []

        """)
    #expect(try PeopleFile.parse(PeopleFile.render(people)) == people)
  }

  @Test("one email cannot belong to two people, even spelled with other case or a +tag")
  func duplicateEmailAcrossPeople() {
    let errors = peopleErrors(
      """
      people:
        bob:
          emails: [bob@example.com]
        robert:
          emails: [Bob+release@Example.com]
      """)
    #expect(
      errors == ["people.yml:5:5: email Bob+release@Example.com belongs to both bob and robert"])
  }

  @Test("a person registered twice is refused at the first entry, on one line")
  func personRegisteredTwice() {
    let errors = peopleErrors(
      """
      people:
        bob:
          emails: [bob@example.com]
        bob:
          emails: [bob@personal.example]
      """)
    #expect(errors == ["people.yml:2:3: \"bob\" appears twice in the same mapping; keep only one"])
  }

  @Test("one key cannot belong to two people")
  func duplicateKeyAcrossPeople() {
    let errors = peopleErrors(
      """
      people:
        bob:
          keys: ["ssh-ed25519 AAAAshared bob@laptop"]
        carol:
          keys: ["ssh-ed25519 AAAAshared carol@desktop"]
      """)
    #expect(
      errors == ["people.yml:5:5: a key of carol is also registered for bob; one key, one person"])
  }

  @Test("a person may list the same email twice without conflicting with themselves")
  func sameEmailTwiceForOnePerson() throws {
    let people = try PeopleFile.parse(
      "people:\n  bob:\n    emails: [bob@example.com, BOB@example.com]\n")
    #expect(people.person(email: "bob@example.com")?.id == "bob")
  }

  @Test(
    "principals are short, lowercase and safe in paths",
    arguments: [
      "Alice", "-bob", ".hidden", "bob smith", "bob/../x", "ümit",
      String(repeating: "a", count: 65),
    ])
  func invalidPrincipal(_ id: String) {
    let errors = peopleErrors("people:\n  \"\(id)\":\n    name: Someone\n")
    #expect(
      errors == [
        "people.yml:2:3: \"\(id)\" is not a valid principal: use lowercase letters, digits, '.', '_' or '-'"
      ])
  }

  @Test(
    "valid principals",
    arguments: [
      "alice", "bob.smith", "ci_bot", "team-7", "0day", String(repeating: "a", count: 64),
    ])
  func validPrincipal(_ id: String) {
    #expect(Person.isValidID(id))
  }

  @Test("a key without its base64 half is refused")
  func bareKeyType() {
    #expect(
      peopleErrors("people:\n  bob:\n    keys: [ssh-ed25519]\n") == [
        "people.yml:3:12: bob.keys: \"ssh-ed25519\" is not an OpenSSH public key (\"ssh-ed25519 AAAA…\")"
      ])
  }

  @Test("unknown fields and sections are named with what is known")
  func unknownFields() {
    #expect(
      peopleErrors("people:\n  bob:\n    mail: bob@example.com\ngroups: {}\n") == [
        "people.yml:3:5: unknown field \"mail\" for bob; known: name, emails, keys, roles, team, pgp",
        "people.yml:4:1: unknown section \"groups\"; people.yml holds `people:`, `mailmap:` and `builders:`",
      ])
  }

  @Test("invalid YAML in people.yml is located")
  func invalidYAML() {
    let errors = peopleErrors("people:\n  bob:\n    emails: [bob@example.com\n")
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("people.yml:4:1: is not valid YAML: ") == true, "got \(errors)")
  }

  @Test("keys are stored without their comment, however they were spaced")
  func keyNormalisation() {
    #expect(Person.normalisedKey("ssh-ed25519 AAAAabc alice@laptop") == "ssh-ed25519 AAAAabc")
    #expect(
      Person.normalisedKey("ssh-ed25519\tAAAAabc  comment with spaces") == "ssh-ed25519 AAAAabc")
    #expect(Person.normalisedKey("  ssh-ed25519   AAAAabc") == "ssh-ed25519 AAAAabc")
    #expect(
      Cast.bob.keys == [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbob", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbobwork",
      ])
  }

  @Test(
    "an email finds its person whatever its case or +tag",
    arguments: [
      ("bob@example.com", "bob"), ("BOB@Example.COM", "bob"), ("bob+release@example.com", "bob"),
      ("Bob+a+b@personal.example", "bob"), ("<carol@example.com>", "carol"),
      ("bobby@example.com", nil),
      ("bob@example.org", nil),
    ] as [(String, String?)])
  func emailLookup(_ email: String, _ expected: String?) {
    #expect(Cast.everyone.person(email: email)?.id == expected)
  }

  @Test("a key finds its person with or without its comment; one person, many keys")
  func keyLookup() {
    #expect(Cast.everyone.person(key: key("bob"))?.id == "bob")
    #expect(Cast.everyone.person(key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbobwork")?.id == "bob")
    #expect(
      Cast.everyone.person(key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIbobwork other-comment")?.id
        == "bob")
    #expect(Cast.everyone.person(key: "ssh-ed25519 AAAAunknown") == nil)
  }

  @Test("roles find their holders; upserting replaces a person by id")
  func rolesAndUpsert() {
    #expect(Cast.everyone.withRole("security").map(\.id) == ["carol", "dave"])
    let promoted = Person(
      id: "erin", name: "Erin Dev", emails: ["erin@example.com"], keys: [key("erin")],
      roles: ["security"])
    let people = Cast.everyone.upserting(promoted)
    #expect(people.persons.count == 5)
    #expect(people.withRole("security").map(\.id) == ["carol", "dave", "erin"])
    #expect(people.person(email: "erin@example.com") == promoted)
  }
}
