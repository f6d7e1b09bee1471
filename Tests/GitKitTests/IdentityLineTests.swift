import Testing

@testable import GitKit

/// People lines that git and libgit2 read alike pass; any that they could read as different
/// people, addresses or times is named.
@Suite struct IdentityLineTests {
  @Test(
    "lines as git writes them are clear",
    arguments: [
      "A U Thor <a@example.com> 1700000000 +0100", "Zoë Ünïcødé <zoë@exämple.com> 1 -1400",
      "NoSpace<nospace@example.com> 0 +0000", "Empty <> 1700000000 +0000",
      " <nameless@example.com> 1700000000 +0000",
    ])
  func clear(_ line: String) {
    #expect(IdentityLine.ambiguity(Array(line.utf8)) == nil)
  }

  @Test(
    "lines git and libgit2 could read differently are named",
    arguments: [
      ("Bob <bob@example.com> <alice@example.com> 1700000000 +0000", "has 2 '<' and 2 '>'"),
      ("Bob <alice@example.com> 1700000000 +0000 <bob@example.com>", "has 2 '<' and 2 '>'"),
      ("Na<me <a@example.com> 1700000000 +0000", "has 2 '<' and 1 '>'"),
      ("Angle > Name <odd@example.com> 1700000000 +0000", "has 1 '<' and 2 '>'"),
      ("Backwards >odd@example.com< 1700000000 +0000", "has its '>' before its '<'"),
      ("Tab\tName <tab@example.com> 1700000000 +0000", "control byte 0x09"),
      ("Spaced < spaced@example.com > 1700000000 +0000", "libgit2 trims off"),
      ("Dotted <dots@example.com.> 1700000000 +0000", "libgit2 trims off"),
      ("No Time <notime@example.com>", "<seconds> <±hhmm>"),
      ("Word Zone <zone@example.com> 1700000000 CEST", "<seconds> <±hhmm>"),
      ("Two Spaces <zone@example.com>  1700000000 +0000", "<seconds> <±hhmm>"),
    ] as [(String, String)])
  func ambiguous(_ line: String, _ problem: String) {
    let found = IdentityLine.ambiguity(Array(line.utf8))
    #expect(found?.contains(problem) == true, "\(found ?? "nil")")
  }

  @Test(
    "a header's people lines are checked, a second author line is named, the message is not read")
  func header() {
    let tree = String(repeating: "a", count: 40)
    let plain =
      "tree \(tree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 1 +0000\n\n"
    #expect(
      IdentityLine.problems(inHeaderOf: Array((plain + "author X <x> <y> 1 +0000\n").utf8)).isEmpty)
    let signed =
      "tree \(tree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 1 +0000\n"
      + "gpgsig -----BEGIN SSH SIGNATURE-----\n author <x> <y>\n -----END SSH SIGNATURE-----\n\nmsg\n"
    #expect(IdentityLine.problems(inHeaderOf: Array(signed.utf8)).isEmpty)
    let twice =
      "tree \(tree)\nauthor A <a@example.com> 1 +0000\nauthor B <b@example.com> 1 +0000\n"
      + "committer C <c> <d> 1 +0000\n\nmsg\n"
    let problems = IdentityLine.problems(inHeaderOf: Array(twice.utf8))
    #expect(problems.count == 2, "\(problems)")
    #expect(problems.contains("it has more than one author line"))
    #expect(
      problems.contains {
        $0.hasPrefix("its committer line \"committer C <c> <d> 1 +0000\" has 2 '<'")
      })
  }
}
