import Foundation
import Ledger
import Testing

/// The multi-person loop on a real git daemon: the requester publishes the commit under
/// `refs/govern/review/<release>`, an approver in another clone fetches it by approving, and
/// the requester's stale clone fetches the approval before its pre-push hook judges.
@Suite("the review loop: review refs, approve fetching the commit, pre-push fetching the records")
struct ReviewLoopTests {
  private func remoteRef(_ ref: String, _ server: ServerWorld) throws -> String {
    try server.world.run(["git", "ls-remote", server.url, ref], in: server.world.root).stdout
      .split(separator: "\t").first.map(String.init) ?? ""
  }

  @Test(
    "request --push publishes the review ref; an approver's fresh clone approves, fetching the commit; the requester's stale pre-push takes the approval and the server lets the tag in"
  )
  func requesterApproverLoop() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let (bob, carol) = (server.team.bob, server.team.carol)
    try world.expectSuccess(world.govern(["hooks", "install"]))
    try world.commit("feature.txt", "new\n", by: bob)
    let head = try world.git("rev-parse", "HEAD")

    let requested = try world.govern(
      ["request", "HEAD", "--to", "refs/tags/v2.0.0", "--push"], as: bob)
    try world.expectSuccess(requested)
    let release = requested.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(try world.git("rev-parse", ReviewRef.name(of: release)) == head)
    #expect(try remoteRef(ReviewRef.name(of: release), server) == head)

    // carol's clone has the records after a sync, but not the commit: it is on no branch.
    let clone = try server.clone(for: carol)
    try world.expectSuccess(world.govern(["sync"], in: clone))
    #expect(try world.run(["git", "cat-file", "-e", head], in: clone).status != 0)
    let status = try world.govern(["status", release], in: clone)
    #expect(status.status == 2, "\(status.output)")
    #expect(status.stderr.contains("git fetch origin \(ReviewRef.name(of: release))"))
    let approved = try world.govern(["approve", release, "--push"], in: clone)
    try world.expectSuccess(approved)
    #expect(approved.stderr.contains("Fetching \(head.prefix(10))"), "\(approved.output)")
    #expect(try world.run(["git", "cat-file", "-e", head], in: clone).status == 0)

    // bob's clone has not synced: the pre-push hook fetches the approval before judging.
    try world.git("tag", "v2.0.0")
    let pushed = try world.run(["git", "push", "origin", "v2.0.0"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(pushed.stderr.contains("took origin's newer governance records"), "\(pushed.output)")
    #expect(pushed.stderr.contains("allowed by release \(release)"), "\(pushed.output)")
    #expect(pushed.stderr.contains("receipt for refs/tags/v2.0.0 -> \(release)"))

    // The review ref is no release: no receipt names it, and the audit stays clean.
    let receipts = try world.run(
      ["git", "grep", "-l", "refs/govern/", "refs/heads/governance"],
      in: server.bare)
    #expect(receipts.stdout.isEmpty, "\(receipts.output)")
    let audit = try world.govern(["audit", "--json"], in: server.bare)
    #expect(audit.status == 0, "\(audit.output)")
    #expect(!audit.stdout.contains(ReviewRef.prefix))
  }

  @Test(
    "the server takes a review ref only for a release it holds and only at the requested commit; other refs/govern/ names are refused; deleting one is fine"
  )
  func serverChecksReviewRefs() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let bob = server.team.bob
    let release = try world.request("HEAD", to: "refs/tags/v3.0.0", as: bob)
    let ref = ReviewRef.name(of: release)

    // Before the request reaches the server, it knows no such release.
    let early = try world.run(["git", "push", "--no-verify", "origin", ref], in: world.work)
    #expect(early.status != 0)
    #expect(early.stderr.contains("does not hold as a signed request"), "\(early.output)")

    try world.expectSuccess(world.govern(["sync"], as: bob))
    #expect(try remoteRef(ref, server) == world.git("rev-parse", "HEAD"))

    try world.commit("other.txt", "not requested\n", by: bob)
    let moved = try world.run(
      ["git", "push", "--no-verify", "--force", "origin", "HEAD:\(ref)"], in: world.work)
    #expect(moved.status != 0)
    #expect(
      moved.stderr.contains("must point at the commit \(release) requests"), "\(moved.output)")

    let elsewhere = try world.run(
      ["git", "push", "--no-verify", "origin", "HEAD:refs/govern/anything"], in: world.work)
    #expect(elsewhere.status != 0)
    #expect(elsewhere.stderr.contains("git-govern's namespace"), "\(elsewhere.output)")

    let bogus = try world.run(
      ["git", "push", "--no-verify", "origin", "HEAD:refs/govern/review/r-0000000000"],
      in: world.work)
    #expect(bogus.status != 0)

    let deleted = try world.run(
      ["git", "push", "--no-verify", "origin", ":\(ref)"], in: world.work)
    #expect(deleted.status == 0, "\(deleted.output)")
    #expect(try remoteRef(ref, server).isEmpty)
  }

  @Test(
    "approve names the requester when the remote has no review ref; a pre-push that cannot fetch says to sync, and one with unpublished records says so"
  )
  func approveAndPrePushExplain() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let (bob, carol) = (server.team.bob, server.team.carol)
    try world.commit("feature.txt", "new\n", by: bob)
    let head = try world.git("rev-parse", "HEAD")
    let release = try world.request("HEAD", to: "refs/tags/v4.0.0", as: bob)
    // The records reach the server, the review ref does not.
    try world.git("update-ref", "-d", ReviewRef.name(of: release))
    try world.expectSuccess(world.govern(["sync"], as: bob))

    let clone = try server.clone(for: carol)
    try world.expectSuccess(world.govern(["sync"], in: clone))
    let missing = try world.govern(["approve", release], in: clone)
    #expect(missing.status == 2, "\(missing.output)")
    #expect(missing.stderr.contains("bob, who requested it, publishes it with `git govern sync`"))
    #expect(!missing.stderr.contains("git_"))

    // A record only this clone has: the hook says the server will not see it.
    try world.expectSuccess(world.govern(["approve", release], as: carol))
    let line = "refs/tags/v4.0.0 \(head) refs/tags/v4.0.0 \(String(repeating: "0", count: 40))\n"
    let ahead = try world.govern(
      ["check", "--hook", "pre-push", "origin", server.url], as: bob, stdin: line)
    #expect(ahead.status == 0, "\(ahead.output)")
    #expect(ahead.stderr.contains("has governance records origin does not have yet"))

    // A remote that cannot be fetched: the block says what to do.
    try world.git("update-ref", "refs/heads/governance", "refs/heads/governance~1")
    try world.git("remote", "set-url", "origin", "git://127.0.0.1:1/nothing.git")
    let offline = try world.govern(
      ["check", "--hook", "pre-push", "origin", server.url], as: bob, stdin: line)
    #expect(offline.status == 1, "\(offline.output)")
    #expect(offline.stderr.contains("could not fetch origin's governance branch"))
    #expect(offline.stderr.contains("run `git govern sync`, then push again"))
  }

  @Test("a push to a URL rather than a named remote fetches the records from that URL first")
  func prePushToURL() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    let release = try world.request("HEAD", to: "refs/tags/v6.0.0", as: server.team.bob)
    try world.expectSuccess(world.govern(["sync"], as: server.team.bob))
    let clone = try server.clone(for: server.team.carol)
    try world.expectSuccess(world.govern(["approve", release, "--push"], in: clone))
    let head = try world.git("rev-parse", "HEAD")
    let line = "refs/tags/v6.0.0 \(head) refs/tags/v6.0.0 \(String(repeating: "0", count: 40))\n"
    let checked = try world.govern(
      ["check", "--hook", "pre-push", server.url, server.url], as: server.team.bob, stdin: line)
    #expect(checked.status == 0, "\(checked.output)")
    #expect(checked.stderr.contains("took \(server.url)'s newer governance records"))
  }

  @Test(
    "the audit finds a review ref the server would have refused, made where it was absent; a sound one is no finding"
  )
  func auditFindsBadReviewRefs() throws {
    let team = try Team()
    let world = team.world
    let release = try world.request("HEAD", to: "refs/tags/v5.0.0", as: team.bob)
    let clean = try world.govern(["audit", "--json"])
    #expect(!clean.stdout.contains("review-ref"), "\(clean.output)")
    try world.git("update-ref", ReviewRef.name(of: release), "HEAD~1")
    try world.git("update-ref", "refs/govern/side", "HEAD")
    let audit = try world.govern(["audit", "--json"])
    #expect(audit.status == 1, "\(audit.output)")
    let json = try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any]
    let findings = (json?["findings"] as? [[String: Any]] ?? []).filter {
      $0["check"] as? String == "review-ref"
    }
    #expect(
      Set(findings.compactMap { $0["ref"] as? String }) == [
        ReviewRef.name(of: release), "refs/govern/side",
      ])
  }

  @Test("incident list shows what is open and who opened it; --all keeps the closed ones")
  func incidentList() throws {
    let team = try Team()
    let world = team.world
    let none = try world.govern(["incident", "list"])
    #expect(none.status == 0 && none.stdout.contains("No incident is open"))
    try world.expectSuccess(
      world.govern(["incident", "open", "INC-7", "--title", "db down"], as: team.alice))
    let open = try world.govern(["incident", "list"])
    #expect(open.stdout.contains("INC-7 \"db down\": open"), "\(open.output)")
    #expect(open.stdout.contains("by alice"))
    #expect(open.stdout.contains("git govern incident close INC-7"))
    try world.expectSuccess(world.govern(["incident", "close", "INC-7"], as: team.alice))
    #expect(try world.govern(["incident", "list"]).stdout.contains("No incident is open"))
    let all = try world.govern(["incident", "list", "--all", "--json"])
    let json = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any]
    let listed = json?["incidents"] as? [[String: Any]] ?? []
    #expect(listed.count == 1)
    #expect(listed.first?["state"] as? String == "closed")
    #expect(listed.first?["closed_by"] as? String == "alice")
  }

  @Test("policy pending lists a change short of signatures and the policy-admins who can sign it")
  func policyPending() throws {
    let team = try Team()
    let world = team.world
    let frank = try world.persona("frank")
    try world.register(frank, roles: ["policy-admin"], by: team.alice)
    let two = """
      version: 1
      protected: [refs/tags/v*]
      rules:
        - name: default
          approvals: 1
      admins: {approvals: 2}
      """
    try world.expectSuccess(world.applyPolicy(two, by: team.alice))
    #expect(try world.govern(["policy", "pending"]).stdout.contains("No proposed change"))
    let stricter = two.replacingOccurrences(of: "approvals: 1", with: "approvals: 2")
    try world.expectSuccess(world.applyPolicy(stricter, by: team.alice))
    let pending = try world.govern(["policy", "pending"])
    #expect(pending.status == 0)
    #expect(pending.stdout.contains("policy.yml"), "\(pending.output)")
    #expect(pending.stdout.contains("1 of 2 policy-admin signatures"))
    #expect(pending.stdout.contains("frank can sign: git govern policy approve"))
    let json =
      try JSONSerialization.jsonObject(
        with: Data(try world.govern(["policy", "pending", "--json"]).stdout.utf8)) as? [String: Any]
    let listed = json?["pending"] as? [[String: Any]] ?? []
    #expect(listed.first?["can_sign"] as? [String] == ["frank"])
    #expect(listed.first?["signed_by"] as? [String] == ["alice"])
  }
}
