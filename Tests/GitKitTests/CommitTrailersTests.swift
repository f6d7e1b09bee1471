import Testing

@testable import GitKit

@Suite("Co-authored-by trailers")
struct CommitTrailersTests {
  static let header =
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@x> 1 +0000\ncommitter a <a@x> 1 +0000\n\n"

  func coAuthors(_ message: String) -> [CoAuthor] {
    Array((Self.header + message).utf8).withUnsafeBytes { CommitTrailers.coAuthors(inCommit: $0) }
  }

  @Test("the last paragraph's trailers name the co-authors, whatever the token's case")
  func trailerBlock() {
    #expect(
      coAuthors(
        "Fix it\n\nBody text.\n\nSigned-off-by: Bob <bob@example.com>\nCo-authored-by: Carol Sec <carol@example.com>\nco-AUTHORED-by: dave@example.com\n\n"
      ) == [
        CoAuthor(name: "Carol Sec", email: "carol@example.com"),
        CoAuthor(name: "", email: "dave@example.com"),
      ])
  }

  @Test("a trailer-like line outside the trailer block, or in the subject, is not a trailer")
  func notTrailers() {
    #expect(coAuthors("Co-authored-by: Carol <carol@example.com>\n").isEmpty)
    #expect(
      coAuthors("Fix\n\nCo-authored-by: Carol <carol@example.com>\n\nThe body comes last.\n")
        .isEmpty)
    #expect(
      coAuthors(
        "Fix\n\nprose line one\nprose line two\nprose three\nprose four\nCo-authored-by: C <c@x>\n"
      )
      .isEmpty)
    #expect(coAuthors("").isEmpty)
  }

  @Test("a block of mostly trailers with a continuation line still counts")
  func lenientBlock() {
    #expect(
      coAuthors("Fix\n\nReviewed-by: A <a@x>\n  continued\nsee notes\nCo-authored-by: C <c@x>\n")
        == [CoAuthor(name: "C", email: "c@x")])
  }
}
