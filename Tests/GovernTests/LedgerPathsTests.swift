import Ledger
import Testing

@Suite("ledger paths")
struct LedgerPathsTests {
  @Test("a path's parts are what splitting it at slashes by characters gives")
  func partsMatchCharacterSplit() {
    let paths = [
      "releases/ab/r-1234567890/approval-bob.json", "/leading", "trailing/", "a//b", "", "/",
      "changes/2026/c-1/policy.yml", "a/\u{301}b/c", "é/x\u{301}/y", "a\r\n/b", "a/\r\nb",
      "releases/ab/r-1/\u{200D}/x.json", "😀/👩‍👩‍👧/z",
    ]
    for path in paths {
      #expect(LedgerPaths.parts(of: path) == path.split(separator: "/"), "\(path)")
    }
  }
}
