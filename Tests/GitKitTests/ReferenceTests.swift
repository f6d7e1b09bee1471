import Foundation
import Testing

@testable import GitKit

@Suite struct ReferenceTests {
  @Test func compareAndSwapUpdates() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    let first = try commit("one", in: dir, clock: clock)
    let second = try commit("two", in: dir, clock: clock)
    let repo = try Repository.open(dir, environment: cleanEnvironment)
    let name = "refs/governance/releases"

    #expect(try repo.referenceTarget(name) == nil)
    try repo.updateReference(name, to: first, expecting: nil, message: "create")
    #expect(try repo.referenceTarget(name) == first)
    #expect(try gitLine(["rev-parse", name], in: dir) == first.hex)

    // Creating again must fail: it exists.
    expectGitError(.exists) {
      try repo.updateReference(name, to: second, expecting: nil, message: "create again")
    }
    expectGitError(.exists) {
      try repo.updateReference(name, to: second, expecting: .zero, message: "create again")
    }
    // Right old value: moves.
    try repo.updateReference(name, to: second, expecting: first, message: "advance")
    #expect(try gitLine(["rev-parse", name], in: dir) == second.hex)
    // Stale old value: lost race.
    expectGitError(.modified) {
      try repo.updateReference(name, to: first, expecting: first, message: "stale")
    }
    #expect(try repo.referenceTarget(name) == second)
    // Someone else moves it behind our back (the git CLI): our expectation is stale.
    try git(["update-ref", name, first.hex], in: dir)
    expectGitError(.modified) {
      try repo.updateReference(name, to: first, expecting: second, message: "stale")
    }
    // Expecting an old value for a ref that does not exist is a lost swap too.
    expectGitError(.modified) {
      try repo.updateReference("refs/governance/absent", to: first, expecting: second, message: "x")
    }
    // A held lock.
    _ = FileManager.default.createFile(atPath: dir + "/.git/" + name + ".lock", contents: Data())
    expectGitError(.locked) {
      try repo.updateReference(name, to: second, expecting: first, message: "locked")
    }
    try FileManager.default.removeItem(atPath: dir + "/.git/" + name + ".lock")
    // Bad names.
    expectGitError(.invalidSpec) {
      try repo.updateReference("refs/bad..name", to: first, expecting: nil, message: "x")
    }

    // Delete with compare-and-swap.
    expectGitError(.modified) { try repo.deleteReference(name, expecting: second) }
    try repo.deleteReference(name, expecting: first)
    #expect(try repo.referenceTarget(name) == nil)
    expectGitError(.modified) { try repo.deleteReference(name, expecting: first) }
  }

  @Test func listsAndPeelsReferences() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    let first = try commit("one", in: dir, clock: clock, files: ["a": "1\n"])
    let second = try commit("two", in: dir, clock: clock, files: ["a": "2\n"])
    let third = try commit("three", in: dir, clock: clock, files: ["a": "3\n"])
    try git(["tag", "light", first.hex], in: dir)
    try git(["tag", "-a", "-m", "release", "v1.0", second.hex], in: dir)
    try git(["tag", "-a", "-m", "nested", "v1.0-outer", "v1.0"], in: dir)
    try git(["symbolic-ref", "refs/heads/alias", "refs/heads/main"], in: dir)
    try git(["symbolic-ref", "refs/heads/dangling", "refs/heads/nowhere"], in: dir)
    try git(["pack-refs", "--all"], in: dir)  // packed refs must work too
    let repo = try Repository.open(dir, environment: cleanEnvironment)

    let tagObject = try #require(try repo.referenceTarget("refs/tags/v1.0"))
    #expect(tagObject != second)
    #expect(try repo.kind(of: tagObject) == .tag)
    #expect(try repo.peelToCommit(tagObject) == second)
    #expect(try repo.peelToCommit(repo.referenceTarget("refs/tags/v1.0-outer")!) == second)
    #expect(try repo.peelToCommit(third) == third)
    #expect(try repo.referenceTarget("HEAD") == third)
    #expect(try repo.referenceTarget("refs/heads/alias") == third)
    #expect(try repo.referenceTarget("refs/heads/dangling") == nil)
    let tree = try repo.tree(ofCommit: third)
    #expect(throws: GitError.self) { _ = try repo.peelToCommit(tree) }
    expectGitError(.notFound) {
      _ = try repo.peelToCommit(OID(hex: String(repeating: "ee", count: 20))!)
    }

    let all = try repo.references()
    #expect(
      all.map(\.name) == [
        "refs/heads/alias", "refs/heads/main", "refs/tags/light", "refs/tags/v1.0",
        "refs/tags/v1.0-outer",
      ])
    #expect(all.first { $0.name == "refs/heads/alias" }?.target == third)
    #expect(all.first { $0.name == "refs/tags/v1.0" }?.target == tagObject)
    let tags = try repo.references(glob: "refs/tags/v*")
    #expect(tags.map(\.name) == ["refs/tags/v1.0", "refs/tags/v1.0-outer"])
  }

  @Test func resolvesRevisions() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    let first = try commit("one", in: dir, clock: clock)
    let second = try commit("two", in: dir, clock: clock)
    let third = try commit("three", in: dir, clock: clock)
    try git(["tag", "-a", "-m", "release", "v1.0", second.hex], in: dir)
    let repo = try Repository.open(dir, environment: cleanEnvironment)

    #expect(try repo.resolveRevision("HEAD") == third)
    #expect(try repo.resolveRevision("HEAD~1") == second)
    #expect(try repo.resolveRevision("main~2") == first)
    #expect(try repo.resolveRevision("v1.0") == second)  // annotated tag peeled
    #expect(try repo.resolveRevision(String(first.hex.prefix(10))) == first)
    #expect(try repo.resolveRevision(first.hex.uppercased()) == first)
    expectGitError(.notFound) { _ = try repo.resolveRevision("no-such-branch") }
    expectGitError(.notFound) { _ = try repo.resolveRevision("HEAD~10") }
    #expect(throws: GitError.self) { _ = try repo.resolveRevision("HEAD^{tree}") }
  }
}
