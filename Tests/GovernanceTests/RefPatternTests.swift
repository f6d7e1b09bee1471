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
      // Letters in either case: a case-folding server stores refs/heads/MAIN as main, and
      // elsewhere it is the ref people take for main.
      ("refs/heads/main", "refs/heads/Main", true),
      ("refs/heads/main", "refs/heads/MAIN", true),
      ("refs/tags/v*", "refs/tags/V1.0.0", true),
      ("refs/tags/V*", "refs/tags/v1.0.0", true),
      ("REFS/HEADS/RELEASE/*", "refs/heads/release/1.x", true),
      ("refs/heads/main", "refs/heads/MAIN2", false),
      // Only ASCII letters fold: "ı" (dotless i) is not "I".
      ("refs/heads/mIn", "refs/heads/m\u{131}n", false),
      ("*", "refs/anything/at/all", true),
    ] as [(String, String, Bool)])
  func matching(_ pattern: String, _ ref: String, _ expected: Bool) {
    #expect(RefPattern(pattern).matches(ref) == expected)
  }

  @Test(
    "an exemption such as allow_non_fast_forward matches letter for letter",
    arguments: [
      ("refs/heads/scratch/*", "refs/heads/scratch/x", true),
      ("refs/heads/scratch/*", "refs/heads/SCRATCH/x", false),
      ("refs/heads/main", "refs/heads/Main", false),
    ] as [(String, String, Bool)])
  func exactMatching(_ pattern: String, _ ref: String, _ expected: Bool) {
    #expect(RefPattern(pattern).matchesExactly(ref) == expected)
  }

  @Test("a pattern prints as written")
  func description() {
    #expect("\(RefPattern("refs/tags/v*"))" == "refs/tags/v*")
  }
}
