import Testing

@testable import GitKit

@Suite struct OIDTests {
  @Test func parsesHexCaseInsensitively() throws {
    let upper = try #require(OID(hex: "0C3C8CFD4DB03C97F09940F4EECF0CE259DD14B9"))
    let lower = try #require(OID(hex: "0c3c8cfd4db03c97f09940f4eecf0ce259dd14b9"))
    #expect(upper == lower)
    #expect(upper.hex == "0c3c8cfd4db03c97f09940f4eecf0ce259dd14b9")
    #expect("\(upper)" == upper.hex)
    #expect(OID(bytes: upper.bytes) == upper)
    #expect(upper.abbreviated() == "0c3c8cf")
  }

  @Test func rejectsMalformedHex() {
    #expect(OID(hex: "") == nil)
    #expect(OID(hex: "0c3c8cf") == nil)
    #expect(OID(hex: "0c3c8cfd4db03c97f09940f4eecf0ce259dd14b9a") == nil)
    #expect(OID(hex: "0c3c8cfd4db03c97f09940f4eecf0ce259dd14bg") == nil)
    #expect(OID(hex: " c3c8cfd4db03c97f09940f4eecf0ce259dd14b9") == nil)
    #expect(OID(bytes: [1, 2, 3]) == nil)
  }

  @Test func zeroAndOrdering() throws {
    #expect(OID.zero.hex == String(repeating: "0", count: 40))
    #expect(OID.zero.isZero)
    let a = try #require(OID(hex: "00000000000000000000000000000000000000ff"))
    let b = try #require(OID(hex: "0000000000000000000000000000000000000100"))
    let c = try #require(OID(hex: "ff00000000000000000000000000000000000000"))
    #expect(!a.isZero)
    #expect(OID.zero < a && a < b && b < c)
    #expect([c, a, b].sorted() == [a, b, c])
    #expect(Set([a, a, b]).count == 2)
  }

  @Test func mapsLibgit2ErrorCodes() {
    #expect(GitError.Code(rawCode: -3) == .notFound)
    #expect(GitError.Code(rawCode: -4) == .exists)
    #expect(GitError.Code(rawCode: -15) == .modified)
    #expect(GitError.Code(rawCode: -36) == .owner)
    #expect(GitError.Code(rawCode: -1) == .other(-1))
    #expect(GitError.Code.locked.rawCode == -14)
  }

  @Test func ownerErrorExplainsSafeDirectory() {
    let error = GitError(
      code: .owner, errorClass: 7,
      message: "repository path '/srv/repo/' is not owned by current user",
      operation: "git_repository_open_ext('/srv/repo')")
    #expect(error.unsafeDirectory == "/srv/repo")
    #expect(error.description.contains("git config --global --add safe.directory /srv/repo"))
    let dotGit = GitError(
      code: .owner, errorClass: 7,
      message: "repository path '/w/.git/' is not owned by current user",
      operation: "open")
    #expect(dotGit.unsafeDirectory == "/w")
  }
}
