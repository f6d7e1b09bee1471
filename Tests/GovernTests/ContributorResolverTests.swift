import Foundation
import GitKit
import Governance
import Ledger
import Testing

/// The audit numbers each name and address once for all its ranges; the check resolves them
/// by their text. Both must find the same contributors.
@Suite("contributor resolver")
struct ContributorResolverTests {
  static let people = People([
    Person(id: "alice", name: "Alice", emails: ["alice@example.com"], keys: [], roles: []),
    Person(
      id: "bob", name: "Bob", emails: ["bob@example.com", "B@Corp.example"], keys: [], roles: []),
  ])
  static let mailmap = Mailmap(
    parsing: """
      Alice <alice@example.com> <alice@old.example>
      <bob@example.com> Bobby <bobby@laptop>
      """)

  @Test("identities numbered by the caller resolve as their text does, range after range")
  func numberedMatchesText() {
    let identities = [
      ("Alice", "alice@example.com"), ("Alice", "alice@old.example"),
      ("A. Liddell", "alice@example.com"),
      ("Bobby", "bobby@laptop"), ("Bob", "b@corp.example"), ("Bob", "B@Corp.example"),
      ("Mallory", "mallory@example.com"), ("Bobby", "bobby@elsewhere"),
    ]
    func signature(_ number: Int) -> Signature {
      Signature(
        name: identities[number].0, email: identities[number].1,
        time: Date(timeIntervalSince1970: 0))
    }
    var random = SystemRandomNumberGenerator()
    var byText = ContributorResolver(mailmap: Self.mailmap, people: Self.people)
    var byNumber = ContributorResolver(mailmap: Self.mailmap, people: Self.people)
    for range in 0..<40 {
      byText.startRange()
      byNumber.startRange()
      for index in 0..<Int.random(in: 0...12, using: &random) {
        let commit = OID(hex: String(format: "%08x", range) + String(format: "%032x", index))!
        let author = Int.random(in: 0..<identities.count, using: &random)
        let committer = Int.random(in: 0..<identities.count, using: &random)
        byText.add(commit, author: signature(author), committer: signature(committer))
        byNumber.add(commit, author: author, committer: committer) { identities[$0] }
      }
      #expect(byNumber.contributors == byText.contributors)
    }
    // The old address reaches alice through the mailmap, whichever number it has.
    byNumber.startRange()
    let commit = OID(hex: String(repeating: "a", count: 40))!
    byNumber.add(commit, author: 0, committer: 1) { identities[$0] }
    #expect(byNumber.contributors.map(\.email) == ["alice@example.com", "alice@old.example"])
    #expect(byNumber.contributors.map(\.person) == ["alice", "alice"])
  }

  @Test("people.yml's mailmap adds a person to an address, never takes its own person away")
  func mappingOnlyAdds() {
    let people = People(
      [
        Person(id: "alice", name: "Alice", emails: ["alice@example.com"], keys: [], roles: []),
        Person(id: "carol", name: "Carol", emails: ["carol@example.com"], keys: [], roles: []),
      ],
      mailmap: [
        "Alice <alice@example.com> <carol@example.com>", "Alice <alice@example.com> <a@laptop>",
      ])
    var resolver = ContributorResolver(people: people)
    let commit = OID(hex: String(repeating: "b", count: 40))!
    let time = Date(timeIntervalSince1970: 0)
    resolver.add(
      commit, author: Signature(name: "Carol", email: "carol@example.com", time: time),
      committer: Signature(name: "x", email: "a@laptop", time: time))
    #expect(Set(resolver.contributors.compactMap(\.person)) == ["alice", "carol"])
    resolver.startRange()
    resolver.add(commit, coAuthor: CoAuthor(name: "Carol", email: "carol@example.com"))
    #expect(resolver.contributors.map(\.contribution) == [.coAuthored, .coAuthored])
    #expect(Set(resolver.contributors.compactMap(\.person)) == ["alice", "carol"])
  }
}
