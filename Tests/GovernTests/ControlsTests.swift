import Foundation
import Governance
import Ledger
import Testing

@Suite("controls: catalogs, audit --controls and the templates")
struct ControlsTests {
  static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("templates/controls")

  /// A small catalog: one control on approvals, one on evidence, one on the server's receipt.
  static let catalog = """
    version: 1
    framework: Test ITGC
    controls:
      - id: CM-03
        title: Changes are approved before production
        checks: [approvals]
      - id: CM-02
        title: Changes are tested
        checks: [evidence]
      - id: CM-05
        title: Only changes through the server's gate reach production
        checks: [gate, receipt]

    """

  func write(_ text: String, _ name: String, in world: World) throws -> String {
    let path = world.root.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// v1.0.0 requested by bob and approved by carol; then v1.1.0 requested by bob and tagged
  /// with no approval at all, as a push with the hooks missing would leave it.
  func oneGoodOneUnapproved(_ team: Team) throws -> (good: String, bad: String) {
    let world = team.world
    try world.git("tag", "v1.0.0")
    let good = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", good], as: team.carol))
    try world.commit("feature.txt", "new\n", by: team.bob)
    try world.git("tag", "v1.1.0")
    let bad = try world.request("v1.1.0", to: "refs/tags/v1.1.0", as: team.bob)
    return (good, bad)
  }

  func controls(_ result: World.Result) throws -> [String: Any] {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      "\(result.output)")
    return try #require(json["controls"] as? [String: Any], "no controls section: \(result.stdout)")
  }

  func control(_ section: [String: Any], _ id: String) throws -> [String: Any] {
    try #require(
      (section["controls"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id },
      "no control \(id) in \(section)")
  }

  @Test("every template parses, and maps each control to checks the gate or the audit produces")
  func templatesParse() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.templates.path)
      .filter { $0.hasSuffix(".yml") }.sorted()
    #expect(files == ["iso27001.yml", "nist-800-53.yml", "soc2.yml", "sox-itgc.yml"])
    var frameworks: [String: [String]] = [:]
    for file in files {
      let text = try String(
        contentsOf: Self.templates.appendingPathComponent(file), encoding: .utf8)
      let catalog = try ControlCatalogParser.parse(text, file: file)
      #expect(!catalog.controls.isEmpty, "\(file) has no controls")
      for control in catalog.controls {
        #expect(!control.title.isEmpty && !control.checks.isEmpty, "\(file): \(control.id)")
        #expect(control.checks.allSatisfy(ControlCheck.ids.contains), "\(file): \(control.id)")
      }
      frameworks[file] = catalog.controls.map(\.id)
    }
    #expect(frameworks["soc2.yml"]?.first == "CC8.1")
    #expect(frameworks["iso27001.yml"]?.contains("A.8.32") == true)
    #expect(frameworks["nist-800-53.yml"]?.contains("CM-3") == true)
    #expect(frameworks["nist-800-53.yml"]?.contains("CM-3(2)") == true)
    #expect(frameworks["sox-itgc.yml"]?.contains("CM-01") == true)
  }

  @Test("a catalog naming a check nobody produces is refused at its line, listing the known checks")
  func unknownCheckRefused() throws {
    let bad = """
      version: 1
      framework: Test
      controls:
        - id: CC8.1
          title: Changes
          checks: [approvals, separation-of-duty]

      """
    #expect(throws: InputErrors.self) { try ControlCatalogParser.parse(bad, file: "c.yml") }
    do {
      _ = try ControlCatalogParser.parse(bad, file: "c.yml")
    } catch {
      #expect(error.errors.count == 1)
      #expect(error.description.hasPrefix("c.yml:6:"), "\(error)")
      #expect(error.description.contains("unknown check \"separation-of-duty\""))
      #expect(error.description.contains("known checks: gate, receipt, request"))
    }
    // The gate's own spelling is taken too, and means the same check.
    let gateSpelling = try ControlCatalogParser.parse(
      "version: 1\nframework: T\ncontrols:\n  - {id: X, title: Y, checks: [signed_commits]}\n")
    #expect(gateSpelling.controls.first?.checks == ["signed-commits"])

    // Through the command: exit 2 with file:line, before any audit runs.
    let team = try Team()
    let path = try write(bad, "bad-controls.yml", in: team.world)
    let result = try team.world.govern(["audit", "--controls", "--controls-file", path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad-controls.yml:6:"), "\(result.stderr)")
    #expect(result.stderr.contains("known checks:"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test(
    "one release approved, one tagged with no approval past the gate: the approvals control shows 1 passing and 1 failing naming it"
  )
  func passingAndFailing() throws {
    let team = try Team()
    let world = team.world
    let (good, bad) = try oneGoodOneUnapproved(team)
    let path = try write(Self.catalog, "controls.yml", in: world)
    let result = try world.govern(
      ["audit", "--controls", "--controls-file", path, "--format", "json"])
    #expect(result.status == 1, "the unapproved tag is a finding: \(result.output)")
    let section = try controls(result)
    #expect(section["framework"] as? String == "Test ITGC")
    #expect(section["sampled"] as? Int == 2)
    #expect((section["source"] as? String)?.contains("--controls-file") == true)

    let approvals = try control(section, "CM-03")
    #expect(approvals["title"] as? String == "Changes are approved before production")
    #expect(approvals["checks"] as? [String] == ["approvals"])
    #expect(approvals["sampled"] as? Int == 2)
    #expect(approvals["passing"] as? Int == 1)
    #expect(approvals["failing"] as? Int == 1)
    #expect(approvals["passed"] as? [String] == [good])
    let failures = approvals["failures"] as? [[String: Any]] ?? []
    #expect(failures.count == 1)
    let failure = try #require(failures.first)
    #expect(failure["release"] as? String == bad)
    #expect(failure["ref"] as? String == "refs/tags/v1.1.0")
    #expect(failure["target"] as? String == (try world.git("rev-parse", "v1.1.0^{commit}")))
    #expect(failure["checks"] as? [String] == ["approvals"])
    #expect(failure["records"] as? String == LedgerPaths.releaseDirectory(bad))
    let reasons = failure["reasons"] as? [String] ?? []
    #expect(reasons.contains { $0.contains("needs 1 more approval") }, "\(reasons)")

    // Nothing required evidence: both pass. Neither went through a server: both fail CM-05,
    // the unapproved one also for the gate.
    let evidence = try control(section, "CM-02")
    #expect(evidence["passing"] as? Int == 2 && evidence["failing"] as? Int == 0)
    let gate = try control(section, "CM-05")
    #expect(gate["failing"] as? Int == 2)
    let gateFailures = gate["failures"] as? [[String: Any]] ?? []
    #expect(
      gateFailures.first { $0["release"] as? String == good }?["checks"] as? [String] == ["receipt"]
    )
    #expect(
      gateFailures.first { $0["release"] as? String == bad }?["checks"] as? [String] == [
        "gate", "receipt",
      ])

    // The lineage keeps what blocked the release, by check.
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let lineage = (json?["releases"] as? [[String: Any]] ?? []).first {
      $0["release"] as? String == bad
    }
    let blockedBy = lineage?["blocked_by"] as? [[String: Any]] ?? []
    #expect(blockedBy.map { $0["check"] as? String } == ["approvals"])

    // The same in words, and in Markdown.
    let text = try world.govern(["audit", "--controls", "--controls-file", path])
    #expect(
      text.stdout.contains(
        "controls (Test ITGC, from \(path) (--controls-file); 2 releases sampled):"))
    #expect(
      text.stdout.contains(
        "  CM-03: Changes are approved before production: 1 passing, 1 failing of 2 (checks: approvals)"
      ),
      "\(text.stdout)")
    #expect(
      text.stdout.contains("    failing \(bad) refs/tags/v1.1.0 [approvals], records releases/"))
    let markdown = try world.govern(
      ["audit", "--controls", "--controls-file", path, "--format", "markdown"])
    #expect(markdown.stdout.contains("## Controls"))
    #expect(
      markdown.stdout.contains(
        "| CM-03 | Changes are approved before production | approvals | 2 | 1 | 1 |"))
    #expect(markdown.stdout.contains("### CM-03: failing releases"))

    // Without --controls the report has no such section.
    let plain = try world.govern(["audit", "--format", "json"])
    #expect(!plain.stdout.contains("\"controls\""))
  }

  @Test(
    "without a catalog, --controls exits 2 saying how to add one; controls apply (a policy-admin) puts one in force, signed, and the audit reports against it"
  )
  func appliedCatalog() throws {
    let team = try Team()
    let world = team.world
    let (_, bad) = try oneGoodOneUnapproved(team)
    let none = try world.govern(["audit", "--controls"])
    #expect(none.status == 2)
    #expect(none.stderr.contains("no control catalog"), "\(none.stderr)")
    #expect(
      none.stderr.contains("git govern controls template soc2 > controls.yml"), "\(none.stderr)")
    #expect(none.stderr.contains("git govern controls apply controls.yml"))

    let path = try write(Self.catalog, "controls.yml", in: world)
    let before = try world.governanceTip()
    let refused = try world.govern(["controls", "apply", path], as: team.bob)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("bob is not a policy-admin"), "\(refused.stderr)")
    #expect(try world.governanceTip() == before, "a refused apply writes nothing")

    try world.expectSuccess(world.govern(["controls", "apply", path], as: team.alice))
    let shown = try world.govern(["controls", "show", "--json"])
    try world.expectSuccess(shown)
    #expect(shown.stdout.contains("\"framework\" : \"Test ITGC\""), "\(shown.stdout)")

    let result = try world.govern(["audit", "--controls", "--format", "json"])
    #expect(result.status == 1)
    let section = try controls(result)
    let source = section["source"] as? String ?? ""
    #expect(
      source.hasPrefix("controls/controls-") && source.contains("signed by alice"), "\(source)")
    let approvals = try control(section, "CM-03")
    #expect(approvals["passing"] as? Int == 1 && approvals["failing"] as? Int == 1)
    #expect(
      (approvals["failures"] as? [[String: Any]])?.first?["release"] as? String == bad)
    // The record passes the history check the server and the audit make of every commit.
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let findings = json?["findings"] as? [[String: Any]] ?? []
    #expect(
      !findings.contains { ["governance-history", "records"].contains($0["check"] as? String) },
      "\(findings)")
  }

  @Test("the server takes a catalog from a policy-admin, and refuses one signed by anyone else")
  func serverGuardsCatalogs() throws {
    let server = try ServerWorld()
    let world = server.world
    let path = try write(Self.catalog, "controls.yml", in: world)
    try world.expectSuccess(
      world.govern(["controls", "apply", path, "--push"], as: server.team.alice))
    // bob writes a catalog record by hand (he is no policy-admin, so the command refuses him)
    // and pushes it: the pre-receive refuses it.
    try world.git("fetch", "-q", "origin", "governance:refs/remotes/origin/governance")
    let gov = world.root.appendingPathComponent("gov-bob")
    try world.git("worktree", "add", "-q", gov.path, "origin/governance")
    let record = try #require(
      try FileManager.default.contentsOfDirectory(
        atPath: gov.appendingPathComponent("controls").path
      ).first { $0.hasSuffix(".json") })
    // Re-signing alice's record as bob makes a well-formed record bob signed.
    let text = try String(
      contentsOf: gov.appendingPathComponent("controls/\(record)"), encoding: .utf8)
    let forged = text.replacingOccurrences(of: "\"actor\":\"alice\"", with: "\"actor\":\"bob\"")
      .replacingOccurrences(
        of: "\"email\":\"\(server.team.alice.email)\"",
        with: "\"email\":\"\(server.team.bob.email)\"")
    let name = "controls/" + record.replacingOccurrences(of: "-alice-", with: "-bob-")
    try Data(forged.utf8).write(to: gov.appendingPathComponent(name))
    try world.expectSuccess(
      world.run(
        [
          "ssh-keygen", "-q", "-Y", "sign", "-f", server.team.bob.key, "-n", "git-govern",
          gov.appendingPathComponent(name).path,
        ], in: gov))
    try world.git("add", ".", in: gov)
    try world.expectSuccess(
      world.run(
        [
          "git", "-c", "user.email=\(server.team.bob.email)", "-c", "user.name=bob", "-c",
          "gpg.format=ssh", "-c", "user.signingkey=\(server.team.bob.key)", "commit", "-q", "-S",
          "-m", "controls by bob",
        ], in: gov))
    let push = try world.run(["git", "push", "origin", "HEAD:refs/heads/governance"], in: gov)
    #expect(push.status != 0, "\(push.output)")
    #expect(
      push.output.contains("is a control catalog signed by bob, who is not a policy-admin"),
      "\(push.output)")
  }
}
