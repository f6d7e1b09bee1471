import Foundation
import GitKit
import Governance
import Testing

@testable import Ledger

/// A new ref's range (`ReleaseRange.forUpdate` with a zero old value, which skips the walk
/// when the target is another tip) must be the range the plain revision walk finds: the same
/// commits in the same order, and the set `git rev-list` names. Tags on side lines, a tag on
/// no branch, an annotated tag, a merge.
@Suite("release ranges of new refs")
struct ReleaseRangeEquivalenceTests {
  @Test("every commit as a new tag, or as any tag, has the walked range")
  func listingMatchesWalk() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice, commits: 1, initGovernance: false)
    try world.git("tag", "v1")
    try world.commit("a.txt", "a\n", by: alice)
    try world.git("checkout", "-q", "-b", "side")
    try world.commit("s1.txt", "s1\n", by: alice)
    try world.git("tag", "v2-side")
    try world.commit("s2.txt", "s2\n", by: alice)
    try world.git("tag", "-a", "-m", "annotated", "v2-annotated")
    try world.git("checkout", "-q", "main")
    try world.commit("b.txt", "b\n", by: alice)
    try world.git("tag", "v3")
    // A line no branch keeps: only its tag reaches it.
    try world.git("checkout", "-q", "-b", "loose")
    try world.commit("o1.txt", "o1\n", by: alice)
    try world.git("tag", "v-loose")
    try world.git("checkout", "-q", "main")
    try world.git("branch", "-q", "-D", "loose")
    try world.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    try world.commit("c.txt", "c\n", by: alice)
    try world.git("tag", "v4")
    try world.commit("d.txt", "d\n", by: alice)

    let repository = try Repository.open(world.work.path)
    let pattern = RefPattern("refs/tags/v*")
    let commits = try world.git("rev-list", "--all").split(separator: "\n").map {
      OID(hex: String($0))!
    }
    let tags = try world.git("tag").split(separator: "\n").map { "refs/tags/\($0)" }
    var cases: [(ref: String, target: OID)] = commits.map { ("refs/tags/v-new", $0) }
    // Each tag at its own tip, and at every other commit (its old tip stays among the refs).
    for tag in tags {
      cases += commits.map { (tag, $0) }
    }
    var emptied = 0
    for (ref, target) in cases {
      let listed = try ReleaseRange.forUpdate(
        repository, target: target, ref: ref, old: .zero, pattern: pattern, releasedBefore: [])
      let others = tags.filter { $0 != ref }
      let hidden = try others.map {
        try repository.peelToCommit(try repository.resolveRevision($0))
      }
      let walked = try repository.walk(from: [target], hiding: hidden, order: .none).collect()
      #expect(listed.commits == walked, "\(ref) at \(target.hex.prefix(7))")
      let oracle = try world.run(["git", "rev-list", target.hex, "--not"] + others, in: world.work)
        .stdout.split(separator: "\n").map(String.init)
      #expect(Set(listed.commits.map(\.hex)) == Set(oracle), "\(ref) at \(target.hex.prefix(7))")
      if walked.isEmpty { emptied += 1 }
    }
    // Some ranges are empty (targets at or below other tags), others not.
    #expect(emptied > 0)
    #expect(emptied < cases.count)
  }
}
