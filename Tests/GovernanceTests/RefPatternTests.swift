import Testing

@testable import Governance

@Suite("protected ref patterns")
struct RefPatternTests {
  @Test(
    "which refs a pattern protects",
    arguments: [
      ("refs/tags/v*", "refs/tags/v1.2.0", true),
      ("refs/tags/v*", "refs/tags/x1", false),
      ("refs/tags/v*", "refs/heads/v1", false),
      ("refs/tags/v*", "refs/tags/v", true),
      // `*` crosses slashes: protecting too much fails closed.
      ("refs/heads/release/*", "refs/heads/release/1.x", true),
      ("refs/heads/release/*", "refs/heads/release/1.x/hotfix", true),
      ("refs/heads/release/*", "refs/heads/release", false),
      ("refs/heads/release/*", "refs/heads/releases/1.x", false),
      ("refs/heads/*/stable", "refs/heads/team/a/stable", true),
      ("refs/heads/*/stable", "refs/heads/team/a/stable2", false),
      ("refs/tags/v*.*.*", "refs/tags/v1.2.3", true),
      ("refs/tags/v*.*.*", "refs/tags/v1.2", false),
      ("refs/heads/release-?", "refs/heads/release-7", true),
      ("refs/heads/release-?", "refs/heads/release-12", false),
      // Exact patterns match only themselves.
      ("refs/heads/main", "refs/heads/main", true),
      ("refs/heads/main", "refs/heads/main2", false),
      ("refs/heads/main", "refs/heads/mai", false),
      ("refs/heads/main", "refs/heads/main/x", false),
      ("refs/heads/main", "refs/heads/Main", false),
      ("*", "refs/anything/at/all", true),
    ] as [(String, String, Bool)])
  func matching(_ pattern: String, _ ref: String, _ expected: Bool) {
    #expect(RefPattern(pattern).matches(ref) == expected)
  }

  @Test("a pattern prints as written")
  func description() {
    #expect("\(RefPattern("refs/tags/v*"))" == "refs/tags/v*")
  }
}
