import Foundation
import Testing

@testable import GitKit

@Suite struct MailmapTests {
  static let text = """
    # comment line
    Ada Lovelace <ada@example.com> <ada@old.example.com>
    <grace@example.com> <grace@personal.example>
    Bob Canon <bob@example.com> Bobby <bob@typo.example>
    Only Name <name-only@example.com>\r
      Spaced   Name   <spaced@example.com>   <SPACED@old.example>  \t
    Carol <carol@example.com> <shared@example.com>
    Dave <dave@example.com> Dave <shared@example.com>
    <empty-name@example.com> <>

    """

  static let probes = [
    "ada l. <ada@old.example.com>", "Ada <ADA@OLD.example.com>", "Grace <GRACE@personal.example>",
    "Bobby <bob@typo.example>", "BOBBY <Bob@Typo.Example>", "Other <bob@typo.example>",
    "whoever <name-only@example.com>", "x <spaced@old.example>", "Anyone <shared@example.com>",
    "dave <shared@example.com>", "Nobody <n@example.com>",
  ]

  @Test func resolvesFromWorkTreeMailmapLikeGit() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    try scratch.write("work/.mailmap", Self.text)
    try commit("mailmap", in: dir, clock: clock)
    let repo = try Repository.open(dir, environment: cleanEnvironment)
    let mailmap = try repo.mailmap()

    let ada = mailmap.resolve(name: "ada l.", email: "ada@old.example.com")
    #expect(ada.name == "Ada Lovelace" && ada.email == "ada@example.com")
    #expect(mailmap.resolve(name: "Nobody", email: "n@example.com") == ("Nobody", "n@example.com"))
    let signature = Signature(
      name: "x", email: "ada@old.example.com", time: Date(timeIntervalSince1970: 5))
    let resolved = mailmap.resolve(signature)
    #expect(
      resolved.email == "ada@example.com" && resolved.name == "Ada Lovelace"
        && resolved.time == signature.time)

    // Exactly what `git check-mailmap` answers, including case-insensitive matching.
    let expected = try git(["check-mailmap"] + Self.probes, in: dir).split(separator: "\n").map(
      String.init)
    let actual = Self.probes.map { probe -> String in
      let open = probe.firstIndex(of: "<")!
      let name = probe[..<open].trimmingCharacters(in: .whitespaces)
      let email = String(probe[probe.index(after: open)..<probe.firstIndex(of: ">")!])
      let r = mailmap.resolve(name: name, email: email)
      return "\(r.name) <\(r.email)>"
    }
    #expect(actual == expected)
  }

  @Test func bareRepositoryAndConfiguredSources() async throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    try commit(
      "m", in: dir, clock: clock,
      files: [".mailmap": "Canon <canon@example.com> <alias@example.com>\n"])
    try git(["clone", "-q", "--bare", dir, scratch.sub("bare.git")], in: scratch.path)
    let bare = try Repository.open(scratch.sub("bare.git"), environment: cleanEnvironment)
    let mailmap = try bare.mailmap()  // from HEAD:.mailmap
    let results = await withTaskGroup(of: String.self) { group in
      for _ in 0..<8 {
        group.addTask { mailmap.resolve(name: "A", email: "Alias@example.com").email }
      }
      return await group.reduce(into: [String]()) { $0.append($1) }
    }
    #expect(results == Array(repeating: "canon@example.com", count: 8))

    // mailmap.file (here via a command-line override) comes last and wins.
    try scratch.write("extra.mailmap", "Override <override@example.com> <alias@example.com>\n")
    let withFile = try Repository.open(
      scratch.sub("bare.git"),
      environment: ["GIT_CONFIG_PARAMETERS": "'mailmap.file'='\(scratch.sub("extra.mailmap"))'"])
    #expect(
      try withFile.mailmap().resolve(name: "a", email: "alias@example.com") == (
        "Override", "override@example.com"
      ))

    // No mailmap at all: identity.
    let empty = try Repository.create(
      at: scratch.sub("empty"), bare: false, environment: cleanEnvironment)
    #expect(try empty.mailmap().isEmpty)

    let parsed = Mailmap(
      parsing: "<new@example.com> <old@example.com>\nNew Name <old@example.com>\n")
    #expect(parsed.resolve(name: "N", email: "old@example.com") == ("New Name", "new@example.com"))
  }
}
