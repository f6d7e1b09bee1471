import Foundation
import Ledger
import Testing

@Suite("audit, reports, log and metrics")
struct AuditTests {
  static let closeoutPolicy = """
    version: 1
    protected: [refs/heads/main, refs/tags/v*]
    rules:
      - name: default
        approvals: 1
    approval_ttl: 72h
    closeout_within: 2s
    retention_min: 30d
    emergency:
      approvals: 1
      roles: {security: 1}
      validation_within: 4h
      review_within: 24h

    """

  /// A release of `tag` requested by bob, approved by carol, pushed through the server.
  func ship(_ server: ServerWorld, tag: String) throws -> String {
    let world = server.world
    try world.git("tag", tag)
    let release = try world.request(tag, to: "refs/tags/\(tag)", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", tag], in: world.work))
    return release
  }

  func audit(_ server: ServerWorld, _ extra: [String] = []) throws -> (World.Result, [String: Any])
  {
    let result = try server.world.govern(["audit", "--format", "json"] + extra, in: server.bare)
    let json =
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    return (result, json)
  }

  func findings(_ json: [String: Any]) -> [[String: Any]] {
    json["findings"] as? [[String: Any]] ?? []
  }

  /// Whether one of `findings` is of `check`, about `release`, with `text` in its message.
  func hasFinding(
    _ findings: [[String: Any]], check: String, release: String, saying text: String
  ) -> Bool {
    findings.contains {
      $0["check"] as? String == check && $0["release"] as? String == release
        && ($0["message"] as? String ?? "").contains(text)
    }
  }

  @Test("GIT_GOVERN_TRACE tells how long each phase took, on stderr only")
  func phasesTraced() throws {
    let team = try Team()
    let world = team.world
    try world.git("tag", "v1")
    let release = try world.request("v1", to: "refs/tags/v1", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))
    let plain = try world.govern(["audit", "--format", "json"])
    let traced = try world.govern(
      ["audit", "--format", "json"], environment: ["GIT_GOVERN_TRACE": "1"])
    #expect(!plain.stderr.contains("audit:"))
    let phases = traced.stderr.split(separator: "\n").filter { $0.hasPrefix("audit: ") }
    let names = phases.map { $0.split(separator: "s  ", maxSplits: 1).last.map(String.init) ?? "" }
    #expect(
      names.filter { !$0.hasPrefix("jobs: ") } == [
        "records sealed, commits read", "history re-checked, releases judged",
        "report assembled", "report rendered as json",
      ], "\(traced.stderr)")
    // And, before the releases are said judged, how long each kind of job took in all.
    let jobs = try #require(names.first { $0.hasPrefix("jobs: ") }, "\(traced.stderr)")
    #expect(names.firstIndex(of: jobs)! == 1)
    for kind in ["history check", "releases", "ranges", "notes", "people history"] {
      #expect(
        jobs.range(of: #"\b\#(kind) \d+\.\d\d s \(\d+\)"#, options: .regularExpression) != nil,
        "\(jobs)")
    }
    let seconds = phases.compactMap {
      Double($0.dropFirst(7).prefix { $0 != "s" }.trimmingCharacters(in: .whitespaces))
    }
    #expect(seconds.count == 5 && seconds == seconds.sorted())
    #expect(
      traced.stdout.replacingOccurrences(
        of: #""generated" : "[^"]*""#, with: "", options: .regularExpression)
        == plain.stdout.replacingOccurrences(
          of: #""generated" : "[^"]*""#, with: "", options: .regularExpression))
  }

  @Test("a clean history audits clean, with each release's lineage")
  func cleanHistory() throws {
    let server = try ServerWorld(pusher: "bob")
    let release = try ship(server, tag: "v1.0.0")
    try server.world.expectSuccess(
      server.world.govern(
        ["closeout", release, "--outcome", "deployed", "--push"], as: server.team.bob))
    let (result, json) = try audit(server)
    #expect(result.status == 0, "\(result.output)")
    #expect(json["status"] as? String == "clean")
    #expect(json["finding_count"] as? Int == 0)
    let releases = json["releases"] as? [[String: Any]] ?? []
    let lineage = try #require(releases.first { $0["release"] as? String == release })
    #expect(lineage["state"] as? String == "closed")
    let kinds = (lineage["steps"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    #expect(
      kinds.contains("request") && kinds.contains("approval") && kinds.contains("receipt")
        && kinds.contains("closeout"))
  }

  @Test(
    "a tag pushed straight into the bare repository is a bypass finding naming the ref and commit")
  func bypassFound() throws {
    let server = try ServerWorld()
    _ = try ship(server, tag: "v1.0.0")
    // A commit made after governance began reaches the server on an unprotected branch, and
    // someone with shell access tags it there directly, past the hooks.
    try server.world.commit("sneaky.txt", "x\n", by: server.team.bob)
    try server.world.expectSuccess(
      server.world.run(
        ["git", "push", "-q", "origin", "HEAD:refs/heads/topic"], in: server.world.work))
    let head = try server.world.git("rev-parse", "HEAD")
    try server.world.expectSuccess(
      server.world.run(["git", "tag", "v6.6.6", head], in: server.bare))
    let (result, json) = try audit(server)
    #expect(result.status == 1)
    let bypass = try #require(findings(json).first { $0["check"] as? String == "bypass" })
    #expect(bypass["ref"] as? String == "refs/tags/v6.6.6")
    #expect(bypass["commit"] as? String == head)
  }

  /// Ships a release, then changes its folder in a worktree of the server's governance branch
  /// (`change` gets the folder and the name of its approval's record), commits everything, and
  /// forces that commit onto the server's branch, past the hooks. Returns the release and the
  /// approval's file name.
  func forceChangeIntoReleaseFolder(
    _ server: ServerWorld, _ change: (URL, String) throws -> Void
  ) throws -> (release: String, approval: String) {
    let world = server.world
    let release = try ship(server, tag: "v1.0.0")
    let gov = world.root.appendingPathComponent("gov")
    try world.git("fetch", "-q", "origin", "governance:refs/remotes/origin/governance")
    try world.git("worktree", "add", "-q", gov.path, "origin/governance")
    let directory = gov.appendingPathComponent(LedgerPaths.releaseDirectory(release))
    let approval = try #require(
      try FileManager.default.contentsOfDirectory(atPath: directory.path).first {
        $0.hasPrefix("approval-") && $0.hasSuffix(".json")
      })
    try change(directory, approval)
    try world.git("add", "-A", ".", in: gov)
    try world.git("commit", "-q", "-m", "forced", in: gov)
    try world.expectSuccess(
      world.run(
        ["git", "push", "-q", "--no-verify", "origin", "HEAD:refs/scratch/forced"], in: gov))
    try world.expectSuccess(
      world.run(
        ["git", "update-ref", "refs/heads/governance", "refs/scratch/forced"], in: server.bare))
    return (release, approval)
  }

  @Test("a record tampered with and forced into the server's governance branch is found")
  func tamperedRecordFound() throws {
    let server = try ServerWorld()
    let (release, approval) = try forceChangeIntoReleaseFolder(server) { directory, approval in
      let file = directory.appendingPathComponent(approval)
      try Data(
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
          of: "\"carol\"", with: "\"carol\" "
        ).utf8
      ).write(to: file)
    }
    let (result, json) = try audit(server)
    #expect(result.status == 1)
    #expect(
      findings(json).contains {
        $0["check"] as? String == "governance-history"
          && ($0["message"] as? String ?? "").contains(
            "changes \(LedgerPaths.releaseDirectory(release))/\(approval)")
      })
    #expect(
      findings(json).contains {
        $0["check"] as? String == "records" && ($0["release"] as? String) == release
      })
  }

  @Test("a signature swapped for another record's, and one removed, are found by the audit")
  func swappedAndMissingSignaturesFound() throws {
    let server = try ServerWorld()
    // The approval now carries the request's signature; the request has none.
    let (release, approval) = try forceChangeIntoReleaseFolder(server) { directory, approval in
      try FileManager.default.removeItem(at: directory.appendingPathComponent(approval + ".sig"))
      try FileManager.default.moveItem(
        at: directory.appendingPathComponent("request.json.sig"),
        to: directory.appendingPathComponent(approval + ".sig"))
    }
    let folder = LedgerPaths.releaseDirectory(release)
    let (result, json) = try audit(server)
    #expect(result.status == 1)
    let messages = findings(json).filter { $0["check"] as? String == "records" }.compactMap {
      $0["message"] as? String
    }
    #expect(messages.contains { $0.contains("\(folder)/request.json has no signature beside it") })
    #expect(
      messages.contains {
        $0.contains("\(folder)/\(approval) signature by") && $0.contains("does not verify")
      })
  }

  @Test("a policy change that authorised itself (plain commit, forced in) is found")
  func selfAuthorisedPolicyFound() throws {
    let server = try ServerWorld()
    let world = server.world
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    let policy = gov.appendingPathComponent("policy.yml")
    try Data(
      try String(contentsOf: policy, encoding: .utf8).replacingOccurrences(
        of: "approvals: 1\n", with: "approvals: 0\n"
      ).utf8
    ).write(to: policy)
    try world.git("commit", "-q", "-am", "no more approvals", in: gov)
    try world.expectSuccess(
      world.run(
        ["git", "push", "-q", "--no-verify", "origin", "HEAD:refs/scratch/policy"], in: gov))
    try world.expectSuccess(
      world.run(
        ["git", "update-ref", "refs/heads/governance", "refs/scratch/policy"], in: server.bare))
    let (result, json) = try audit(server)
    #expect(result.status == 1)
    #expect(
      findings(json).contains {
        ($0["message"] as? String ?? "").contains("policy.yml")
          && ($0["message"] as? String ?? "").contains("not signed by enough policy-admins")
      })
  }

  @Test(
    "the releases' findings come out in the order of their folders, whatever order they were requested and judged in"
  )
  func findingsInFolderOrder() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.expectSuccess(world.applyPolicy(Self.closeoutPolicy, by: server.team.alice))
    try world.expectSuccess(world.govern(["sync"], as: server.team.alice))
    // Six releases pushed and never closed out: each one's closeout falls due 2 s after its push.
    let released = try (1...6).map { try ship(server, tag: "v3.\($0).0") }
    sleep(3)
    let (result, json) = try audit(server)
    #expect(result.status == 1)
    let overdue = findings(json).filter {
      $0["check"] as? String == "closeout"
        && ($0["message"] as? String ?? "").hasPrefix("no closeout, due by")
    }.compactMap { $0["release"] as? String }
    #expect(Set(overdue) == Set(released), "\(findings(json))")
    // The folders' order: by shard (the id's two characters after "r-"), then by id.
    let folderOrder = released.sorted {
      (LedgerPaths.releaseShard($0), $0) < (LedgerPaths.releaseShard($1), $1)
    }
    #expect(overdue == folderOrder, "requested in the order \(released)")
  }

  @Test("overdue emergency obligations, a late closeout and a missing one are found")
  func obligationsAndCloseouts() throws {
    let server = try ServerWorld(pusher: "bob")
    let world = server.world
    try world.expectSuccess(world.applyPolicy(Self.closeoutPolicy, by: server.team.alice))
    try world.expectSuccess(world.govern(["sync"], as: server.team.alice))
    // An emergency release: the exception replaces approvals; nobody validates or reviews.
    try world.git("tag", "v2.0.0")
    let emergency = try world.request(
      "v2.0.0", to: "refs/tags/v2.0.0", as: server.team.bob, extra: ["--type", "emergency"])
    try world.expectSuccess(
      world.govern(["exception", emergency, "--reason", "outage", "--push"], as: server.team.erin))
    try world.expectSuccess(
      world.run(["git", "push", "--no-verify", "origin", "v2.0.0"], in: world.work))
    // A normal release closed out after its 2-second deadline.
    let late = try ship(server, tag: "v2.1.0")
    sleep(3)
    try world.expectSuccess(
      world.govern(["closeout", late, "--outcome", "rolled-back", "--push"], as: server.team.bob))
    let dayLater = World.iso(Date().addingTimeInterval(25 * 3600))
    let (result, json) = try audit(server, ["--at", dayLater])
    #expect(result.status == 1)
    let all = findings(json)
    #expect(hasFinding(all, check: "obligations", release: emergency, saying: "validation OVERDUE"))
    #expect(hasFinding(all, check: "obligations", release: emergency, saying: "review OVERDUE"))
    #expect(hasFinding(all, check: "closeout", release: emergency, saying: "no closeout"))
    #expect(hasFinding(all, check: "closeout", release: late, saying: "came late"))

    // Every format renders the same findings.
    for format in ["text", "markdown", "html"] {
      let output = world.root.appendingPathComponent("report.\(format)")
      let rendered = try world.govern(
        ["audit", "--format", format, "--output", output.path, "--at", dayLater], in: server.bare)
      #expect(rendered.status == 1)
      let text = try String(contentsOf: output, encoding: .utf8)
      #expect(text.contains(emergency), "\(format) report names the release")
    }
    let html = try String(
      contentsOf: world.root.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("id=\"timeline\"") && !html.contains("src=\"http"))

    // Metrics, checked against values computed here from the records themselves.
    let metrics = try world.govern(["metrics", "--json"], in: server.bare)
    try world.expectSuccess(metrics)
    let figures = try #require(
      (try JSONSerialization.jsonObject(with: Data(metrics.stdout.utf8)) as? [String: Any])?[
        "overall"] as? [String: Any])
    #expect(figures["releases"] as? Int == 2)
    #expect(figures["emergencies"] as? Int == 1)
    #expect(figures["exceptions"] as? Int == 1)
    #expect(figures["rollback_rate"] as? Double == 1.0, "one closeout, rolled back")
    #expect(figures["change_failure_rate"] as? Double == 1.0)
    let log = try world.govern(["log", "--json"], in: server.bare)
    let events =
      (try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [String: Any])?["events"]
      as? [[String: Any]] ?? []
    let approvals = events.filter {
      $0["release"] as? String == late && $0["kind"] as? String == "approval"
    }
    let request = try #require(
      events.first { $0["release"] as? String == late && $0["kind"] as? String == "request" })
    let approvedAt = try #require(approvals.compactMap { $0["at"] as? String }.max())
    let expectedCycle = Int(
      ISO8601DateFormatter().date(from: approvedAt)!.timeIntervalSince(
        ISO8601DateFormatter().date(from: request["at"] as! String)!))
    let exceptionEvent = try #require(
      events.first { $0["release"] as? String == emergency && $0["kind"] as? String == "exception" }
    )
    let emergencyRequest = try #require(
      events.first { $0["release"] as? String == emergency && $0["kind"] as? String == "request" })
    let emergencyCycle = Int(
      ISO8601DateFormatter().date(from: exceptionEvent["at"] as! String)!.timeIntervalSince(
        ISO8601DateFormatter().date(from: emergencyRequest["at"] as! String)!))
    let cycles = [expectedCycle, emergencyCycle].sorted()
    #expect(
      figures["approval_cycle_median"] as? Int == cycles[0],
      "nearest-rank median of two values is the lower one")
    #expect(figures["approval_cycle_p90"] as? Int == cycles[1])
  }
}

@Suite("audit ranges")
struct AuditRangeTests {
  /// The author time of `revision` as the audit writes times.
  func authorTime(_ world: World, _ revision: String) throws -> String {
    let result = try world.run(
      ["git", "log", "-1", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "--format=%ad", revision],
      in: world.work, environment: ["TZ": "UTC"])
    try world.expectSuccess(result)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A team whose commits come after the second governance began: commits from that second
  /// are the audit's baseline, never judged.
  func teamPastGenesis() throws -> Team {
    let team = try Team()
    Thread.sleep(forTimeInterval: 1.1)
    return team
  }

  /// The findings and release lineages of the JSON audit of `world`.
  func auditJSON(_ world: World) throws -> (
    findings: [[String: Any]], releases: [[String: Any]]
  ) {
    let result = try world.govern(["audit", "--format", "json"])
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (
      json?["findings"] as? [[String: Any]] ?? [], json?["releases"] as? [[String: Any]] ?? []
    )
  }

  @Test("each release is judged on the commits it brought, whatever was released after it")
  func rangesFollowTheOrderOfReleases() throws {
    let team = try teamPastGenesis()
    let world = team.world
    try world.commit("one.txt", "1\n", by: team.carol)
    try world.git("tag", "v1")
    let first = try world.request("v1", to: "refs/tags/v1", as: team.bob)
    try world.expectSuccess(world.govern(["approve", first], as: team.erin))
    // carol wrote only v1's commit, so she may approve v2, which brings bob's commit alone.
    try world.commit("two.txt", "2\n", by: team.bob)
    try world.git("tag", "v2")
    let second = try world.request("v2", to: "refs/tags/v2", as: team.bob)
    try world.expectSuccess(world.govern(["approve", second], as: team.carol))

    let (findings, lineages) = try auditJSON(world)
    #expect(
      !findings.contains { ($0["message"] as? String ?? "").contains("carol") }, "\(findings)")
    #expect(!findings.contains { $0["ref"] as? String == "refs/tags/v2" }, "\(findings)")
    let v1 = try #require(lineages.first { $0["release"] as? String == first })
    let v2 = try #require(lineages.first { $0["release"] as? String == second })
    // v1 brought the whole history before it (v2, a later tag, does not hide it); v2 only bob's commit.
    let root = try world.git("rev-list", "--max-parents=0", "HEAD")
    #expect(v1["first_commit_at"] as? String == (try authorTime(world, root)))
    #expect(v2["first_commit_at"] as? String == (try authorTime(world, "v2")))
    #expect(v2["state"] as? String != "blocked", "\(v2)")
  }

  @Test("an audit in a shallow clone stops at once and says how to get the whole history")
  func shallowCloneAudit() throws {
    let team = try teamPastGenesis()
    let world = team.world
    try world.commit("one.txt", "1\n", by: team.carol)
    try world.commit("two.txt", "2\n", by: team.bob)
    try world.git("tag", "v1")
    let release = try world.request("v1", to: "refs/tags/v1", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.erin))
    let shallow = try world.shallowClone("shallow-audit")
    let result = try world.govern(["audit", "--format", "json"], in: shallow)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.contains("shallow clone") && result.stderr.contains("git fetch --unshallow"),
      "\(result.stderr)")
    // The whole history audits.
    try world.expectSuccess(world.run(["git", "fetch", "-q", "--unshallow"], in: shallow))
    let whole = try world.govern(["audit", "--format", "json"], in: shallow)
    #expect(whole.status == 0 || whole.status == 1, "\(whole.stderr)")
    #expect(whole.stdout.contains(release))
  }

  @Test("an approver who wrote a commit of the range the audit works out is not counted")
  func authorsInTheAuditedRange() throws {
    let team = try teamPastGenesis()
    let world = team.world
    // v1 is tagged but never released: v2's range, as the audit works it out from the
    // releases, reaches carol's commit, though at approval time the v1 tag hid it.
    try world.commit("one.txt", "1\n", by: team.carol)
    try world.git("tag", "v1")
    try world.commit("two.txt", "2\n", by: team.bob)
    try world.git("tag", "v2")
    let release = try world.request("v2", to: "refs/tags/v2", as: team.bob)
    try world.expectSuccess(world.govern(["approve", release], as: team.carol))

    let (findings, lineages) = try auditJSON(world)
    let v2 = try #require(lineages.first { $0["release"] as? String == release })
    // Not ready without carol's approval: so the tag was pushed past the gate.
    #expect(
      findings.contains {
        $0["release"] as? String == release && $0["ref"] as? String == "refs/tags/v2"
          && ($0["message"] as? String ?? "").contains("no release ready")
      }, "\(findings)")
    let root = try world.git("rev-list", "--max-parents=0", "HEAD")
    #expect(v2["first_commit_at"] as? String == (try authorTime(world, root)))
  }
}
