import Foundation
import Testing

/// A release's lifecycle in `status`, the finality of closed and cancelled releases at the
/// gate, and what the audit's lineage tells an auditor.
@Suite("release lifecycle and the auditor's lineage")
struct LifecycleTests {
  func status(_ world: World, _ release: String) throws -> [String: Any] {
    let result = try world.govern(["status", release, "--json"])
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
      ?? [:]
  }

  func state(_ world: World, _ release: String) throws -> String? {
    try status(world, release)["state"] as? String
  }

  @Test(
    "status walks a release through requested, approved, pushed and closed; a closed one takes no approval"
  )
  func requestedToClosed() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    #expect(try state(world, release) == "requested")
    let text = try world.govern(["status", release])
    #expect(text.stdout.contains("state: requested"), "\(text.output)")
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    #expect(try state(world, release) == "approved")
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v1.0.0"], in: world.work))
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    #expect(try state(world, release) == "pushed")
    let beforeCloseout = ISO8601DateFormatter().string(from: Date())
    sleep(1)
    try world.expectSuccess(
      world.govern(["closeout", release, "--outcome", "deployed", "--push"], as: team.erin))
    // As the repository stood before the closeout, it was pushed and open.
    let then = try world.govern(["status", release, "--json", "--at", beforeCloseout])
    #expect(then.stdout.contains("\"state\" : \"pushed\""), "\(then.output)")
    let closed = try status(world, release)
    #expect(closed["state"] as? String == "closed", "\(closed)")
    let late = try world.govern(["approve", release], as: team.erin)
    #expect(late.status == 1)
    #expect(late.stderr.contains("closed out by erin as deployed"), "\(late.output)")
    #expect(late.stderr.contains("request a new release"), "\(late.output)")
    // The push made before the closeout stays good: the closeout does not reach back.
    let (result, json) = try audit(world, in: server.bare)
    #expect(result.status == 0, "\(result.output)")
    #expect(lineage(json, release)?["state"] as? String == "closed")
  }

  @Test(
    "a cancelled release takes no approval and its push is refused by the server; a withdrawn and a rejected one say so"
  )
  func cancelledWithdrawnRejected() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.git("tag", "v2.0.0")
    let cancelled = try world.request("v2.0.0", to: "refs/tags/v2.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", cancelled, "--push"], as: team.carol))
    try world.expectSuccess(
      world.govern(["closeout", cancelled, "--outcome", "cancelled", "--push"], as: team.erin))
    #expect(try state(world, cancelled) == "cancelled")
    let approve = try world.govern(["approve", cancelled], as: team.erin)
    #expect(approve.status == 1)
    #expect(approve.stderr.contains("was cancelled by erin"), "\(approve.output)")
    let push = try world.run(["git", "push", "--no-verify", "origin", "v2.0.0"], in: world.work)
    #expect(push.status != 0)
    #expect(push.output.contains("was cancelled by erin"), "\(push.output)")
    #expect(push.output.contains("git govern request"), "\(push.output)")
    // The same over the file transport.
    let direct = try world.run(
      ["git", "push", "--no-verify", server.bare.path, "v2.0.0"], in: world.work)
    #expect(direct.status != 0 && direct.output.contains("was cancelled"), "\(direct.output)")

    try world.commit("b.txt", "b", by: team.bob)
    // To tags never made: neither release reaches its ref.
    let withdrawn = try world.request("HEAD", to: "refs/tags/v8.0.0", as: team.bob)
    try world.expectSuccess(
      world.govern(["closeout", withdrawn, "--outcome", "cancelled"], as: team.bob))
    #expect(try state(world, withdrawn) == "withdrawn")

    try world.commit("c.txt", "c", by: team.bob)
    let rejected = try world.request("HEAD", to: "refs/tags/v9.0.0", as: team.bob)
    try world.expectSuccess(
      world.govern(["reject", rejected, "--reason", "not tested"], as: team.carol))
    #expect(try state(world, rejected) == "rejected")

    // A new release of the cancelled commit goes through.
    let again = try world.request("v2.0.0", to: "refs/tags/v2.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", again, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v2.0.0"], in: world.work))
    // The audit's lineage names the same states.
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    let (_, json) = try audit(world, in: world.work)
    #expect(lineage(json, cancelled)?["state"] as? String == "cancelled")
    #expect(lineage(json, withdrawn)?["state"] as? String == "withdrawn")
    #expect(lineage(json, rejected)?["state"] as? String == "rejected")
    #expect(lineage(json, again)?["state"] as? String == "pushed")
  }

  @Test(
    "a cancelled release whose tag reached a repository without hooks is an audit finding"
  )
  func cancelledPushedPastTheGate() throws {
    let team = try Team()
    let world = team.world
    try world.git("tag", "v6.0.0")
    let release = try world.request("v6.0.0", to: "refs/tags/v6.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    try world.expectSuccess(
      world.govern(["closeout", release, "--outcome", "cancelled"], as: team.erin))
    // A bare repository with no hooks takes the tag and the governance branch as they are.
    let bare = world.root.appendingPathComponent("nohooks.git")
    try world.expectSuccess(
      world.run(["git", "clone", "-q", "--bare", world.work.path, bare.path], in: world.root))
    let (result, json) = try audit(world, in: bare)
    #expect(result.status == 1, "\(result.output)")
    let findings = json["findings"] as? [[String: Any]] ?? []
    #expect(
      findings.contains {
        $0["check"] as? String == "lifecycle" && $0["release"] as? String == release
          && ($0["message"] as? String ?? "").contains("was cancelled by erin")
      }, "\(findings)")
    #expect(lineage(json, release)?["state"] as? String == "cancelled")
  }

  @Test(
    "the lineage carries the change id, the rule with required and counted, and the roles an approver had when signing"
  )
  func lineageForAuditors() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    try world.git("tag", "v3.0.0")
    let release = try world.request(
      "v3.0.0", to: "refs/tags/v3.0.0", as: team.bob, extra: ["--change", "CHG-101"])
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    // carol becomes a release manager after she signed: her approval must not show it.
    sleep(2)
    try world.expectSuccess(
      world.govern(["identity", "add", "carol", "--role", "release-manager"], as: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v3.0.0"], in: world.work))
    let (result, json) = try audit(world, in: server.bare)
    #expect(result.status == 0, "\(result.output)")
    let entry = try #require(lineage(json, release))
    #expect(entry["change"] as? String == "CHG-101")
    let rule = try #require(entry["rule"] as? [String: Any])
    #expect(rule["name"] as? String == "default")
    #expect(rule["approvals_required"] as? Int == 1)
    #expect(rule["approvals_counted"] as? Int == 1)
    #expect(rule["approved_by"] as? [String] == ["carol"])
    let approval = try #require(
      (entry["steps"] as? [[String: Any]] ?? []).first { $0["kind"] as? String == "approval" })
    #expect(approval["roles"] as? [String] == ["security"], "\(approval)")
    let people = try world.govern(["identity", "list", "--json"])
    #expect(people.stdout.contains("release-manager"))
    for format in ["markdown", "html"] {
      let report = try world.govern(["audit", "--format", format], in: server.bare)
      #expect(report.stdout.contains("CHG-101"), "\(format)" as Comment)
      #expect(report.stdout.contains("1 approval required, 1 counted (carol)"), "\(format)")
    }
  }

  @Test(
    "a release that reached a protected ref unapproved gets an auditor's remediation, and audit exits 1 on errors"
  )
  func remediationAndErrors() throws {
    let team = try Team()
    let world = team.world
    try world.git("tag", "v4.0.0")
    let release = try world.request("v4.0.0", to: "refs/tags/v4.0.0", as: team.bob)
    let (result, json) = try audit(world, in: world.work)
    #expect(result.status == 1, "\(result.output)")
    let entry = try #require(lineage(json, release))
    let remediation = try #require(entry["remediation"] as? String)
    #expect(remediation.contains("approvals control failed"), "\(remediation)")
    #expect(remediation.contains("could have approved"), "\(remediation)")
    #expect(!remediation.contains("git govern approve"), "\(remediation)")
    let said = result.stdout.components(separatedBy: "\n").filter {
      $0.contains("git govern approve")
    }
    #expect(said.isEmpty, "\(said)")
    let warningOnly = try world.govern(["audit", "--fail-on", "warning"])
    #expect(warningOnly.status == 1)
    let bad = try world.govern(["audit", "--fail-on", "notice"])
    #expect(bad.status == 2, "\(bad.output)")
  }

  @Test("audit --fail-on: warnings pass by default and fail with --fail-on warning")
  func failOnWarnings() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let team = server.team
    let policy = """
      version: 1
      protected: [refs/heads/main, refs/tags/v*]
      rules:
        - name: default
          approvals: 1
      approval_ttl: 72h
      closeout_within: 1s

      """
    try world.expectSuccess(world.applyPolicy(policy, by: team.alice))
    try world.expectSuccess(world.govern(["sync"], as: team.alice))
    try world.git("tag", "v5.0.0")
    let release = try world.request("v5.0.0", to: "refs/tags/v5.0.0", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v5.0.0"], in: world.work))
    sleep(3)
    try world.expectSuccess(world.govern(["sync"], as: team.bob))
    try world.expectSuccess(
      world.govern(["closeout", release, "--outcome", "deployed", "--push"], as: team.erin))
    let (byDefault, json) = try audit(world, in: server.bare)
    let findings = json["findings"] as? [[String: Any]] ?? []
    #expect(!findings.isEmpty, "\(byDefault.output)")
    #expect(findings.allSatisfy { $0["severity"] as? String == "warning" }, "\(findings)")
    #expect(byDefault.status == 0, "\(byDefault.output)")
    let strict = try world.govern(["audit", "--fail-on", "warning"], in: server.bare)
    #expect(strict.status == 1, "\(strict.output)")
    let errorsOnly = try world.govern(["audit", "--fail-on", "error"], in: server.bare)
    #expect(errorsOnly.status == 0, "\(errorsOnly.output)")
  }
}
