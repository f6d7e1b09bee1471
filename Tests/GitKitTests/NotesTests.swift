import Foundation
import Testing

@testable import GitKit

@Suite struct NotesTests {
  @Test func notesAreReadableByGit() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    let first = try commit("one", in: dir, clock: clock)
    let second = try commit("two", in: dir, clock: clock)
    let third = try commit("three", in: dir, clock: clock)
    let repo = try Repository.open(dir, environment: cleanEnvironment)

    #expect(try repo.note(on: first) == nil)  // no notes ref yet
    #expect(try repo.notes().isEmpty)

    // A note written by git is read back.
    try git(["notes", "--ref=governance", "add", "-m", "approved by git", first.hex], in: dir)
    #expect(try repo.note(on: first) == "approved by git\n")
    #expect(try repo.note(on: second) == nil)
    #expect(try repo.note(on: first, notesRef: "governance") == "approved by git\n")
    let before = try #require(try repo.referenceTarget("refs/notes/governance"))

    // One commit for several notes, on top of git's commit, overwriting git's note.
    let notesCommit = try repo.setNotes(
      [
        (target: first, text: "replaced\n"), (target: second, text: "{\"state\":\"released\"}\n"),
        (target: third, text: "first text\n"), (target: third, text: "multi\nline\n"),
      ], author: testSignature, message: "governance: record decisions\n")
    #expect(try repo.referenceTarget("refs/notes/governance") == notesCommit)
    #expect(try repo.commit(notesCommit).parents == [before])
    #expect(
      try gitLine(["rev-list", "--count", "\(before.hex)..\(notesCommit.hex)"], in: dir) == "1")

    #expect(try git(["notes", "--ref=governance", "show", first.hex], in: dir) == "replaced\n")
    #expect(
      try git(["notes", "--ref=governance", "show", second.hex], in: dir)
        == "{\"state\":\"released\"}\n")
    #expect(try git(["notes", "--ref=governance", "show", third.hex], in: dir) == "multi\nline\n")
    let log = try git(["log", "--notes=governance", "--format=%H%n%N", "-1", second.hex], in: dir)
    #expect(log.contains("{\"state\":\"released\"}"))
    #expect(try repo.note(on: third) == "multi\nline\n")
    #expect(try repo.notes().map(\.target) == [first, second, third].sorted())

    // git can keep writing on top of ours.
    try git(["notes", "--ref=governance", "append", "-m", "more", second.hex], in: dir)
    #expect(try repo.note(on: second)?.hasSuffix("more\n") == true)
  }

  @Test func respectsFanoutAndLosesRacesLoudly() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    let target = try commit("one", in: dir, clock: clock)
    let repo = try Repository.open(dir, environment: cleanEnvironment)

    // A notes tree in fan-out layout ("ab/cdef...") as git writes for many notes.
    let existing = try repo.writeBlob(Array("old\n".utf8))
    let hex = target.hex
    let fanned = try repo.createTree(
      base: nil,
      updates: [
        .upsertBlob(path: String(hex.prefix(2)) + "/" + String(hex.dropFirst(2)), blob: existing)
      ])
    let start = try repo.createCommit(
      buffer: try repo.commitBuffer(
        tree: fanned, parents: [], author: testSignature, committer: testSignature,
        message: "notes\n"),
      signature: nil)
    try repo.updateReference("refs/notes/governance", to: start, expecting: nil, message: "init")
    #expect(try git(["notes", "--ref=governance", "show", hex], in: dir) == "old\n")

    let next = try repo.setNotes(
      [(target: target, text: "new\n")], author: testSignature, message: "update\n")
    let entries = try repo.treeEntries(try repo.tree(ofCommit: next))
    #expect(entries.map(\.name) == [String(hex.prefix(2))])  // no duplicate at the top level
    #expect(try git(["notes", "--ref=governance", "show", hex], in: dir) == "new\n")

    // A concurrent writer moves the notes ref between our read and our swap: simulated by a
    // second handle writing first, then our stale compare-and-swap.
    let other = try Repository.open(dir, environment: cleanEnvironment)
    try other.setNotes(
      [(target: target, text: "theirs\n")], author: testSignature, message: "theirs\n")
    expectGitError(.modified) {
      try repo.updateReference(
        "refs/notes/governance", to: start, expecting: next, message: "stale")
    }
    #expect(try repo.note(on: target) == "theirs\n")
  }
}
