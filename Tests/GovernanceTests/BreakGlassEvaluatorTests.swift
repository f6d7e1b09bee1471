import Foundation
import Testing

@testable import Governance

/// Emergency and freeze-override exceptions, freezes, evidence, change records and incidents,
/// judged by the evaluator alone.
@Suite("break glass, freezes, evidence, change records and incidents")
struct BreakGlassEvaluatorTests {
  static let emergencyPolicyText = contractPolicyText.replacingOccurrences(
    of: "admins:",
    with: """
      freezes:
        timezone: Europe/London
        windows:
          - name: code-yellow
            from: 2026-11-22T00:00
            until: 2026-11-23T00:00
      evidence:
        normal: [tests]
      require_change: [emergency]
      emergency:
        approvals: 1
        roles: {security: 1}
        validation_within: 4h
        review_within: 24h
      admins:
      """)

  func exception(_ kind: ExceptionKind, by signer: Person, at created: String = hoursAgo(1))
    -> Signed<ReleaseException>
  {
    Signed(
      record: ReleaseException(
        by(signer, at: created), release: releaseID, target: OID.releasedCommit,
        tree: OID.releasedTree,
        ref: releasedRef, policy: OID.policyInForce, exception: kind, reason: "outage"),
      path: "releases/\(releaseID)/exception-\(signer.id).json", signer: signer)
  }

  func evidence(_ kind: String, by person: Person, at created: String = hoursAgo(1)) -> Signed<
    Evidence
  > {
    Signed(
      record: Evidence(
        by(person, at: created), release: releaseID, target: OID.releasedCommit,
        tree: OID.releasedTree,
        ref: releasedRef, evidence: kind, sha256: String(repeating: "a", count: 64), size: 10),
      path: "releases/\(releaseID)/evidence-\(kind).json", signer: person)
  }

  func release(type: ReleaseType = .normal) throws -> Release {
    Release(policy: try PolicyParser.parse(Self.emergencyPolicyText), type: type)
  }

  @Test(
    "inside a freeze an approved release is blocked, naming the window, its end and who may override it"
  )
  func freezeBlocks() throws {
    var release = try release()
    release.approvals = [approval(by: Cast.carol)]
    var facts = release.facts
    facts.evidence = [evidence("tests", by: Cast.bob)]
    let readiness = release.evaluator.evaluate(facts)
    #expect(readiness.status == .blocked)
    let message = try #require(readiness.messages("freeze", .blocker).first)
    #expect(
      message.contains("frozen until Mon 2026-11-23 00:00 Europe/London (window \"code-yellow\")"))
    #expect(
      message.contains(
        "carol or dave can run: git govern exception \(releaseID) --kind freeze-override"))
  }

  @Test("a freeze worked out once for many evaluations is used only for the inputs it was made for")
  func knownFreeze() throws {
    var release = try release()
    release.approvals = [approval(by: Cast.carol)]
    var facts = release.facts
    facts.evidence = [evidence("tests", by: Cast.bob)]
    var evaluator = release.evaluator
    let plain = evaluator.evaluate(facts)
    #expect(plain.status == .blocked)
    // Worked out for the same inputs: the same judgement.
    evaluator.knownFreeze = KnownFreeze(
      policy: evaluator.policy.freezes, adHoc: facts.adHocFreezes, at: evaluator.now)
    #expect(
      evaluator.evaluate(facts).messages("freeze", .blocker) == plain.messages("freeze", .blocker))
    // Worked out without the freeze (no windows), or for another instant, or other ad-hoc
    // freezes: not used, so the release is still frozen.
    let unfrozen = FreezePolicy(timeZone: nil, windows: [])
    for known in [
      KnownFreeze(policy: unfrozen, adHoc: facts.adHocFreezes, at: evaluator.now),
      KnownFreeze(
        policy: evaluator.policy.freezes, adHoc: facts.adHocFreezes,
        at: evaluator.now.addingTimeInterval(-30 * 86400)),
      KnownFreeze(
        policy: evaluator.policy.freezes,
        adHoc: [
          AdHocFreeze(
            id: "f-1", reason: "x", from: evaluator.now, until: evaluator.now, timeZone: .utc)
        ], at: evaluator.now),
    ] {
      #expect(known.occurrence == nil || known.instant == evaluator.now)
      evaluator.knownFreeze = known
      #expect(
        evaluator.evaluate(facts).messages("freeze", .blocker) == plain.messages("freeze", .blocker)
      )
    }
  }

  @Test(
    "a freeze-override by a security person lets an approved release through; one by a developer does not count"
  )
  func freezeOverride() throws {
    var release = try release()
    release.approvals = [approval(by: Cast.carol)]
    var facts = release.facts
    facts.evidence = [evidence("tests", by: Cast.bob)]
    facts.exceptions = [exception(.freezeOverride, by: Cast.erin)]
    #expect(release.evaluator.evaluate(facts).status == .blocked)
    #expect(
      release.evaluator.evaluate(facts).messages("exception", .warn).contains {
        $0.contains("erin does not hold an emergency role")
      })
    facts.exceptions.append(exception(.freezeOverride, by: Cast.dave))
    let readiness = release.evaluator.evaluate(facts)
    #expect(readiness.status == .readyWithWarnings)
    #expect(
      readiness.messages("freeze", .warn).first?.contains(
        "overridden by the freeze-override exception of dave") == true)
  }

  @Test("a freeze-override does not replace approvals; an emergency does, and opens obligations")
  func emergencyReplacesApprovals() throws {
    var release = try release(type: .emergency)
    var facts = release.facts
    facts.request.record.change = "INC-1"
    facts.exceptions = [exception(.freezeOverride, by: Cast.dave)]
    #expect(release.evaluator.evaluate(facts).messages("approvals", .blocker).count == 1)
    facts.exceptions = [exception(.emergency, by: Cast.dave)]
    let readiness = release.evaluator.evaluate(facts)
    #expect(readiness.status == .readyWithWarnings)
    #expect(
      readiness.messages("obligations", .warn).contains {
        $0.contains("post-deploy validation due by")
      })
    #expect(
      readiness.messages("obligations", .warn).contains {
        $0.contains("retrospective review due by")
      })
    release.at = now.addingTimeInterval(5 * 3600)
    #expect(
      release.evaluator.evaluate(facts).messages("obligations", .warn).contains {
        $0.contains("validation OVERDUE")
      })
  }

  @Test(
    "an expired exception, one for another commit, or one made under another policy does not count")
  func exceptionsThatDoNotCount() throws {
    let release = try release(type: .emergency)
    var facts = release.facts
    facts.request.record.change = "INC-1"
    var stale = exception(.emergency, by: Cast.dave, at: hoursAgo(80))
    var elsewhere = exception(.emergency, by: Cast.carol)
    elsewhere.record.target = OID.otherCommit
    var oldPolicy = exception(.emergency, by: Cast.carol)
    oldPolicy.record.policy = OID.earlierPolicy
    stale.path += ".stale"
    facts.exceptions = [stale, elsewhere, oldPolicy]
    let readiness = release.evaluator.evaluate(facts)
    #expect(readiness.status == .blocked)
    let reasons = readiness.messages("exception", .warn)
    #expect(reasons.contains { $0.contains("has expired") })
    #expect(reasons.contains { $0.contains("not this push") })
    #expect(reasons.contains { $0.contains("earlier policy") })
  }

  @Test("missing evidence and a missing change record block, each naming the command that fixes it")
  func evidenceAndChange() throws {
    let release = try release(type: .emergency)
    var facts = release.facts
    facts.exceptions = [exception(.emergency, by: Cast.dave)]
    let readiness = release.evaluator.evaluate(facts)
    #expect(readiness.messages("change", .blocker).first?.contains("--change <id>") == true)
    var normal = try self.release()
    normal.approvals = [approval(by: Cast.carol)]
    let missing = normal.evaluate().messages("evidence", .blocker)
    #expect(
      missing == [
        "normal releases need tests evidence; add it: git govern evidence \(releaseID) --kind tests --file <file> (or --url <url>)"
      ])
  }

  @Test("an open incident blocks every release but the one linked to it")
  func incidents() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.carol)]
    var facts = release.facts
    facts.openIncidents = ["INC-9": "checkout down"]
    #expect(
      release.evaluator.evaluate(facts).messages("incident", .blocker).first?.contains(
        "incident INC-9 (checkout down) is open") == true)
    facts.request.record.incident = "INC-9"
    #expect(release.evaluator.evaluate(facts).status == .ready)
  }

  @Test("when the pusher is the only approver and the policy forbids it, the release is blocked")
  func pusherSoleApprover() throws {
    let text = contractPolicyText.replacingOccurrences(
      of: "  authors_may_approve: false",
      with: "  authors_may_approve: false\n  pusher_may_be_sole_approver: false")
    var release = Release(policy: try PolicyParser.parse(text))
    release.approvals = [approval(by: Cast.carol)]
    var facts = release.facts
    facts.pusher = "bob"
    #expect(release.evaluator.evaluate(facts).status == .ready)
    facts.pusher = "carol@example.com"
    #expect(
      release.evaluator.evaluate(facts).messages("approvals", .blocker).first?.contains(
        "carol is pushing and is the only approver") == true)
    facts.approvals.append(approval(by: Cast.dave))
    #expect(release.evaluator.evaluate(facts).status == .ready)
  }
}
