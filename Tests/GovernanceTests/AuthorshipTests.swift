import Foundation
import Testing

@testable import Governance

/// A policy that asks for signed commits (the contract's, with `signed_commits: true`).
func signedCommitsPolicy() throws -> Policy {
  var policy = try contractPolicy()
  policy.signedCommits = true
  return policy
}

func signer(_ person: Person, commit: String = OID.releasedCommit, key index: Int = 0)
  -> CommitSigner
{
  CommitSigner(
    commit: commit, person: person.id, key: person.keys[index], fingerprint: "SHA256:\(person.id)")
}

@Suite("who made the commits: signatures, co-authors, look-alike addresses")
struct AuthorshipEvaluatorTests {
  @Test("signed_commits parses as a separation-of-duties switch and is refused when not a boolean")
  func policyKey() throws {
    let text = contractPolicyText.replacingOccurrences(
      of: "authors_may_approve: false", with: "authors_may_approve: false\n  signed_commits: true")
    #expect(try PolicyParser.parse(text).signedCommits)
    #expect(try !contractPolicy().signedCommits)
    let wrong = contractPolicyText.replacingOccurrences(
      of: "authors_may_approve: false", with: "authors_may_approve: false\n  signed_commits: maybe")
    #expect(policyErrors(wrong).contains { $0.contains("signed_commits must be true or false") })
  }

  @Test("carol signed a commit authored as bob: her approval does not count")
  func signerIsAContributor() throws {
    var release = Release(policy: try signedCommitsPolicy())
    release.contributors = [
      authored(Cast.bob, as: "bob@example.com"),
      Contributor(
        commit: OID.releasedCommit, email: "SHA256:carol", person: "carol", contribution: .signed),
    ]
    release.signatures = RangeSignatures(signers: [signer(Cast.carol)])
    release.approvals = [approval(by: Cast.carol)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: carol signed c0ffee1111 in the release range (with key SHA256:carol), and the policy does not let authors approve"
      ])
    #expect(readiness.messages("signed_commits", .pass).first?.contains("(carol)") == true)
  }

  @Test("a co-author is a contributor: her approval does not count")
  func coAuthorIsAContributor() throws {
    var release = Release(policy: try contractPolicy())
    release.contributors = [
      Contributor(
        commit: OID.releasedCommit, email: "carol@example.com", person: "carol",
        contribution: .coAuthored)
    ]
    release.approvals = [approval(by: Cast.carol)]
    #expect(
      release.evaluate().messages("approvals", .warn).first?.hasPrefix(
        "not counted: carol co-authored c0ffee1111") == true)
  }

  @Test(
    "an unsigned commit, an unknown key and an OpenPGP signature each block, naming the commit and the fix"
  )
  func unsignedCommitsBlock() throws {
    var release = Release(policy: try signedCommitsPolicy())
    release.approvals = [approval(by: Cast.carol)]
    release.signatures = RangeSignatures(unsigned: [
      UnsignedCommit(commit: OID.releasedCommit, reason: .unsigned),
      UnsignedCommit(commit: OID.otherCommit, reason: .unknownKey("SHA256:stranger")),
      UnsignedCommit(commit: "dead" + String(repeating: "0", count: 36), reason: .notSSH),
    ])
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    let blockers = readiness.messages("signed_commits", .blocker)
    #expect(blockers.count == 3)
    #expect(blockers[0].hasPrefix("commit c0ffee1111 is not signed"))
    #expect(blockers[0].contains("git config gpg.format ssh; git config user.signingkey"))
    #expect(blockers[0].contains("git commit --amend --no-edit -S"))
    #expect(
      blockers[1].hasPrefix(
        "commit badbad2222 is signed by key SHA256:stranger, which nobody registered"))
    #expect(blockers[1].contains("git govern identity add <who> --key"))
    #expect(blockers[2].contains("OpenPGP") && blockers[2].contains("SSH key"))
  }

  @Test("more unsigned commits than are named are counted")
  func manyUnsignedCommits() throws {
    var release = Release(policy: try signedCommitsPolicy())
    release.signatures = RangeSignatures(
      unsigned: (0..<8).map {
        UnsignedCommit(commit: String(format: "%040x", $0), reason: .unsigned)
      })
    let blockers = release.evaluate().messages("signed_commits", .blocker)
    #expect(blockers.count == ReleaseEvaluator.commitsNamed + 1)
    #expect(blockers.last?.hasPrefix("and 3 more commits") == true)
  }

  @Test(
    "signatures that were not read block when the policy asks for them; nothing is asked otherwise")
  func notReadFailsClosed() throws {
    var release = Release(policy: try signedCommitsPolicy())
    release.approvals = [approval(by: Cast.carol)]
    #expect(release.evaluate().messages("signed_commits", .blocker).count == 1)
    release.policy = try contractPolicy()
    #expect(release.evaluate().checks.allSatisfy { $0.name != "signed_commits" })
    #expect(release.evaluate().status == .ready)
  }

  @Test("a commit signed with a revoked or expired key blocks")
  func revokedSignerBlocks() throws {
    var release = Release(policy: try signedCommitsPolicy())
    var bob = Cast.bob
    bob.keyValidity[bob.keys[0]] = KeyValidity(
      revoked: .init(at: Date(timeIntervalSince1970: 0), ledger: "abc", reason: "laptop stolen"))
    bob.keyValidity[bob.keys[1]] = KeyValidity(validBefore: Date(timeIntervalSince1970: 0))
    release.people = release.people.upserting(bob)
    release.approvals = [approval(by: Cast.carol)]
    release.signatures = RangeSignatures(signers: [
      signer(bob), signer(bob, commit: OID.otherCommit, key: 1),
    ])
    let blockers = release.evaluate().messages("signed_commits", .blocker)
    #expect(blockers.count == 2)
    #expect(
      blockers[0].contains("bob's key SHA256:bob, revoked at")
        && blockers[0].contains("laptop stolen"))
    #expect(
      blockers[1].contains("which is not valid now")
        && blockers[1].contains("after the key expired"))
  }

  @Test("an unregistered address that looks like a registered one is named with it")
  func confusableIdentityWarned() throws {
    var release = Release(policy: try contractPolicy())
    release.contributors = [authored(nil, as: "c\u{0430}rol@example.com")]  // Cyrillic а
    release.approvals = [approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(readiness.status == .readyWithWarnings)
    let warning = try #require(readiness.messages("identities", .warn).first)
    #expect(warning.contains("looks like carol's carol@example.com"), "\(warning)")
  }
}

@Suite("confusable addresses")
struct ConfusablesTests {
  @Test("Cyrillic and Greek look-alikes, full-width forms, case and invisible characters fold away")
  func skeletons() {
    let plain = Confusables.skeleton("alice@example.com")
    for lookalike in [
      "\u{0430}lice@example.com",  // Cyrillic а
      "alic\u{0435}@\u{0435}xample.com",  // Cyrillic е
      "ALICE@EXAMPLE.COM",
      "\u{0391}lice@example.com",  // Greek capital Alpha
      "al\u{0456}ce@example.c\u{03BF}m",  // Cyrillic і, Greek ο
      "\u{FF41}lice@example.com",  // full-width a
      "ali\u{200B}ce@example.com",  // zero-width space
    ] {
      #expect(Confusables.skeleton(lookalike) == plain, "\(lookalike)")
    }
    #expect(Confusables.skeleton("alicia@example.com") != plain)
    #expect(Confusables.skeleton("bob@example.com") != plain)
    // A Greek capital Eta looks like H, its small letter like n.
    #expect(Confusables.skeleton("\u{0397}") == "h")
  }

  @Test("look-alikes name the registered address and its person; a registered address has none")
  func lookalikesInPeople() {
    let found = Cast.everyone.lookalikes(of: "b\u{043E}b@personal.example")
    #expect(found.map(\.person.id) == ["bob"])
    #expect(found.map(\.email) == ["bob@personal.example"])
    #expect(Cast.everyone.lookalikes(of: "bob@personal.example").isEmpty)
    #expect(Cast.everyone.lookalikes(of: "Bob+x@Example.com").isEmpty)
    #expect(Cast.everyone.lookalikes(of: "mallory@example.com").isEmpty)
  }
}

@Suite("people.yml's mailmap")
struct PeopleMailmapTests {
  static let people = People(
    [Cast.bob, Cast.carol],
    mailmap: [
      "Bob Builder <bob@example.com> <bob@laptop.local>",
      "<carol@example.com> Carol \"C\" <c@old.example>",
    ])

  @Test("mailmap lines round-trip through render, the fast reader and the YAML reader")
  func roundTrip() throws {
    let text = PeopleFile.render(Self.people)
    #expect(text.contains("mailmap:\n  - \"Bob Builder <bob@example.com> <bob@laptop.local>\"\n"))
    let fast = try #require(PeopleFile.parseCanonical(text))
    #expect(fast == Self.people)
    #expect(try PeopleFile.parse(text + "# read with the YAML parser\n") == Self.people)
    // Upserting a person keeps the mailmap.
    #expect(Self.people.upserting(Cast.dave).mailmap == Self.people.mailmap)
    // An empty list after `mailmap:` is not what render writes.
    #expect(PeopleFile.parseCanonical(PeopleFile.render(People([Cast.bob])) + "mailmap:\n") == nil)
  }

  @Test("a line git would not read as a mailmap is refused where it stands")
  func badLinesRefused() {
    let errors = peopleErrors(
      """
      people:
        bob:
          emails: [bob@example.com]
      mailmap:
        - "Bob <bob@example.com> <bob@laptop.local>"
        - "no address here"
        - "# Bob <bob@example.com>"

      """)
    #expect(errors.count == 2, "\(errors)")
    #expect(
      errors.first?.hasPrefix("people.yml:6:5: \"no address here\" is not a mailmap line") == true)
    #expect(errors.last?.hasPrefix("people.yml:7:5: a mailmap line must not be a comment") == true)
  }
}

@Suite("people.yml's OpenPGP fingerprints")
struct PeoplePGPTests {
  static let fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567"

  @Test(
    "fingerprints round-trip through render, the fast reader and the YAML reader, and find their person"
  )
  func roundTrip() throws {
    var bob = Cast.bob
    bob.pgpKeys = [Self.fingerprint]
    let people = People([bob, Cast.carol], mailmap: ["Bob <bob@example.com> <b@laptop>"])
    let text = PeopleFile.render(people)
    #expect(text.contains("    pgp: [\"\(Self.fingerprint)\"]\n"))
    #expect(try #require(PeopleFile.parseCanonical(text)) == people)
    #expect(try PeopleFile.parse(text + "# read with the YAML parser\n") == people)
    #expect(
      people.person(pgpFingerprint: "0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567")?.id
        == "bob")
    #expect(people.person(pgpFingerprint: String(repeating: "F", count: 40)) == nil)
  }

  @Test("a fingerprint that is not 40 hex digits is refused where it stands; one key, one person")
  func badFingerprints() {
    let errors = peopleErrors(
      """
      people:
        bob:
          pgp: ["not a fingerprint"]
        carol:
          pgp: ["\(Self.fingerprint)"]
        dave:
          pgp: ["\(Self.fingerprint.lowercased())"]

      """)
    #expect(
      errors.first?.hasPrefix(
        "people.yml:3:11: bob.pgp: \"not a fingerprint\" is not an OpenPGP fingerprint") == true,
      "\(errors)")
    #expect(errors.contains { $0.contains("one key, one person") }, "\(errors)")
  }

  @Test("an OpenPGP signature gpg could not verify blocks with the way to register it")
  func unverifiedOpenPGP() throws {
    var release = Release(policy: try signedCommitsPolicy())
    release.signatures = RangeSignatures(unsigned: [
      UnsignedCommit(commit: OID.releasedCommit, reason: .openPGP("gpg is not installed"))
    ])
    let blocker = try #require(release.evaluate().messages("signed_commits", .blocker).first)
    #expect(
      blocker.contains("OpenPGP signature git-govern could not verify (gpg is not installed)"))
    #expect(blocker.contains("--pgp <fingerprint>") && blocker.contains("gpg.format ssh"))
  }
}
