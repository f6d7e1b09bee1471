import Foundation
import Testing

@testable import Governance

/// The rules that must hold when the people the gate governs push against them: the server's
/// identity never approves, an unknown pusher fails closed, exceptions keep the separation of
/// duties, and `standard` is what the policy pre-approves, not what a requester says.
@Suite("policy semantics that hold under pressure")
struct PolicySemanticsTests {
  static let server = Person(
    id: "forge", name: "Forge", emails: ["forge@example.com"], keys: [key("forge")],
    roles: ["server", "security", "incident-commander"])

  func release(_ policy: Policy, type: ReleaseType = .normal) -> Release {
    var release = Release(policy: policy, type: type)
    release.people = People(Cast.everyone.persons + [Self.server])
    return release
  }

  func exception(by signer: Person) -> Signed<ReleaseException> {
    Signed(
      record: ReleaseException(
        by(signer, at: hoursAgo(1)), release: releaseID, target: OID.releasedCommit,
        tree: OID.releasedTree, ref: releasedRef, policy: OID.policyInForce,
        exception: .emergency, reason: "outage"),
      path: "releases/\(releaseID)/exception-\(signer.id).json", signer: signer)
  }

  func emergencyPolicy(_ duties: String = "") throws -> Policy {
    try PolicyParser.parse(
      contractPolicyText.replacingOccurrences(
        of: "  authors_may_approve: false", with: "  authors_may_approve: false\n" + duties
      ).replacingOccurrences(
        of: "admins:", with: "emergency:\n  approvals: 1\n  roles: {security: 1}\nadmins:"))
  }

  @Test("an approval signed by the server's key is not counted, and the server is never offered")
  func serverNeverApproves() throws {
    var release = release(try contractPolicy())
    release.approvals = [approval(by: Self.server)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: forge is the server's identity (role server), which signs push receipts and never approves"
      ])
    let blocker = try #require(readiness.messages("approvals", .blocker).first)
    #expect(blocker.contains("git govern approve") && !blocker.contains("forge"))
  }

  @Test("nobody says who pushes, or the pusher is nobody registered: one approval is not enough")
  func unknownPusherFailsClosed() throws {
    let policy = try PolicyParser.parse(
      contractPolicyText.replacingOccurrences(
        of: "  authors_may_approve: false",
        with: "  authors_may_approve: false\n  pusher_may_be_sole_approver: false"))
    var release = release(policy)
    release.approvals = [approval(by: Cast.carol)]
    var facts = release.facts
    let silent = try #require(
      release.evaluator.evaluate(facts).messages("approvals", .blocker).first)
    #expect(silent.contains("nobody says who is pushing"))
    #expect(silent.contains("GIT_GOVERN_PUSHER") && silent.contains("On the server"))
    facts.pusher = "mallory"
    let unknown = try #require(
      release.evaluator.evaluate(facts).messages("approvals", .blocker).first)
    #expect(unknown.contains("the pusher \"mallory\" is not a registered person"))
    facts.pusher = "bob"
    #expect(release.evaluator.evaluate(facts).status == .ready)
    facts.pusher = nil
    facts.approvals.append(approval(by: Cast.dave))
    #expect(release.evaluator.evaluate(facts).status == .ready)
  }

  @Test(
    "whoever requested the release or wrote its commits cannot break glass for it, unless the policy says so"
  )
  func exceptionsKeepSeparationOfDuties() throws {
    var release = release(try emergencyPolicy(), type: .emergency)
    release.requester = Cast.dave
    release.contributors = [authored(Cast.carol, as: "carol@example.com")]
    var facts = release.facts
    facts.exceptions = [
      exception(by: Cast.dave), exception(by: Cast.carol), exception(by: Self.server),
    ]
    let evaluator = release.evaluator
    let readiness = evaluator.evaluate(facts)
    #expect(readiness.status == .blocked)
    let reasons = readiness.messages("exception", .warn)
    #expect(
      reasons.contains {
        $0.contains("dave requested this release")
          && $0.contains("requester_may_raise_exception: false")
      })
    #expect(
      reasons.contains {
        $0.contains("carol authored or committed")
          && $0.contains("authors_may_raise_exception: false")
      })
    #expect(reasons.contains { $0.contains("forge is the server's identity") })
    #expect(evaluator.exceptionSigners(facts).isEmpty)

    var lenient = release
    lenient.policy = try emergencyPolicy(
      "  requester_may_raise_exception: true\n  authors_may_raise_exception: true")
    #expect(
      lenient.evaluator.evaluate(facts).messages("approvals", .warn).first?.contains("emergency")
        == true)
    #expect(lenient.evaluator.exceptionSigners(facts).map(\.id) == ["carol", "dave"])
  }

  @Test(
    "a change requested as standard is judged as normal unless a template covers requester and paths"
  )
  func standardIsWhatThePolicySays() throws {
    var policy = try contractPolicy()
    var release = release(policy, type: .standard)
    release.changedPaths = ["docs/a.md"]
    func typeWarning() -> String? { release.evaluate().messages("type", .warn).first }
    #expect(typeWarning()?.contains("the policy lists no standard_changes") == true)
    #expect(
      release.evaluate().messages("rule", .pass) == ["rule \"default\" applies (normal, low risk)"])
    #expect(release.evaluate().status == .blocked)

    policy.standardChanges = [
      StandardChange(name: "docs", people: ["carol"], paths: [PathPattern("docs/*.md")])
    ]
    release.policy = policy
    #expect(
      typeWarning()?.contains("alice may request none of the standard changes (\"docs\")") == true)

    policy.standardChanges[0].roles = ["release-manager"]
    release.policy = policy
    release.changedPaths = ["docs/a.md", "src/main.swift"]
    #expect(typeWarning()?.contains("src/main.swift is outside \"docs\" (docs/*.md)") == true)
    release.changedPaths = nil
    #expect(typeWarning()?.contains("could not be worked out") == true)
    release.changedPaths = ["docs/a.md"]
    #expect(release.evaluate().status == .ready)
  }

  @Test("path patterns: * and ? stay in a folder, ** crosses folders")
  func pathPatterns() {
    #expect(PathPattern("docs/**").matches("docs/a/b/c.md"))
    #expect(PathPattern("**/*.md").matches("README.md"))
    #expect(PathPattern("**/*.md").matches("a/b/README.md"))
    #expect(!PathPattern("*.md").matches("docs/README.md"))
    #expect(PathPattern("docs/?.md").matches("docs/a.md"))
    #expect(!PathPattern("docs/?.md").matches("docs/ab.md"))
    #expect(!PathPattern("docs/**").matches("docsx/a"))
    #expect(!PathPattern("docs/*").matches("docs/a/b"))
    #expect(PathPattern.problem("/etc/passwd") != nil)
    #expect(PathPattern.problem("docs/../src") != nil)
  }

  @Test("standard_changes, the exception duties and who declares are read and checked")
  func parsing() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      protected: [refs/heads/main]
      rules: [{name: default, approvals: 1}]
      standard_changes:
        - name: docs
          roles: [release-manager]
          people: [alice]
          paths: ["docs/**", "*.md"]
      separation_of_duties:
        requester_may_raise_exception: true
      incidents: {declare: [sre]}
      freezes: {declare: [change-board]}
      """)
    #expect(
      policy.standardChanges == [
        StandardChange(
          name: "docs", roles: ["release-manager"], people: ["alice"],
          paths: [PathPattern("docs/**"), PathPattern("*.md")])
      ])
    #expect(policy.requesterMayRaiseException && !policy.authorsMayRaiseException)
    #expect(policy.incidentDeclarers == ["sre"] && policy.freezeDeclarers == ["change-board"])
    let defaults = try contractPolicy()
    #expect(defaults.incidentDeclarers == ["policy-admin", "incident-commander"])
    #expect(defaults.freezeDeclarers == ["policy-admin", "release-manager"])
    #expect(defaults.mayDeclareFreeze(Cast.alice) && !defaults.mayDeclareFreeze(Cast.bob))

    #expect(
      policyErrors(
        """
        version: 1
        protected: [refs/heads/main]
        standard_changes:
          - name: docs
            paths: ["/docs"]
        incidents: {declare: []}
        freezes: {declare: [server]}
        """) == [
          "policy.yml:4:5: standard change \"docs\" names nobody who may request it; give `roles:` or `people:` (or both)",
          "policy.yml:5:12: path patterns are relative to the repository root, without a leading /, got \"/docs\"",
          "policy.yml:6:22: incidents.declare lists no role, so nobody could ever do it; name at least one role",
          "policy.yml:7:20: freezes.declare: the server role only signs push receipts; it declares nothing",
        ])
  }

  @Test(
    "policy check warns of standard changes nobody may request and declaring roles nobody holds")
  func lint() throws {
    var policy = try contractPolicy()
    policy.standardChanges = [
      StandardChange(
        name: "docs", roles: ["tech-writer"], people: ["zoe"], paths: [PathPattern("docs/**")])
    ]
    policy.incidentDeclarers = ["sre"]
    let messages = PolicyLint.findings(policy, people: Cast.everyone).map(\.message)
    #expect(
      messages.contains("standard change \"docs\" names zoe, who is not registered in people.yml"))
    #expect(
      messages.contains(
        "nobody registered may request standard change \"docs\", so it pre-approves nothing"))
    #expect(
      messages.contains(
        "nobody registered holds a role of incidents.declare (sre), so nobody can declare an incident"
      ))
    #expect(!messages.contains { $0.contains("freezes.declare") })
  }
}
