import Foundation
import Governance
import Testing

@Suite(
  "stock tools agree with the tool: the exported allowed_signers file carries windows and revocations"
)
struct StockToolsTests {
  /// `2026-12-01T10:00:00Z` → `20261201100000Z`, as `ssh-keygen -O verify-time=` reads UTC.
  func openSSHTime(_ rfc3339: String) -> String { rfc3339.filter(\.isNumber) + "Z" }

  /// Writes `path` of the governance branch and its signature into `folder`; returns the record.
  func checkOut(_ path: String, of world: World, into folder: URL) throws -> URL {
    let record = folder.appendingPathComponent((path as NSString).lastPathComponent)
    for suffix in ["", ".sig"] {
      try world.expectSuccess(
        world.run(
          [
            "sh", "-c",
            "git show \"refs/heads/governance:\(path)\(suffix)\" > \"\(record.path)\(suffix)\"",
          ],
          in: world.work))
    }
    return record
  }

  /// `ssh-keygen -Y verify` of `file` (its `.sig` beside it) as `email`, at `time` if given.
  func stockVerify(
    _ file: URL, as email: String, signers: URL, at time: String? = nil, world: World
  ) throws -> World.Result {
    try world.run(
      [
        "ssh-keygen", "-Y", "verify", "-f", signers.path, "-I", email, "-n", "git-govern", "-s",
        file.path + ".sig",
      ] + (time.map { ["-O", "verify-time=\($0)"] } ?? []),
      in: world.root, stdin: try String(contentsOf: file, encoding: .utf8))
  }

  @Test(
    "carol's approval, signed before her key was revoked, verifies with stock ssh-keygen at its own time; a signature she makes after the revocation does not"
  )
  func revokedKeyAgreesWithStockSSHKeygen() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v1.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.expectSuccess(
      world.govern(["identity", "revoke", "carol", "--reason", "laptop lost"], as: team.alice))
    let signers = world.root.appendingPathComponent("allowed_signers")
    try world.expectSuccess(
      world.govern(["identity", "export", "--allowed-signers", signers.path]))
    let exported = try String(contentsOf: signers, encoding: .utf8)
    let carolLine = try #require(
      exported.split(separator: "\n").first { $0.hasPrefix(team.carol.email + " ") })
    #expect(carolLine.contains(",valid-before=\""), "\(exported)")
    #expect(exported.contains("# carol: revoked at "), "\(exported)")
    #expect(exported.contains(": laptop lost"))

    let folder = world.root.appendingPathComponent("audit-copy")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let paths = try world.git("ls-tree", "-r", "--name-only", "refs/heads/governance")
      .split(separator: "\n").map(String.init)
    let approvalPath = try #require(
      paths.first { $0.contains(release) && $0.contains("/approval-") && $0.hasSuffix(".json") })
    let approval = try checkOut(approvalPath, of: world, into: folder)
    let created = try #require(
      try String(contentsOf: approval, encoding: .utf8).firstMatch(of: /"created":"([^"]+)"/)?.1)

    // At the record's own time the key was valid: stock ssh-keygen agrees with the audit.
    let atItsTime = try stockVerify(
      approval, as: team.carol.email, signers: signers, at: openSSHTime(String(created)),
      world: world)
    #expect(atItsTime.status == 0, "\(atItsTime.output)")
    #expect(atItsTime.stdout.contains("Good \"git-govern\" signature"))
    // The revocation is kept to the second, and a record made in that second still verifies.
    Thread.sleep(forTimeInterval: 1.2)
    // At today's time it is past the key's valid-before.
    let today = try stockVerify(approval, as: team.carol.email, signers: signers, world: world)
    #expect(today.status != 0)
    #expect(today.stderr.contains("expired"), "\(today.output)")
    // The file itself is sound: bob's request, by a key never revoked, verifies today.
    let requestPath = try #require(
      paths.first { $0.contains(release) && $0.hasSuffix("/request.json") })
    let request = try checkOut(requestPath, of: world, into: folder)
    let bobToday = try stockVerify(request, as: team.bob.email, signers: signers, world: world)
    #expect(bobToday.status == 0, "\(bobToday.output)")

    // A signature carol's revoked key makes after the revocation: git-govern refuses it, and so
    // does stock ssh-keygen with the exported file, at the time it was made.
    let forged = folder.appendingPathComponent("late.json")
    try Data("{\"kind\":\"approval\"}\n".utf8).write(to: forged)
    try world.expectSuccess(
      world.run(
        ["ssh-keygen", "-Y", "sign", "-f", team.carol.key, "-n", "git-govern", forged.path],
        in: folder))
    let late = try stockVerify(
      forged, as: team.carol.email, signers: signers, at: openSSHTime(Timestamp.format(Date())),
      world: world)
    #expect(late.status != 0, "\(late.output)")
    #expect(late.stderr.contains("expired"))
    let again = try world.govern(["approve", release], as: team.carol)
    #expect(again.status == 2)
    #expect(again.stderr.contains("was revoked at"))
  }

  @Test(
    "a key valid only until an hour ago, or only from tomorrow, is refused by stock ssh-keygen now and accepted inside its window"
  )
  func windowsAgreeWithStockSSHKeygen() throws {
    let team = try Team()
    let world = team.world
    let frank = try world.persona("frank")
    let gina = try world.persona("gina")
    let anHourAgo = Date().addingTimeInterval(-3600)
    let tomorrow = Date().addingTimeInterval(86400)
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "frank", "--email", frank.email, "--key", frank.publicKey, "--role",
          "security", "--valid-before", Timestamp.format(anHourAgo),
        ], as: team.alice))
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "gina", "--email", gina.email, "--key", gina.publicKey, "--role",
          "security", "--valid-after", Timestamp.format(tomorrow),
        ], as: team.alice))
    let signers = world.root.appendingPathComponent("allowed_signers")
    try world.expectSuccess(
      world.govern(["identity", "export", "--allowed-signers", signers.path]))
    let exported = try String(contentsOf: signers, encoding: .utf8)
    #expect(
      exported.contains(
        "valid-before=\"\(openSSHTime(Timestamp.format(anHourAgo.addingTimeInterval(-1))))\""),
      "\(exported)")
    #expect(exported.contains("valid-after=\"\(openSSHTime(Timestamp.format(tomorrow)))\""))

    let folder = world.root.appendingPathComponent("signed")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (persona, inside) in [
      (frank, anHourAgo.addingTimeInterval(-60)), (gina, tomorrow.addingTimeInterval(60)),
    ] {
      let file = folder.appendingPathComponent("\(persona.id).txt")
      try Data("signed by \(persona.id)\n".utf8).write(to: file)
      try world.expectSuccess(
        world.run(
          ["ssh-keygen", "-Y", "sign", "-f", persona.key, "-n", "git-govern", file.path],
          in: folder))
      let now = try stockVerify(file, as: persona.email, signers: signers, world: world)
      #expect(now.status != 0, "\(persona.id): \(now.output)")
      let within = try stockVerify(
        file, as: persona.email, signers: signers, at: openSSHTime(Timestamp.format(inside)),
        world: world)
      #expect(within.status == 0, "\(persona.id): \(within.output)")
    }
  }

  @Test(
    "identity list shows each key's state: active, expired, not yet valid, revoked with when and why"
  )
  func listShowsKeyStates() throws {
    let team = try Team()
    let world = team.world
    let frank = try world.persona("frank")
    let gina = try world.persona("gina")
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "frank", "--email", frank.email, "--key", frank.publicKey,
          "--valid-before", Timestamp.format(Date().addingTimeInterval(-3600)),
        ], as: team.alice))
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "gina", "--email", gina.email, "--key", gina.publicKey,
          "--valid-after", Timestamp.format(Date().addingTimeInterval(86400)),
        ], as: team.alice))
    try world.expectSuccess(
      world.govern(["identity", "revoke", "carol", "--reason", "laptop lost"], as: team.alice))

    let text = try world.govern(["identity", "list"])
    try world.expectSuccess(text)
    func block(_ id: String) -> String {
      let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      guard let start = lines.firstIndex(where: { $0.hasPrefix("\(id)  ") }) else { return "" }
      return lines[start...].dropFirst().prefix { $0.hasPrefix("    ") }.joined(separator: "\n")
    }
    #expect(block("carol").contains("revoked at "), "\(text.stdout)")
    #expect(block("carol").contains(": laptop lost"))
    #expect(block("frank").contains("  expired at "))
    #expect(block("gina").contains("  not yet valid (valid from "))
    #expect(block("bob").contains("  active"))
    #expect(block("bob").contains("SHA256:"))

    let json = try world.govern(["identity", "list", "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let people = try #require(object?["people"] as? [[String: Any]])
    func states(_ id: String) -> [[String: Any]] {
      people.first { $0["principal"] as? String == id }?["key_states"] as? [[String: Any]] ?? []
    }
    #expect(states("carol").first?["state"] as? String == "revoked")
    #expect(states("carol").first?["revoked_reason"] as? String == "laptop lost")
    #expect(states("carol").first?["revoked_at"] is String)
    #expect(states("frank").first?["state"] as? String == "expired")
    #expect(states("frank").first?["valid_before"] is String)
    #expect(states("gina").first?["state"] as? String == "not yet valid")
    #expect(states("bob").first?["state"] as? String == "active")
    #expect(
      people.allSatisfy {
        ($0["keys"] as? [String])?.count == states($0["principal"] as! String).count
      })
  }

  @Test("a key with both a window and a revocation ends at the earlier of the two")
  func earlierEndWins() throws {
    let revokedAt = try #require(Timestamp.parse("2026-12-01T10:00:00Z"))
    let windowEnd = try #require(Timestamp.parse("2026-12-02T00:00:00Z"))
    let revocation = KeyValidity.Revocation(at: revokedAt, ledger: "0", reason: "lost")
    let both = KeyValidity(validBefore: windowEnd, revoked: revocation)
    #expect(both.allowedSignersOptions == ["valid-before=\"20261201100000Z\""])
    let windowFirst = KeyValidity(
      validAfter: Timestamp.parse("2026-11-01T00:00:00Z"),
      validBefore: Timestamp.parse("2026-11-30T00:00:00Z"), revoked: revocation)
    #expect(
      windowFirst.allowedSignersOptions == [
        "valid-after=\"20261101000000Z\"", "valid-before=\"20261129235959Z\"",
      ])
    #expect(KeyValidity().allowedSignersOptions.isEmpty)
    #expect(both.state(at: revokedAt.addingTimeInterval(-60)).name == "revoked")
    #expect(KeyValidity(validBefore: windowEnd).state(at: windowEnd).name == "expired")
    #expect(
      KeyValidity(validAfter: windowEnd).state(at: revokedAt) == .notYetValid(until: windowEnd))
  }
}
