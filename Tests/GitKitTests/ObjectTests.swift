import Foundation
import Testing

@testable import GitKit

@Suite struct ObjectTests {
  @Test func blobsRoundTrip() throws {
    let scratch = try Scratch()
    let repo = try Repository.create(
      at: scratch.sub("r"), bare: true, environment: cleanEnvironment)
    let bytes: [UInt8] = Array("hello\n".utf8) + [0, 255, 10]
    let blob = try repo.writeBlob(bytes)
    #expect(try repo.blob(blob) == bytes)
    #expect(try repo.kind(of: blob) == .blob)
    #expect(repo.objectExists(blob))
    let raw = try repo.rawObject(blob)
    #expect(raw.kind == .blob && raw.bytes == bytes)
    // Same id as git computes.
    let gitID = try gitLine(["hash-object", "--stdin"], in: scratch.path)  // empty input
    #expect(try repo.writeBlob([]).hex == gitID)
    #expect(try repo.blob(repo.writeBlob([])) == [])
    #expect(!repo.objectExists(OID(hex: String(repeating: "ab", count: 20))!))
    expectGitError(.notFound) { _ = try repo.blob(OID(hex: String(repeating: "ab", count: 20))!) }
  }

  @Test func createsNestedTreesAndRemovesPaths() throws {
    let scratch = try Scratch()
    let path = scratch.sub("r")
    let repo = try Repository.create(at: path, bare: true, environment: cleanEnvironment)
    let one = try repo.writeBlob(Array("1".utf8))
    let two = try repo.writeBlob(Array("2".utf8))
    let script = try repo.writeBlob(Array("#!/bin/sh\n".utf8))
    let empty = try repo.emptyTree()
    #expect(empty.hex == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")

    // Paths chosen so that strcmp order and tree order differ ("a-b", "a.txt", "a/").
    let tree = try repo.createTree(
      base: nil,
      updates: [
        .upsertBlob(path: "a/b/c.json", blob: one),
        .upsertBlob(path: "a/bc", blob: two),
        .upsertBlob(path: "a.txt", blob: one),
        .upsertBlob(path: "a-b/x", blob: two),
        .upsertBlob(path: "bin/run", blob: script, executable: true),
        .upsertBlob(path: "top", blob: two),
      ])
    let listing = try git(["ls-tree", "-r", tree.hex], in: path)
    #expect(
      listing == """
        100644 blob \(two.hex)\ta-b/x
        100644 blob \(one.hex)\ta.txt
        100644 blob \(one.hex)\ta/b/c.json
        100644 blob \(two.hex)\ta/bc
        100755 blob \(script.hex)\tbin/run
        100644 blob \(two.hex)\ttop

        """)
    try git(["fsck", "--strict", "--no-dangling"], in: path)

    let names = try repo.treeEntries(tree).map(\.name)
    #expect(names == ["a-b", "a.txt", "a", "bin", "top"])  // git's order: "a" sorts as "a/"
    let a = try #require(try repo.entry(atPath: "a", inTree: tree))
    #expect(a.kind == .tree && a.fileMode == TreeEntry.modeTree)
    let c = try #require(try repo.entry(atPath: "a/b/c.json", inTree: tree))
    #expect(c.oid == one && c.kind == .blob && c.fileMode == 0o100644)
    #expect(try repo.entry(atPath: "bin/run", inTree: tree)?.fileMode == 0o100755)
    #expect(try repo.entry(atPath: "a/nope", inTree: tree) == nil)
    #expect(try repo.entry(atPath: "top/below", inTree: tree) == nil)

    // Removing the only file of a/b drops a/b; removing an absent path is a no-op; the last
    // update for a path wins.
    let updated = try repo.createTree(
      base: tree,
      updates: [
        .remove(path: "a/b/c.json"),
        .remove(path: "no/such/file"),
        .upsertBlob(path: "top", blob: one),
        .remove(path: "top"),
        .upsertBlob(path: "a/new", blob: one),
        .upsertBlob(path: "a/new", blob: two),
      ])
    #expect(
      try git(["ls-tree", "-r", "--name-only", updated.hex], in: path)
        == "a-b/x\na.txt\na/bc\na/new\nbin/run\n")
    #expect(try repo.entry(atPath: "a/new", inTree: updated)?.oid == two)
    // Removing everything in a directory removes the directory.
    let pruned = try repo.createTree(
      base: updated, updates: [.remove(path: "a/bc"), .remove(path: "a/new")])
    #expect(try repo.entry(atPath: "a", inTree: pruned) == nil)
    // Removing a directory path removes the whole subtree.
    let noBin = try repo.createTree(base: pruned, updates: [.remove(path: "bin")])
    #expect(try repo.treeEntries(noBin).map(\.name) == ["a-b", "a.txt"])
    // Nothing to do returns the base.
    #expect(try repo.createTree(base: pruned, updates: [.remove(path: "zzz")]) == pruned)
    // File/directory conflicts fail.
    #expect(throws: GitError.self) {
      _ = try repo.createTree(base: tree, updates: [.upsertBlob(path: "top/x", blob: one)])
    }
    #expect(throws: GitError.self) {
      _ = try repo.createTree(base: nil, updates: [.upsertBlob(path: "../x", blob: one)])
    }
  }

  @Test func signedCommitRoundTrip() throws {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    let parent = try commit("base", in: dir, clock: clock, files: ["f": "x\n"])
    let repo = try Repository.open(dir, environment: cleanEnvironment)
    let blob = try repo.writeBlob(Array("{}\n".utf8))
    let tree = try repo.createTree(
      base: try repo.tree(ofCommit: parent),
      updates: [.upsertBlob(path: "gov/state.json", blob: blob)])

    let author = testSignature
    let committer = Signature(
      name: "Bot", email: "bot@example.com", time: Date(timeIntervalSince1970: 1_700_000_100.75),
      offsetMinutes: -300)
    #expect(committer.time == Date(timeIntervalSince1970: 1_700_000_100))
    let buffer = try repo.commitBuffer(
      tree: tree, parents: [parent], author: author, committer: committer,
      message: "Record decision\n\nDetails.\n")
    #expect(buffer.hasPrefix("tree \(tree.hex)\nparent \(parent.hex)\n"))
    #expect(buffer.contains("author Grace Governor <grace@example.com> 1700000000 +0200\n"))
    #expect(buffer.contains("committer Bot <bot@example.com> 1700000100 -0500\n"))

    let armor = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\nAAAA\n-----END SSH SIGNATURE-----\n"
    let signed = try repo.createCommit(buffer: buffer, signature: armor)
    let catFile = try git(["cat-file", "commit", signed.hex], in: dir)
    #expect(
      catFile.contains(
        "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n AAAA\n -----END SSH SIGNATURE-----\n\nRecord decision"
      ))
    #expect(!catFile.contains("\n \n"))
    // rawObject gives the same bytes git prints.
    let raw = try repo.rawObject(signed)
    #expect(raw.kind == .commit)
    #expect(String(decoding: raw.bytes, as: UTF8.self) == catFile)
    try git(["fsck", "--strict", "--no-dangling"], in: dir)

    let parsed = try repo.commit(signed)
    #expect(parsed.oid == signed && parsed.tree == tree && parsed.parents == [parent])
    #expect(parsed.author == author && parsed.committer == committer)
    #expect(parsed.message == "Record decision\n\nDetails.\n")
    #expect(parsed.summary == "Record decision")
    #expect(try repo.kind(of: signed) == .commit)

    // Unsigned through the same call: identical to the buffer.
    let unsigned = try repo.createCommit(buffer: buffer, signature: nil)
    #expect(String(decoding: try repo.rawObject(unsigned).bytes, as: UTF8.self) == buffer)
    #expect(try git(["cat-file", "commit", unsigned.hex], in: dir) == buffer)

    // Root commit, and validation of parents.
    let root = try repo.createCommit(
      buffer: try repo.commitBuffer(
        tree: try repo.emptyTree(), parents: [], author: author, committer: author,
        message: "root\n"),
      signature: nil)
    #expect(try repo.commit(root).parents.isEmpty)
    expectGitError(.notFound) {
      _ = try repo.commitBuffer(
        tree: tree, parents: [OID(hex: String(repeating: "12", count: 20))!], author: author,
        committer: author, message: "x")
    }
    #expect(throws: GitError.self) {
      _ = try repo.commitBuffer(
        tree: tree, parents: [], author: Signature(name: "A <evil>", email: "e", time: Date()),
        committer: author, message: "x")
    }
  }
}
