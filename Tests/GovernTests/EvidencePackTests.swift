import Foundation
import Ledger
import Testing

@Suite("the sealed evidence pack: export, verify-pack, and the same checks with stock tools")
struct EvidencePackTests {
  /// A release of HEAD approved by carol, with a test report, an attested provenance and a
  /// closeout naming the built artifact.
  static func releaseWithEvidence() throws -> (OnCallTeam, String, URL) {
    let team = try OnCallTeam(policy: fullPolicy(evidence: "{normal: [tests]}"))
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let report = world.root.appendingPathComponent("junit.xml")
    try Data("<testsuite tests=\"3\"/>\n".utf8).write(to: report)
    try world.expectSuccess(
      world.govern(["evidence", release, "--kind", "tests", "--file", report.path], as: team.bob))
    let ci = try Attester(world, name: "ci")
    let keyFile = world.root.appendingPathComponent("keys/ci.pub")
    try Data((ci.publicKey + "\n").utf8).write(to: keyFile)
    try world.expectSuccess(
      world.govern(["identity", "builder", "ci", "--key", keyFile.path], as: team.alice))
    let commit = try world.git("rev-parse", "HEAD")
    let envelope = try ci.write(
      [ci.envelope(Attester.statement(subjects: [("app", ["gitCommit": commit])]))],
      to: "build.intoto.jsonl")
    try world.expectSuccess(
      world.govern(["evidence", release, "--attestation", envelope], as: team.bob))
    let artifact = world.root.appendingPathComponent("app.tar.gz")
    try Data("the built app\n".utf8).write(to: artifact)
    try world.expectSuccess(
      world.govern(
        ["closeout", release, "--outcome", "deployed", "--artifact", artifact.path], as: team.bob))
    try world.expectSuccess(
      world.govern(["retention", "hold", release, "--reason", "audit sample"], as: team.alice))
    return (team, release, artifact)
  }

  /// The indented command blocks of VERIFY.md's numbered steps, by step number.
  static func verifySteps(_ text: String) -> [Int: String] {
    var steps: [Int: String] = [:]
    var current: Int?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if let number = Int(line.prefix { $0.isNumber }),
        line.dropFirst(String(number).count).hasPrefix(". ")
      {
        current = number
      } else if let current, line.hasPrefix("       ") {
        steps[current, default: ""] += line.dropFirst(7) + "\n"
      }
    }
    return steps
  }

  @Test(
    "export seals the records, policy, people, signers, artifact hashes, bundle and report; verify-pack and VERIFY.md's stock commands both re-check it"
  )
  func exportVerifiesWithStockTools() throws {
    let (team, release, artifact) = try Self.releaseWithEvidence()
    let world = team.world
    let catalog = world.root.appendingPathComponent("controls.yml")
    try Data(
      """
      version: 1
      framework: SOC 2
      controls:
        - id: CC8.1
          title: Changes are authorised, tested and approved before they go out
          checks: [approvals, evidence]

      """.utf8
    ).write(to: catalog)
    try world.expectSuccess(world.govern(["controls", "apply", catalog.path], as: team.alice))
    let pack = world.root.appendingPathComponent("pack.tar")
    let exported = try world.govern(
      ["export", "--release", release, "--out", pack.path], as: team.alice)
    try world.expectSuccess(exported)
    #expect(exported.stdout.contains("signed by alice"), "\(exported.output)")

    let verified = try world.govern(["verify-pack", pack.path], in: world.root)
    #expect(verified.status == 0, "\(verified.output)")
    #expect(verified.stdout.contains("holds."))
    #expect(verified.stdout.contains("the manifest is signed by alice"))
    #expect(verified.stdout.contains("records verify by the people they name"))
    #expect(verified.stdout.contains("proves the pack's policy.yml and people.yml in force"))

    let since = world.root.appendingPathComponent("since.tar")
    try world.expectSuccess(
      world.govern(
        ["export", "--since", "2000-01-01T00:00:00Z", "--out", since.path], as: team.bob))
    let sinceVerified = try world.govern(["verify-pack", since.path], in: world.root)
    #expect(sinceVerified.status == 0, "\(sinceVerified.output)")
    #expect(sinceVerified.stdout.contains("the manifest is signed by bob"))
    #expect(sinceVerified.stdout.contains("audit.json is the report for these 1 release(s)"))

    // Stock tools only, from VERIFY.md itself.
    let unpacked = world.root.appendingPathComponent("unpacked")
    try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
    try world.expectSuccess(world.run(["tar", "-xf", pack.path], in: unpacked))
    let folder = unpacked.appendingPathComponent("govern-pack")
    let listing = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
    for expected in [
      "policy.yml", "people.yml", "allowed_signers", "ARTIFACTS.sha256", "governance.bundle",
      "audit.json", "audit.html", "EXPORT.json", "VERIFY.md", "MANIFEST.sha256",
      "MANIFEST.sha256.sig", "builders/ci-1.pem",
    ] {
      #expect(listing.contains(expected), "\(expected) missing from \(listing)")
    }
    #expect(listing.contains { $0.hasPrefix("records/") && $0.hasSuffix("request.json") })
    #expect(listing.contains { $0.hasPrefix("records/controls/") && $0.hasSuffix(".json.sig") })
    #expect(listing.contains { $0.hasPrefix("records/retention/\(release)/hold-") })
    let sealedReport =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("audit.json"))) as! [String: Any]
    let controls = try #require(sealedReport["controls"] as? [String: Any])
    #expect(controls["framework"] as? String == "SOC 2")
    #expect(
      (sealedReport["releases"] as? [[String: Any]])?.map { $0["release"] as? String } == [release])
    #expect(listing.filter { $0.hasPrefix("records/") && $0.contains("evidence-") }.count == 4)
    let steps = Self.verifySteps(
      try String(contentsOf: folder.appendingPathComponent("VERIFY.md"), encoding: .utf8))
    #expect(steps.keys.sorted() == [1, 2, 3, 4, 5, 6, 7])
    // The artifact, placed where step 6 looks for it.
    let placed = unpacked.appendingPathComponent(release)
    try FileManager.default.createDirectory(at: placed, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: artifact, to: placed.appendingPathComponent("app.tar.gz"))
    try Data("<testsuite tests=\"3\"/>\n".utf8).write(
      to: placed.appendingPathComponent("junit.xml"))
    for step in 1...6 {
      let result = try world.run(["sh", "-e", "-c", steps[step]!], in: folder)
      #expect(result.status == 0, "step \(step):\n\(steps[step]!)\n\(result.output)")
    }
    // Step 7 with the builder's PEM, by openssl alone.
    let record = listing.first { path in
      path.contains("evidence-") && path.hasSuffix(".json")
        && (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8))?
          .contains("\"attestation\"") == true
    }!
    let seven = steps[7]!.replacingOccurrences(of: "\"$record\"", with: "\"\(record)\"")
      .replacingOccurrences(of: "<builder>", with: "ci")
      .split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    let attested = try world.run(["bash", "-e", "-c", seven], in: folder)
    #expect(
      attested.status == 0 && attested.output.contains("Signature Verified Successfully"),
      "\(attested.output)")
  }

  @Test(
    "one byte changed, a record re-sealed by someone else, or a file added: verify-pack and sha256sum refuse it, naming the file"
  )
  func tamperedPackRefused() throws {
    let (team, release, _) = try Self.releaseWithEvidence()
    let world = team.world
    let pack = world.root.appendingPathComponent("pack.tar")
    try world.expectSuccess(
      world.govern(["export", "--release", release, "--out", pack.path], as: team.alice))

    func repacked(_ name: String, _ change: (URL) throws -> Void) throws -> URL {
      let folder = world.root.appendingPathComponent("edit-\(name)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try world.expectSuccess(world.run(["tar", "-xf", pack.path], in: folder))
      try change(folder.appendingPathComponent("govern-pack"))
      let out = world.root.appendingPathComponent("\(name).tar")
      try world.expectSuccess(world.run(["tar", "-cf", out.path, "govern-pack"], in: folder))
      return out
    }
    // One byte of the policy changed.
    let oneByte = try repacked("one-byte") { folder in
      let file = folder.appendingPathComponent("policy.yml")
      var bytes = try Data(contentsOf: file)
      bytes[bytes.count - 2] ^= 0x20
      try bytes.write(to: file)
      let stock = try world.run(["sha256sum", "--quiet", "-c", "MANIFEST.sha256"], in: folder)
      #expect(stock.status != 0)
      #expect(stock.output.contains("policy.yml: FAILED"), "\(stock.output)")
    }
    let refused = try world.govern(["verify-pack", oneByte.path], in: world.root)
    #expect(refused.status == 1, "\(refused.output)")
    #expect(
      refused.stdout.contains("FAILED: policy.yml: its SHA-256 is"), "\(refused.output)")
    #expect(refused.stdout.contains("it was changed after sealing"))

    // bob edits a record, recomputes the manifest and signs it himself.
    let resealed = try repacked("resealed") { folder in
      let records = try FileManager.default.subpathsOfDirectory(
        atPath: folder.appendingPathComponent("records").path)
      let approval = folder.appendingPathComponent("records").appendingPathComponent(
        records.first { $0.contains("approval-") && $0.hasSuffix(".json") }!)
      let text = try String(contentsOf: approval, encoding: .utf8)
      try Data(
        text.replacingOccurrences(of: "\"actor\":\"carol\"", with: "\"actor\":\"dave\"").utf8
      )
      .write(to: approval)
      let export = folder.appendingPathComponent("EXPORT.json")
      let described = try String(contentsOf: export, encoding: .utf8)
      try Data(
        described.replacingOccurrences(
          of: "\"exporter\" : \"alice\"", with: "\"exporter\" : \"bob\""
        ).utf8
      ).write(to: export)
      try world.expectSuccess(
        world.run(
          [
            "sh", "-c",
            "find . -type f ! -name 'MANIFEST.sha256*' | sed 's|^\\./||' | sort | xargs sha256sum > MANIFEST.sha256",
          ],
          in: folder))
      try FileManager.default.removeItem(at: folder.appendingPathComponent("MANIFEST.sha256.sig"))
      try world.expectSuccess(
        world.run(
          [
            "ssh-keygen", "-q", "-Y", "sign", "-n", "git-govern", "-f", team.bob.key,
            "MANIFEST.sha256",
          ],
          in: folder))
    }
    let forged = try world.govern(["verify-pack", resealed.path], in: world.root)
    #expect(forged.status == 1, "\(forged.output)")
    #expect(forged.stdout.contains("ok: the manifest is signed by bob"), "\(forged.output)")
    #expect(forged.stdout.contains("FAILED: records/"), "\(forged.output)")
    #expect(forged.stdout.contains("approval-"))

    // A file slipped in after sealing.
    let added = try repacked("added") { folder in
      try Data("trust me\n".utf8).write(to: folder.appendingPathComponent("NOTE.txt"))
    }
    let extra = try world.govern(["verify-pack", added.path], in: world.root)
    #expect(extra.status == 1)
    #expect(extra.stdout.contains("FAILED: NOTE.txt: is not in MANIFEST.sha256"), "\(extra.output)")

    // Not a pack at all, and bad arguments.
    let junk = world.root.appendingPathComponent("junk.tar")
    try Data("not a tar".utf8).write(to: junk)
    let notTar = try world.govern(["verify-pack", junk.path], in: world.root)
    #expect(notTar.status == 2)
    #expect(notTar.stderr.contains("junk.tar: is not a tar archive"), "\(notTar.output)")
    let unknown = try world.govern(
      ["export", "--release", "r-0000000000", "--out", pack.path], as: team.alice)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("--release r-0000000000: there is no such release"))
    let neither = try world.govern(["export", "--out", pack.path], as: team.alice)
    #expect(neither.status == 2)
    #expect(neither.stderr.contains("give --release <r-…> (repeatable) or --since <time>"))
  }
}
