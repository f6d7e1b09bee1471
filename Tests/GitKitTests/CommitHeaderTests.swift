import Foundation
import Testing

@testable import GitKit

/// `identities(ofCommit:)` reads plain commit headers itself and leaves the rest to libgit2:
/// on every kind of header, ordinary or odd, it must say exactly what libgit2's parser says.
@Suite struct CommitHeaderTests {
  @Test func agreesWithLibgit2OnOrdinaryAndOddHeaders() throws {
    let scratch = try Scratch()
    let path = scratch.sub("r")
    let repo = try Repository.create(at: path, bare: true, environment: cleanEnvironment)
    let tree = try repo.emptyTree().hex
    let parent = try writeCommit(
      "tree \(tree)\nauthor A U Thor <a@example.com> 1700000000 +0100\n"
        + "committer C O Mitter <c@example.com> 1700000100 -0530\n\nroot\n", in: path)
    let people = [
      "A U Thor <a@example.com> 1700000000 +0100",
      "Zoë Ünïcødé <zoë@exämple.com> 1 -1400",
      "Bob <bob@example.com> 0 +0000",
      " Spaced  Name  <  spaced@example.com  > 1700000000 +0200",
      "Dotted Jr. <dots@example.com.> 1700000000 +0000",
      "Quote 'Q' <'q'@example.com> 1700000000 +0000",
      "Two <one@example.com> <two@example.com> 1700000000 +0000",
      "Angle > Name <odd@example.com> 1700000000 +0000",
      "NoSpace<nospace@example.com> 1700000000 +0000",
      "Empty <> 1700000000 +0000",
      " <nameless@example.com> 1700000000 +0000",
      "No Time <notime@example.com>",
      "Bad Zone <zone@example.com> 1700000000 +9999",
      "Odd Zone <zone@example.com> 1700000000 +0060",
      "Word Zone <zone@example.com> 1700000000 CEST",
      "Long Zone <zone@example.com> 1700000000 +01000",
      "Big Time <big@example.com> 99999999999999999999 +0000",
      "Negative Time <neg@example.com> -5 +0000",
      "Tab\tName <tab@example.com>\t1700000000 +0000",
    ]
    var oids: [OID] = [parent]
    for person in people {
      oids.append(
        try writeCommit(
          "tree \(tree)\nparent \(parent.hex)\nauthor \(person)\ncommitter \(person)\n\nodd\n",
          in: path))
    }
    // Headers around the people: a merge, a second author line, an upper-case parent id,
    // a signature header after the committer, and a message that looks like a header.
    let upper = parent.hex.uppercased()
    for header in [
      "tree \(tree)\nparent \(parent.hex)\nparent \(oids[1].hex)\nauthor \(people[0])\ncommitter \(people[2])\n\nmerge\n",
      "tree \(tree)\nparent \(parent.hex)\nauthor \(people[0])\nauthor \(people[2])\ncommitter \(people[2])\n\ntwo authors\n",
      "tree \(tree)\nparent \(upper)\nauthor \(people[0])\ncommitter \(people[0])\n\nupper\n",
      "tree \(tree)\nauthor \(people[0])\ncommitter \(people[0])\ngpgsig -----BEGIN SSH SIGNATURE-----\n x\n -----END SSH SIGNATURE-----\n\nsigned\n",
      "tree \(tree)\nauthor \(people[0])\ncommitter \(people[0])\n\nauthor X <x@example.com> 1 +0000\n",
    ] {
      oids.append(try writeCommit(header, in: path))
    }
    var readByGitKit = 0
    for oid in oids {
      let libgit2 = Result { try repo.identitiesParsedByLibgit2(ofCommit: oid) }
      let ours = Result { try repo.identities(ofCommit: oid) }
      switch (libgit2, ours) {
      case (.success(let expected), .success(let actual)):
        #expect(actual == expected, "commit \(oid.hex)")
      case (.failure, .failure): break
      default: Issue.record("commit \(oid.hex): libgit2 \(libgit2), GitKit \(ours)")
      }
      try repo.withStoredBytes(oid, .commit, operation: "read") {
        if CommitHeader.identities($0) != nil { readByGitKit += 1 }
      }
    }
    // The plain ones were read without libgit2's parser, so the comparison above tested it.
    #expect(readByGitKit >= 8)
    #expect(readByGitKit < oids.count)
  }

  @Test func refusesObjectsOfAnotherKind() throws {
    let scratch = try Scratch()
    let repo = try Repository.create(
      at: scratch.sub("r"), bare: true, environment: cleanEnvironment)
    let blob = try repo.writeBlob(Array("not a commit\n".utf8))
    expectGitError(.notFound) { _ = try repo.identities(ofCommit: blob) }
    let tree = try repo.emptyTree()
    expectGitError(.notFound) { _ = try repo.blob(tree) }
  }

  private func writeCommit(_ text: String, in path: String) throws -> OID {
    let hex = try git(
      ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], in: path, input: text)
    return OID(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines))!
  }
}
