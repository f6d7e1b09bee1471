import Foundation
import Governance
import Testing

@Suite("the note of a commit holds every release of it")
struct CommitNoteTests {
  /// The note `refs/notes/governance` holds on the server for `revision`.
  func serverNote(_ server: ServerWorld, on revision: String) throws -> String {
    let commit = try server.world.git("rev-parse", "\(revision)^{commit}")
    return try server.world.run(
      ["git", "notes", "--ref=governance", "show", commit], in: server.bare
    ).stdout
  }

  func noteFindings(_ server: ServerWorld) throws -> [[String: Any]] {
    let result = try server.world.govern(["audit", "--format", "json"], in: server.bare)
    let json =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    let findings = json["findings"] as? [[String: Any]] ?? []
    return findings.filter { $0["check"] as? String == "notes" }
  }

  @Test(
    "a commit pushed to main and then tagged v1.0.0 keeps both releases in its note, and the audit finds nothing to say of it"
  )
  func mainAndTagInOneNote() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.commit("feature.txt", "one\n", by: team.bob)
    let toMain = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", toMain, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work))

    try world.git("tag", "v1.0.0")
    let toTag = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", toTag, "--push"], as: team.erin))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work))

    let note = try serverNote(server, on: "v1.0.0")
    #expect(note.contains("Release \(toMain): refs/heads/main"), "\(note)")
    #expect(note.contains("Release \(toTag): refs/tags/v1.0.0"), "\(note)")
    #expect(note.contains("Approved-by: carol (security)"))
    #expect(note.contains("Approved-by: erin (security, release-manager)"))
    #expect(ReleaseNote.sections(of: note)?.map(\.release) == [toMain, toTag])
    #expect(try noteFindings(server).isEmpty)
  }

  @Test(
    "one push that moves main and a tag to the same commit writes one note naming both releases")
  func mainAndTagInOnePush() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.commit("feature.txt", "two\n", by: team.bob)
    try world.git("tag", "v1.1.0")
    let toMain = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    let toTag = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", toMain, "--push"], as: team.carol))
    try world.expectSuccess(world.govern(["approve", toTag, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "main", "v1.1.0"], in: world.work))

    let note = try serverNote(server, on: "v1.1.0")
    #expect(
      Set(ReleaseNote.sections(of: note)?.map(\.release) ?? []) == [toMain, toTag], "\(note)")
    #expect(try noteFindings(server).isEmpty)
  }

  @Test(
    "a note the server cannot read section by section (a sorted merge) is written again from the records, losing no release"
  )
  func unreadableNoteRenderedFromRecords() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.commit("feature.txt", "three\n", by: team.bob)
    let toMain = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", toMain, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work))
    // What a `cat_sort_uniq` notes merge leaves: the same lines, sorted.
    let head = try world.git("rev-parse", "HEAD")
    let sorted =
      try serverNote(server, on: "HEAD").split(separator: "\n").sorted().joined(separator: "\n")
    try world.expectSuccess(
      world.run(
        ["git", "notes", "--ref=governance", "add", "-f", "-m", sorted, head], in: server.bare))

    try world.git("tag", "v1.2.0")
    let toTag = try world.request("v1.2.0", to: "refs/tags/v1.2.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", toTag, "--push"], as: team.erin))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v1.2.0"], in: world.work))

    let note = try serverNote(server, on: "v1.2.0")
    #expect(ReleaseNote.sections(of: note)?.map(\.release) == [toMain, toTag], "\(note)")
    #expect(note.contains("Approved-by: carol (security)"))
    #expect(note.contains("Pushed: refs/heads/main at "))
    #expect(try noteFindings(server).isEmpty)
  }

  @Test(
    "an approval that no longer counted when the release was pushed is in the note, marked as not counted, with why"
  )
  func approvalNotCountedMarked() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.commit("feature.txt", "four\n", by: team.bob)
    let release = try world.request("HEAD", to: "refs/heads/main", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    // The rule changes under the release: now a release manager must approve.
    let policy = fullPolicy().replacingOccurrences(
      of: "  - name: default\n    approvals: 1",
      with: "  - name: default\n    approvals: 1\n    roles: {release-manager: 1}")
    try world.expectSuccess(world.applyPolicy(policy, by: team.alice))
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.erin))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work))

    let note = try serverNote(server, on: "HEAD")
    #expect(note.contains("Approved-by: erin (security, release-manager)"), "\(note)")
    #expect(!note.contains("Approved-by: carol"))
    #expect(note.contains("Approval-not-counted: carol at "))
    #expect(try noteFindings(server).isEmpty)
  }

  @Test("a note's sections are read back whole, and a note whose lines were sorted is not")
  func sectionsReadBack() {
    let main =
      "Release r-1: refs/heads/main (normal, low risk)\nApproved-by: carol at t\nStatus: ready\n"
    let tag = "Release r-2: refs/tags/v1 (normal, low risk)\nStatus: ready\n"
    let note = ReleaseNote.joined([main, tag])
    #expect(ReleaseNote.sections(of: note)?.map(\.text) == [main, tag])
    #expect(ReleaseNote.claims(in: note).releases == ["r-1", "r-2"])
    let sorted = note.split(separator: "\n").sorted().joined(separator: "\n") + "\n"
    #expect(ReleaseNote.sections(of: sorted) == nil)
  }
}
