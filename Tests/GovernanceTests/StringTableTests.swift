import Testing

@testable import Governance

/// Where a string's UTF-8 bytes live: equal for two values that share their storage.
private func storage(of string: String) -> UnsafeRawPointer? {
  var string = string
  return string.withUTF8 { UnsafeRawPointer($0.baseAddress) }
}

@Suite("string table")
struct StringTableTests {
  static let target = "174290d7d08591195c62e78c6debe5acd07eaf19"

  /// A fresh copy of `text` in storage of its own.
  static func copy(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

  @Test("an equal long string read again comes back as the one read first")
  func sharesEqualStrings() {
    let table = StringTable()
    let first = Self.copy(Self.target)
    let second = Self.copy(Self.target)
    #expect(storage(of: first) != storage(of: second))
    #expect(table.shared(first) == Self.target)
    #expect(storage(of: table.shared(second)) == storage(of: first))
    #expect(storage(of: table.shared(Self.copy(Self.target + "0"))) != storage(of: first))
  }

  @Test("a full table starts again and keeps answering with equal strings")
  func startsAgainWhenFull() {
    let table = StringTable(capacity: 2)
    let kept = Self.copy(Self.target)
    _ = table.shared(kept)
    _ = table.shared(Self.copy(Self.target + "1"))
    _ = table.shared(Self.copy(Self.target + "2"))
    let again = Self.copy(Self.target)
    #expect(table.shared(again) == Self.target)
    #expect(storage(of: table.shared(again)) == storage(of: again))
  }

  @Test("records read through one table are the records read without it, sharing their long values")
  func recordsReadThroughATable() throws {
    let authorship = RecordAuthorship(
      repo: "f1ad08bbc056bed8fcb4b6babbf213d8eebe91b4", actor: "approver01",
      email: "approver01@example.com", created: "2026-05-30T20:31:00Z")
    func approval(_ comment: String) -> Approval {
      Approval(
        authorship, release: "r-00063169f9", target: Self.copy(Self.target),
        tree: "556af918edd0e69e4fb6cc5557738c7e0baae520", ref: "refs/heads/main",
        policy: "abb8728d05b40d7708bc537f9303e6ef3b0ccb0d", comment: comment)
    }
    let table = StringTable()
    let bytes = [approval("looks good"), approval("fine by me")].map { CanonicalJSON.encode($0) }
    let read = try bytes.map {
      try CanonicalJSON.decode(Approval.self, from: $0, path: "a.json", strings: table)
    }
    let plain = try bytes.map { try CanonicalJSON.decode(Approval.self, from: $0, path: "a.json") }
    #expect(read == plain)
    #expect(storage(of: read[0].target) == storage(of: read[1].target))
    #expect(storage(of: plain[0].target) != storage(of: plain[1].target))
  }
}
