import Foundation
import Governance
import Ledger
import Testing

/// A build system's signing key, made and used with `openssl` alone, so the envelopes the
/// tests give git-govern are signed by a tool that shares no code with it.
struct Attester {
  let world: World
  let pem: String
  /// The public key as people.yml holds it: `ssh-ed25519 AAAA…` or `ecdsa-sha2-nistp256 AAAA…`.
  let publicKey: String
  let isEd25519: Bool

  init(_ world: World, name: String, ecdsa: Bool = false) throws {
    self.world = world
    pem = world.root.appendingPathComponent("keys/\(name).pem").path
    isEd25519 = !ecdsa
    try world.expectSuccess(
      world.run(
        ecdsa
          ? [
            "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
            pem,
          ]
          : ["openssl", "genpkey", "-algorithm", "ed25519", "-out", pem], in: world.root))
    let der = pem + ".pub.der"
    try world.expectSuccess(
      world.run(
        ["openssl", "pkey", "-in", pem, "-pubout", "-outform", "DER", "-out", der], in: world.root))
    let spki = [UInt8](try Data(contentsOf: URL(fileURLWithPath: der)))
    func string(_ bytes: [UInt8]) -> [UInt8] {
      withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes
    }
    // The raw key is the end of the SubjectPublicKeyInfo: 32 bytes (ed25519) or the 65-byte
    // uncompressed point (P-256).
    let blob =
      ecdsa
      ? string(Array("ecdsa-sha2-nistp256".utf8)) + string(Array("nistp256".utf8))
        + string(Array(spki.suffix(65)))
      : string(Array("ssh-ed25519".utf8)) + string(Array(spki.suffix(32)))
    publicKey =
      "\(ecdsa ? "ecdsa-sha2-nistp256" : "ssh-ed25519") \(Data(blob).base64EncodedString())"
  }

  /// A statement about `subjects` (name → digest set), with `materials` for a provenance.
  static func statement(
    predicateType: String = "https://slsa.dev/provenance/v1",
    subjects: [(String, [String: String])], materials: [[String: String]] = []
  ) throws -> Data {
    let statement: [String: Any] = [
      "_type": "https://in-toto.io/Statement/v1",
      "subject": subjects.map { ["name": $0.0, "digest": $0.1] },
      "predicateType": predicateType,
      "predicate": [
        "buildDefinition": [
          "buildType": "https://example.com/make/v1",
          "resolvedDependencies": materials.map {
            ["uri": "git+https://example.com/app", "digest": $0]
          },
        ],
        "runDetails": ["builder": ["id": "https://ci.example.com/runner"]],
      ],
    ]
    return try JSONSerialization.data(withJSONObject: statement, options: [.sortedKeys])
  }

  /// One `.intoto.jsonl` line: the statement in a DSSE envelope signed over its PAE.
  func envelope(_ payload: Data, keyid: String = "ci") throws -> String {
    let type = "application/vnd.in-toto+json"
    let pae = Data("DSSEv1 \(type.utf8.count) \(type) \(payload.count) ".utf8) + payload
    let paeFile = world.root.appendingPathComponent("pae-\(UUID().uuidString.prefix(8))")
    try pae.write(to: paeFile)
    let sigFile = paeFile.path + ".sig"
    try world.expectSuccess(
      world.run(
        isEd25519
          ? [
            "openssl", "pkeyutl", "-sign", "-inkey", pem, "-rawin", "-in", paeFile.path, "-out",
            sigFile,
          ]
          : ["openssl", "dgst", "-sha256", "-sign", pem, "-out", sigFile, paeFile.path],
        in: world.root))
    let sig = try Data(contentsOf: URL(fileURLWithPath: sigFile))
    let envelope: [String: Any] = [
      "payloadType": type, "payload": payload.base64EncodedString(),
      "signatures": [["keyid": keyid, "sig": sig.base64EncodedString()]],
    ]
    return String(
      decoding: try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]),
      as: UTF8.self)
  }

  func write(_ lines: [String], to name: String) throws -> String {
    let file = world.root.appendingPathComponent(name)
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    return file.path
  }
}

@Suite("in-toto attestations as evidence")
struct AttestationTests {
  static let provenance = "https://slsa.dev/provenance/v1"

  /// The on-call team with slsa-provenance required for normal releases, a builder `ci`
  /// registered for provenance, and a release of HEAD approved by carol.
  static func setUp(ecdsa: Bool = false) throws -> (OnCallTeam, Attester, String, String) {
    let team = try OnCallTeam(
      policy: fullPolicy(evidence: "{normal: [slsa-provenance]}"))
    let world = team.world
    let ci = try Attester(world, name: "ci", ecdsa: ecdsa)
    let keyFile = world.root.appendingPathComponent("keys/ci-builder.pub")
    try Data((ci.publicKey + " ci@runner\n").utf8).write(to: keyFile)
    try world.expectSuccess(
      world.govern(
        [
          "identity", "builder", "ci", "--key", keyFile.path, "--predicate", provenance,
          "--name", "release workflow",
        ], as: team.alice))
    let listed = try world.govern(["identity", "list", "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [String: Any]
    let builders = json["builders"] as! [[String: Any]]
    #expect(builders.map { $0["builder"] as? String } == ["ci"])
    #expect(builders.first?["predicates"] as? [String] == [provenance])
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let commit = try world.git("rev-parse", "HEAD")
    return (team, ci, release, commit)
  }

  @Test(
    "a builder's signed provenance counts as slsa-provenance evidence; a person's own file of that kind does not"
  )
  func provenanceCounts() throws {
    for ecdsa in [false, true] {
      let (team, ci, release, commit) = try Self.setUp(ecdsa: ecdsa)
      let world = team.world
      let blocked = try world.govern(["status", release])
      #expect(blocked.status == 1)
      #expect(
        blocked.stdout.contains("need slsa-provenance evidence attested by a registered builder"),
        "\(blocked.output)")
      #expect(blocked.stdout.contains("git govern evidence \(release) --attestation"))

      // bob writes a provenance file himself: recorded, but it proves nothing about the build.
      let handMade = world.root.appendingPathComponent("provenance.json")
      try Data("{\"built\": \"by me\"}\n".utf8).write(to: handMade)
      try world.expectSuccess(
        world.govern(
          ["evidence", release, "--kind", "slsa-provenance", "--file", handMade.path], as: team.bob)
      )
      #expect(try world.govern(["status", release]).status == 1)

      // The build's artifact, and a provenance saying it was built from this commit.
      let artifact = world.root.appendingPathComponent("app.tar.gz")
      try Data("the release build\n".utf8).write(to: artifact)
      let digest = try world.run(["sha256sum", artifact.path], in: world.root).stdout.prefix(64)
      let file = try ci.write(
        [
          ci.envelope(
            Attester.statement(
              subjects: [("app.tar.gz", ["sha256": String(digest)])],
              materials: [["gitCommit": commit]]))
        ], to: "build.intoto.jsonl")
      let recorded = try world.govern(["evidence", release, "--attestation", file], as: team.bob)
      try world.expectSuccess(recorded)
      #expect(
        recorded.stdout.contains(
          "Recorded slsa-provenance evidence for \(release): \(Self.provenance) by builder ci, bound by material"
        ), "\(recorded.output)")
      let passing = try world.govern(["status", release])
      #expect(passing.status == 0, "\(passing.output)")

      // The record keeps the envelope whole: an auditor re-verifies the builder's signature
      // with openssl from the record alone.
      let records = try world.git(
        "ls-tree", "-r", "--name-only", "refs/heads/governance",
        LedgerPaths.releaseDirectory(release) + "/")
      let attested = try records.split(separator: "\n").map(String.init)
        .filter { $0.hasSuffix(".json") && $0.contains("evidence-") }
        .map { try world.git("show", "refs/heads/governance:\($0)") }
        .filter { $0.contains("\"attestation\"") }
      try #require(attested.count == 1)
      let record = try JSONSerialization.jsonObject(with: Data(attested[0].utf8)) as! [String: Any]
      let attestation = record["attestation"] as! [String: Any]
      #expect(attestation["builder"] as? String == "ci")
      #expect(attestation["binds"] as? String == "material")
      #expect(attestation["predicate_type"] as? String == Self.provenance)
      let envelopeBytes = Data(base64Encoded: attestation["envelope"] as! String)!
      let envelope = try JSONSerialization.jsonObject(with: envelopeBytes) as! [String: Any]
      let payload = Data(base64Encoded: envelope["payload"] as! String)!
      let type = envelope["payloadType"] as! String
      let pae = world.root.appendingPathComponent("audit-pae")
      try (Data("DSSEv1 \(type.utf8.count) \(type) \(payload.count) ".utf8) + payload).write(
        to: pae)
      let sig = world.root.appendingPathComponent("audit-sig")
      let signatures = envelope["signatures"] as! [[String: Any]]
      try Data(base64Encoded: signatures[0]["sig"] as! String)!.write(to: sig)
      let pub = world.root.appendingPathComponent("audit-pub.pem")
      try world.expectSuccess(
        world.run(["openssl", "pkey", "-in", ci.pem, "-pubout", "-out", pub.path], in: world.root))
      let verified = try world.run(
        ecdsa
          ? ["openssl", "dgst", "-sha256", "-verify", pub.path, "-signature", sig.path, pae.path]
          : [
            "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.path, "-rawin", "-in",
            pae.path, "-sigfile", sig.path,
          ],
        in: world.root)
      #expect(verified.status == 0 && verified.stdout.contains("Verified"), "\(verified.output)")
    }
  }

  @Test(
    "a statement for another digest, a bad signature, an unregistered key, a type the builder may not attest and a wrong --kind are refused, naming what differs; nothing is written"
  )
  func badEnvelopesRefused() throws {
    let (team, ci, release, commit) = try Self.setUp()
    let world = team.world
    let tipBefore = try world.governanceTip()
    let other = String(repeating: "ab", count: 32)
    func refused(_ lines: [String], _ expected: String, kind: String? = nil) throws {
      let file = try ci.write(lines, to: "bad-\(UUID().uuidString.prefix(6)).intoto.jsonl")
      let result = try world.govern(
        ["evidence", release, "--attestation", file] + (kind.map { ["--kind", $0] } ?? []),
        as: team.bob)
      #expect(result.status == 2, "\(result.output)")
      #expect(result.stderr.contains(expected), "\(result.stderr)")
      #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack"))
    }
    // Another artifact, built from another commit.
    try refused(
      [
        ci.envelope(
          Attester.statement(
            subjects: [("other.tar.gz", ["sha256": other])],
            materials: [["gitCommit": String(repeating: "c", count: 40)]]))
      ],
      "is about other.tar.gz sha256:\(other), which is neither the release's commit \(commit)")
    // One byte of the signed payload changed after signing.
    let good = try ci.envelope(
      Attester.statement(subjects: [("app", ["gitCommit": commit])]))
    var object = try JSONSerialization.jsonObject(with: Data(good.utf8)) as! [String: Any]
    var payload = Data(base64Encoded: object["payload"] as! String)!
    payload[payload.count - 2] ^= 0x01
    object["payload"] = payload.base64EncodedString()
    let tampered = String(
      decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
      as: UTF8.self)
    try refused([tampered], "is signed by no key of a registered builder (ci)")
    // The second line is bad: the first one is not recorded either.
    try refused(
      [good, tampered], "line 2: the envelope is signed by no key of a registered builder")
    // A key nobody registered.
    let stranger = try Attester(world, name: "stranger")
    try refused(
      [stranger.envelope(Attester.statement(subjects: [("app", ["gitCommit": commit])]))],
      "is signed by no key of a registered builder")
    // ci may attest provenance only.
    try refused(
      [
        ci.envelope(
          Attester.statement(
            predicateType: "https://in-toto.io/attestation/test-result/v0.1",
            subjects: [("app", ["gitCommit": commit])]))
      ], "which builder ci is not registered to attest")
    try refused(
      [good], "is slsa-provenance evidence (\(Self.provenance)), not --kind tests", kind: "tests")
    try refused(["{\"not\": \"an envelope\"}"], "is not a DSSE envelope")
    #expect(try world.governanceTip() == tipBefore)
    // The good one alone is recorded, bound by the commit itself.
    let file = try ci.write([good], to: "good.intoto.jsonl")
    let result = try world.govern(["evidence", release, "--attestation", file], as: team.bob)
    try world.expectSuccess(result)
    #expect(result.stdout.contains("bound by commit"))
  }

  @Test(
    "a record carrying a builder's envelope for another commit, or one that misstates it, blocks the release and the audit names it"
  )
  func forgedAttestationRecordBlocks() throws {
    let (team, ci, release, commit) = try Self.setUp()
    let world = team.world
    // A genuine envelope, recorded for the release.
    let file = try ci.write(
      [ci.envelope(Attester.statement(subjects: [("app", ["gitCommit": commit])]))],
      to: "good.intoto.jsonl")
    try world.expectSuccess(
      world.govern(["evidence", release, "--attestation", file], as: team.bob))
    #expect(try world.govern(["status", release]).status == 0)

    // A new commit; bob copies the old record into its release, re-signed by him, by hand.
    try world.commit("feature.txt", "more\n", by: team.bob)
    let second = try world.request("HEAD", to: "refs/tags/v1.1.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second], as: team.carol))
    let newCommit = try world.git("rev-parse", "HEAD")
    let tree = try world.git("rev-parse", "HEAD^{tree}")
    let path = try world.git(
      "ls-tree", "-r", "--name-only", "refs/heads/governance",
      LedgerPaths.releaseDirectory(release) + "/"
    ).split(separator: "\n").first { $0.contains("evidence-") && $0.hasSuffix(".json") }!
    var copied = try CanonicalJSON.decode(
      Evidence.self,
      from: Array(try world.git("show", "refs/heads/governance:\(path)").utf8 + [10]),
      path: String(path))
    copied.release = second
    copied.target = newCommit
    copied.tree = tree
    copied.ref = "refs/tags/v1.1.0"
    let gov = try world.governanceWorktree()
    try world.commitGovernance(
      in: gov,
      files: world.recordFiles(
        copied,
        at: "\(LedgerPaths.releaseDirectory(second))/evidence-20261203T000000Z-bob-abcdef.json",
        by: team.bob),
      signedBy: team.bob, message: "evidence copied")
    let blocked = try world.govern(["status", second])
    #expect(blocked.status == 1)
    #expect(
      blocked.stdout.contains(
        "carries an attestation that is about app gitCommit:\(commit), which is neither the release's commit \(newCommit)"
      ), "\(blocked.output)")

    // A record that says its envelope is tests evidence, when the builder signed provenance.
    var misstated = copied
    misstated.release = release
    misstated.target = commit
    misstated.tree = try world.git("rev-parse", "HEAD~1^{tree}")
    misstated.ref = "refs/tags/v1.0.0"
    misstated.evidence = "tests"
    try world.commitGovernance(
      in: gov,
      files: world.recordFiles(
        misstated,
        at: "\(LedgerPaths.releaseDirectory(release))/evidence-20261203T000001Z-bob-abcdef.json",
        by: team.bob),
      signedBy: team.bob, message: "evidence misstated")
    let misstatedStatus = try world.govern(["status", release])
    #expect(misstatedStatus.status == 1)
    #expect(
      misstatedStatus.stdout.contains("the record does not match what the builder signed"),
      "\(misstatedStatus.output)")
    let audit = try world.auditFindings()
    #expect(audit.status == 1)
  }

  @Test("people.yml builders: parsed, rendered back, and refused when a key is also a person's")
  func buildersInPeopleFile() throws {
    let text = """
      people:
        alice:
          name: "Alice"
          emails: ["alice@example.com"]
          keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAliceAliceAliceAliceAliceAliceAliceAliceAl"]
          roles: ["policy-admin"]
      builders:
        ci:
          name: "CI"
          keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuilderBuilderBuilderBuilderBuilderBuilder"]
          predicates: ["https://slsa.dev/provenance/v1"]

      """
    let people = try PeopleFile.parse(text)
    #expect(people.builders.map(\.id) == ["ci"])
    #expect(try PeopleFile.parse(PeopleFile.render(people)) == people)
    #expect(people.person(key: people.builders[0].keys[0]) == nil)
    let clash = text.replacingOccurrences(
      of: "IBuilderBuilderBuilderBuilderBuilderBuilder",
      with: "IAliceAliceAliceAliceAliceAliceAliceAliceAl")
    #expect(throws: InputErrors.self) { try PeopleFile.parse(clash) }
    let noKey = text.replacingOccurrences(
      of:
        "    keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuilderBuilderBuilderBuilderBuilderBuilder\"]\n",
      with: "")
    do {
      _ = try PeopleFile.parse(noKey)
      Issue.record("a builder without keys was accepted")
    } catch {
      #expect(error.description.contains("builder ci needs at least one key"))
    }
  }
}
