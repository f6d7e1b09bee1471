import Foundation
import Testing

@testable import Governance

@Suite("canonical JSON records")
struct CanonicalJSONTests {
  static let authorship = RecordAuthorship(
    repo: OID.governanceRoot, actor: "bob", email: "bob@example.com",
    created: "2026-11-22T04:32:25Z")

  static let approval = Approval(
    authorship, release: releaseID, target: OID.releasedCommit, tree: OID.releasedTree,
    ref: releasedRef,
    policy: OID.policyInForce, comment: "LGTM: tests/green & rollback <ok> — ✓")

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test("a record is written with sorted keys, no spaces, and one trailing newline")
  func encodingIsCanonical() {
    let approval = Approval(
      Self.authorship, release: "r1", target: "c1", tree: "t1", ref: "refs/tags/v1", policy: "p1")
    #expect(
      Self.text(CanonicalJSON.encode(approval))
        == #"{"actor":"bob","created":"2026-11-22T04:32:25Z","email":"bob@example.com","kind":"approval","policy":"p1","ref":"refs/tags/v1","release":"r1","repo":"\#(OID.governanceRoot)","target":"c1","tree":"t1","version":1}"#
        + "\n")
  }

  @Test("slashes in refs are written as they are")
  func slashesUnescaped() {
    #expect(Self.text(CanonicalJSON.encode(Self.approval)).contains(#""ref":"refs/tags/v1.2.0""#))
  }

  @Test("the same record always gives the same bytes")
  func deterministic() {
    #expect(CanonicalJSON.encode(Self.approval) == CanonicalJSON.encode(Self.approval))
  }

  @Test("an approval reads back from its own bytes")
  func approvalRoundTrip() throws {
    let decoded = try CanonicalJSON.decode(
      Approval.self, from: CanonicalJSON.encode(Self.approval), path: "a.json")
    #expect(decoded == Self.approval)
  }

  @Test("every kind of record reads back from its own bytes")
  func everyRecordRoundTrips() throws {
    let by = Self.authorship
    let repository = RepositoryRecord(by, policy: OID.policyInForce, people: OID.earlierPolicy)
    #expect(
      try CanonicalJSON.decode(
        RepositoryRecord.self, from: CanonicalJSON.encode(repository), path: "r.json") == repository
    )

    for request in [
      ReleaseRequest(
        by, release: releaseID, target: OID.releasedCommit, tree: OID.releasedTree,
        ref: releasedRef, type: .normal,
        risk: .high, change: "CHG-42", title: "Release \"1.2.0\"\nwith notes"),
      ReleaseRequest(
        by, release: releaseID, target: OID.releasedCommit, tree: OID.releasedTree,
        ref: releasedRef, type: .standard,
        risk: .low),
    ] {
      #expect(
        try CanonicalJSON.decode(
          ReleaseRequest.self, from: CanonicalJSON.encode(request), path: "q.json") == request)
    }

    let bare = Approval(
      by, release: releaseID, target: OID.releasedCommit, tree: OID.releasedTree, ref: releasedRef,
      policy: OID.policyInForce)
    #expect(
      try CanonicalJSON.decode(Approval.self, from: CanonicalJSON.encode(bare), path: "a.json")
        == bare)

    let rejection = Rejection(
      by, release: releaseID, target: OID.releasedCommit, tree: OID.releasedTree, ref: releasedRef,
      policy: OID.policyInForce, reason: "breaks the \\migrations\\ on Postgres 12")
    #expect(
      try CanonicalJSON.decode(
        Rejection.self, from: CanonicalJSON.encode(rejection), path: "j.json") == rejection)

    let change = ChangeProposal(
      by, file: "policy.yml", blob: OID.policyInForce, base: OID.earlierPolicy,
      policy: OID.earlierPolicy,
      people: OID.otherTree, summary: "two approvals for high risk")
    #expect(
      try CanonicalJSON.decode(
        ChangeProposal.self, from: CanonicalJSON.encode(change), path: "c.json") == change)
  }

  @Test(
    "the kind can be read before choosing the type",
    arguments: [
      (CanonicalJSON.encode(approval), "approval"),
      (CanonicalJSON.encode(RepositoryRecord(authorship, policy: "p", people: "q")), "repository"),
      (Array("not json".utf8), nil),
      (Array("{\"version\":1}\n".utf8), nil),
    ] as [([UInt8], String?)])
  func kindOnly(_ bytes: [UInt8], _ kind: String?) {
    #expect(CanonicalJSON.kind(of: bytes) == kind)
  }

  // MARK: - Second spellings of a record are refused

  struct Spelling: CustomTestStringConvertible, Sendable {
    let what: String
    let bytes: [UInt8]
    var testDescription: String { what }
  }

  static let canonicalText = text(CanonicalJSON.encode(approval))

  static let secondSpellings: [Spelling] = [
    Spelling(
      what: "a space after a colon",
      bytes: bytes(canonicalText.replacingOccurrences(of: #""actor":"#, with: #""actor": "#))),
    Spelling(
      what: "pretty-printed",
      bytes: bytes(canonicalText.replacingOccurrences(of: ",", with: ",\n  "))),
    Spelling(
      what: "keys out of order",
      bytes: bytes(
        canonicalText.replacingOccurrences(of: #"{"actor":"bob","#, with: "{").replacingOccurrences(
          of: #""version":1}"#, with: #""version":1,"actor":"bob"}"#))),
    Spelling(
      what: "an extra field",
      bytes: bytes(
        canonicalText.replacingOccurrences(of: #""version":1}"#, with: #""version":1,"weight":3}"#))
    ),
    Spelling(
      what: "an explicit null for an absent comment",
      bytes: bytes(
        canonicalText.replacingOccurrences(
          of: #""comment":"[^"]*","#, with: #""comment":null,"#, options: .regularExpression))),
    Spelling(what: "a byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + bytes(canonicalText)),
    Spelling(
      what: "a duplicate key",
      bytes: bytes(
        canonicalText.replacingOccurrences(
          of: #"{"actor":"bob","#, with: #"{"actor":"bob","actor":"bob","#))),
    Spelling(
      what: "a duplicate key with another value",
      bytes: bytes(
        canonicalText.replacingOccurrences(
          of: #"{"actor":"bob","#, with: #"{"actor":"mallory","actor":"bob","#))),
    Spelling(what: "no trailing newline", bytes: bytes(String(canonicalText.dropLast()))),
    Spelling(what: "two trailing newlines", bytes: bytes(canonicalText + "\n")),
    Spelling(what: "a CRLF line ending", bytes: bytes(String(canonicalText.dropLast()) + "\r\n")),
    Spelling(
      what: "an escaped slash",
      bytes: bytes(canonicalText.replacingOccurrences(of: "refs/tags", with: #"refs\/tags"#))),
    Spelling(
      what: "a needlessly escaped letter",
      bytes: bytes(
        canonicalText.replacingOccurrences(of: #""actor":"bob""#, with: #""actor":"\u0062ob""#))),
    Spelling(
      what: "the version as a decimal",
      bytes: bytes(
        canonicalText.replacingOccurrences(of: #""version":1}"#, with: #""version":1.0}"#))),
  ]

  @Test("a record with a second spelling is refused as not canonical", arguments: secondSpellings)
  func secondSpellingRefused(_ spelling: Spelling) {
    #expect(spelling.bytes != CanonicalJSON.encode(Self.approval), "the test must change the bytes")
    do {
      let record = try CanonicalJSON.decode(
        Approval.self, from: spelling.bytes, path: "releases/r/a.json")
      Issue.record("accepted \(record)")
    } catch {
      #expect(error.file == "releases/r/a.json")
      #expect(
        error.message
          == "is not in canonical form (sorted keys, no extra fields or spaces, one trailing newline)"
      )
    }
  }

  @Test("non-canonical spacing is refused with the canonical-form message")
  func spacingMessage() {
    let spaced = Self.bytes(
      Self.canonicalText.replacingOccurrences(of: #""actor":"#, with: #""actor": "#))
    #expect(
      throws: InputError(
        file: "a.json",
        "is not in canonical form (sorted keys, no extra fields or spaces, one trailing newline)")
    ) {
      try CanonicalJSON.decode(Approval.self, from: spaced, path: "a.json")
    }
  }

  @Test("a record of another kind is refused, naming both kinds")
  func wrongKind() {
    var disguised = Self.approval
    disguised.kind = "rejection"
    #expect(throws: InputError(file: "a.json", "has kind \"rejection\", expected \"approval\"")) {
      try CanonicalJSON.decode(Approval.self, from: CanonicalJSON.encode(disguised), path: "a.json")
    }
  }

  @Test("a rejection's file read as an approval is refused for its kind")
  func rejectionReadAsApproval() {
    let rejection = Rejection(
      Self.authorship, release: releaseID, target: OID.releasedCommit, tree: OID.releasedTree,
      ref: releasedRef,
      policy: OID.policyInForce, reason: "no")
    #expect(throws: InputError(file: "a.json", "has kind \"rejection\", expected \"approval\"")) {
      try CanonicalJSON.decode(Approval.self, from: CanonicalJSON.encode(rejection), path: "a.json")
    }
  }

  @Test("a record of another version is refused")
  func wrongVersion() {
    var future = Self.approval
    future.version = 2
    #expect(throws: InputError(file: "a.json", "has version 2; this git-govern reads version 1")) {
      try CanonicalJSON.decode(Approval.self, from: CanonicalJSON.encode(future), path: "a.json")
    }
  }

  @Test(
    "a missing field is named",
    arguments: ["actor", "created", "kind", "policy", "repo", "target", "tree", "version"])
  func missingField(_ field: String) throws {
    let without = try #require(
      Self.canonicalText.range(of: #""\#(field)":("[^"]*"|[0-9]+),?"#, options: .regularExpression))
    var text = Self.canonicalText
    text.removeSubrange(without)
    text = text.replacingOccurrences(of: ",}", with: "}")
    #expect(
      throws: InputError(
        file: "a.json", "is not a valid approval record: field \"\(field)\" is missing")
    ) {
      try CanonicalJSON.decode(Approval.self, from: Self.bytes(text), path: "a.json")
    }
  }

  @Test("a field of the wrong type is named")
  func wrongFieldType() {
    let text = Self.canonicalText.replacingOccurrences(of: #""actor":"bob""#, with: #""actor":7"#)
    do {
      _ = try CanonicalJSON.decode(Approval.self, from: Self.bytes(text), path: "a.json")
      Issue.record("accepted a number for a name")
    } catch {
      #expect(
        error.message.hasPrefix("is not a valid approval record: field \"actor\""), "got \(error)")
    }
  }

  @Test("an unknown release type is refused")
  func unknownEnumValue() {
    let request = ReleaseRequest(
      Self.authorship, release: "r", target: "c", tree: "t", ref: "refs/heads/main", type: .normal,
      risk: .low)
    let text = Self.text(CanonicalJSON.encode(request)).replacingOccurrences(
      of: #""type":"normal""#, with: #""type":"yolo""#)
    do {
      _ = try CanonicalJSON.decode(ReleaseRequest.self, from: Self.bytes(text), path: "q.json")
      Issue.record("accepted type yolo")
    } catch {
      #expect(
        error.message.hasPrefix("is not a valid request record: field \"type\""), "got \(error)")
    }
  }

  @Test("bytes that are not JSON are refused with the path")
  func notJSON() {
    do {
      _ = try CanonicalJSON.decode(Approval.self, from: Array("approved!\n".utf8), path: "x.json")
      Issue.record("accepted non-JSON")
    } catch {
      #expect(error.description.hasPrefix("x.json: is not a valid approval record: "))
    }
  }
}
