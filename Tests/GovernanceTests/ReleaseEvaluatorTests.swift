import Foundation
import Testing

@testable import Governance

@Suite("release readiness")
struct ReleaseEvaluatorTests {
  let approveCommand = "`git govern approve \(releaseID)`"

  // MARK: - Counting approvals

  struct Approvers: CustomTestStringConvertible, Sendable {
    let story: String
    let risk: Risk
    let approvers: [Person]
    let status: Readiness.Status
    var testDescription: String { story }
  }

  static let approverTable: [Approvers] = [
    Approvers(
      story: "a low-risk change approved by bob is ready", risk: .low, approvers: [Cast.bob],
      status: .ready),
    Approvers(
      story: "a low-risk change nobody approved is blocked", risk: .low, approvers: [],
      status: .blocked),
    Approvers(
      story: "a medium-risk change approved by bob and erin is ready", risk: .medium,
      approvers: [Cast.bob, Cast.erin], status: .ready),
    Approvers(
      story: "a high-risk change approved by bob and carol (security) is ready", risk: .high,
      approvers: [Cast.bob, Cast.carol], status: .ready),
    Approvers(
      story: "a critical change approved by carol and dave (both security) is ready",
      risk: .critical, approvers: [Cast.carol, Cast.dave], status: .ready),
    Approvers(
      story: "a high-risk change approved by bob and erin lacks a security approval", risk: .high,
      approvers: [Cast.bob, Cast.erin], status: .blocked),
    Approvers(
      story: "a high-risk change approved by carol alone lacks a second person", risk: .high,
      approvers: [Cast.carol], status: .blocked),
    Approvers(
      story: "a high-risk change approved twice by bob lacks a second person", risk: .high,
      approvers: [Cast.bob, Cast.bob], status: .blocked),
    Approvers(
      story: "a high-risk change approved twice by carol lacks a second person", risk: .high,
      approvers: [Cast.carol, Cast.carol], status: .blocked),
  ]

  @Test("distinct approvers, and the roles they hold, decide readiness", arguments: approverTable)
  func approverCounting(_ row: Approvers) throws {
    var release = Release(policy: try contractPolicy(), risk: row.risk)
    release.approvals = row.approvers.enumerated().map { index, person in
      approval(by: person, at: hoursAgo(Double(index + 1)))
    }
    #expect(release.evaluate().status == row.status)
  }

  @Test("bob approved and the release is ready, with every check passing")
  func readyWithOneApproval() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(readiness.status == .ready)
    #expect(readiness.release == releaseID)
    #expect(readiness.target == OID.releasedCommit)
    #expect(readiness.ref == releasedRef)
    #expect(
      readiness.checks == [
        Check("request", .pass, "requested by alice for c0ffee1111 to refs/tags/v1.2.0"),
        Check("rule", .pass, "rule \"default\" applies (normal, low risk)"),
        Check("approvals", .pass, "approved by bob"),
      ])
  }

  @Test("bob approved twice, with two keys; he still counts as one person")
  func onePersonCountsOnce() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    release.approvals = [
      approval(by: Cast.bob, at: hoursAgo(3)), approval(by: Cast.bob, at: hoursAgo(1)),
      approval(by: Cast.carol),
    ]
    let readiness = release.evaluate()
    #expect(readiness.status == .ready)
    #expect(readiness.messages("approvals", .pass) == ["approved by bob, carol"])

    release.approvals = [
      approval(by: Cast.bob, at: hoursAgo(3)), approval(by: Cast.bob, at: hoursAgo(1)),
    ]
    #expect(
      release.evaluate().messages("approvals", .blocker).first
        == "needs 1 more approval (rule \"high-risk\" wants 2, has 1): carol, dave or erin can run \(approveCommand)"
    )
  }

  @Test(
    "a high-risk change approved by bob and erin is told who holds the missing security role, and the command"
  )
  func missingRoleNamesEligiblePeople() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    release.approvals = [approval(by: Cast.bob), approval(by: Cast.erin)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers == [
        Check(
          "approvals", .blocker,
          "needs 1 more approval with role security: carol or dave can run \(approveCommand)")
      ])
  }

  @Test("a high-risk change nobody approved lists both what is missing in total and per role")
  func nothingApprovedYet() throws {
    let readiness = Release(policy: try contractPolicy(), risk: .critical).evaluate()
    #expect(
      readiness.messages("approvals", .blocker) == [
        "needs 2 more approvals (rule \"high-risk\" wants 2, has 0): bob, carol, dave or erin can run \(approveCommand)",
        "needs 1 more approval with role security: carol or dave can run \(approveCommand)",
      ])
  }

  @Test("a role demanding more people than the total is still enforced")
  func roleDemandAboveTotal() throws {
    let policy = try PolicyParser.parse(
      "version: 1\nprotected: [refs/tags/v*]\nrules:\n  - {name: two-security, approvals: 1, roles: {security: 2}}\n"
    )
    var release = Release(policy: policy)
    release.approvals = [approval(by: Cast.carol)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers.map(\.message) == [
        "needs 1 more approval with role security: dave can run \(approveCommand)"
      ])
    release.approvals.append(approval(by: Cast.dave))
    #expect(release.evaluate().status == .ready)
  }

  @Test("people registered without a key are not offered as approvers")
  func keylessPeopleNotOffered() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    let keyless = Person(
      id: "frank", name: "Frank", emails: ["frank@example.com"], keys: [], roles: ["security"])
    release.people = Cast.everyone.upserting(keyless)
    release.approvals = [approval(by: Cast.bob), approval(by: Cast.erin)]
    #expect(
      release.evaluate().messages("approvals", .blocker) == [
        "needs 1 more approval with role security: carol or dave can run \(approveCommand)"
      ])
  }

  // MARK: - Separation of duties

  @Test("alice requested the release, so her own approval does not count")
  func requesterMayNotApprove() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.alice)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: alice requested this release, and the policy does not let a requester approve their own release"
      ])
    #expect(
      readiness.messages("approvals", .blocker) == [
        "needs 1 more approval (rule \"default\" wants 1, has 0): bob, carol, dave or erin can run \(approveCommand)"
      ])
  }

  @Test("with requester_may_approve: true, alice's approval of her own request counts")
  func requesterMayApproveWhenAllowed() throws {
    var release = Release(policy: try contractPolicy(requesterMayApprove: true))
    release.approvals = [approval(by: Cast.alice)]
    let readiness = release.evaluate()
    #expect(readiness.status == .ready)
    #expect(readiness.messages("approvals", .pass) == ["approved by alice"])
  }

  @Test("bob authored a commit in the range under an alias, so his approval does not count")
  func authorUnderAliasMayNotApprove() throws {
    var release = Release(policy: try contractPolicy())
    release.contributors = [authored(Cast.bob, as: "bob@personal.example")]
    release.approvals = [approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: bob authored or committed c0ffee1111 in the release range (as bob@personal.example), "
          + "and the policy does not let authors approve"
      ])
    #expect(
      readiness.messages("approvals", .blocker) == [
        "needs 1 more approval (rule \"default\" wants 1, has 0): carol, dave or erin can run \(approveCommand)"
      ])
  }

  @Test("a commit by someone unregistered disqualifies nobody, and is named in a warning")
  func unregisteredContributor() throws {
    var release = Release(policy: try contractPolicy())
    release.contributors = [authored(nil, as: "contractor@elsewhere.example")]
    release.approvals = [approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(readiness.status == .readyWithWarnings)
    #expect(
      readiness.messages("identities", .warn) == [
        "contractor@elsewhere.example (authored or committed c0ffee1111) is registered to nobody; "
          + "a policy-admin can register it (git govern identity add <who> --email contractor@elsewhere.example)"
      ])
  }

  @Test("erin committed one of several commits in the range; only her approval is refused")
  func committerOfOneCommit() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    release.contributors = [
      authored(nil, as: "contractor@elsewhere.example", commit: OID.otherCommit),
      authored(Cast.erin, as: "erin@example.com", commit: OID.otherCommit),
    ]
    release.approvals = [approval(by: Cast.erin), approval(by: Cast.carol)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn).first?.hasPrefix(
        "not counted: erin authored or committed badbad2222") == true)
    #expect(
      readiness.messages("approvals", .blocker) == [
        "needs 1 more approval (rule \"high-risk\" wants 2, has 1): bob or dave can run \(approveCommand)"
      ])
  }

  @Test("with authors_may_approve: true, bob's approval counts although he wrote a commit")
  func authorsMayApproveWhenAllowed() throws {
    var release = Release(policy: try contractPolicy(authorsMayApprove: true))
    release.contributors = [authored(Cast.bob, as: "bob@personal.example")]
    release.approvals = [approval(by: Cast.bob)]
    #expect(release.evaluate().status == .ready)
  }

  @Test("the approve command refuses at once what would not count")
  func disqualificationForApproveCommand() throws {
    var release = Release(policy: try contractPolicy())
    release.contributors = [authored(Cast.bob, as: "bob@example.com")]
    let evaluator = release.evaluator
    #expect(
      evaluator.disqualification(of: Cast.alice, for: release.facts)?.contains(
        "requested this release") == true)
    #expect(
      evaluator.disqualification(of: Cast.bob, for: release.facts)?.contains(
        "authored or committed") == true)
    #expect(evaluator.disqualification(of: Cast.carol, for: release.facts) == nil)
  }

  @Test("when everyone left is disqualified, the message says a policy-admin must register someone")
  func nobodyEligible() throws {
    var release = Release(policy: try contractPolicy())
    release.people = People([Cast.alice, Cast.bob])
    release.contributors = [authored(Cast.bob, as: "bob@example.com")]
    #expect(
      release.evaluate().blockers == [
        Check(
          "approvals", .blocker,
          "needs 1 more approval (rule \"default\" wants 1, has 0): nobody is left who may approve; "
            + "a policy-admin must register someone (git govern identity add)")
      ])
  }

  @Test("when nobody holds the role needed, the message says so")
  func nobodyWithRole() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    release.people = People([Cast.alice, Cast.bob, Cast.erin])
    release.approvals = [approval(by: Cast.bob), approval(by: Cast.erin)]
    #expect(
      release.evaluate().messages("approvals", .blocker) == [
        "needs 1 more approval with role security: nobody with role security is left who may approve; "
          + "a policy-admin must register someone (git govern identity add)"
      ])
  }

  // MARK: - Approvals bound to the exact commit, tree, ref and policy

  enum Binding: String, CaseIterable, Sendable {
    case commit, tree, ref, policy
  }

  @Test(
    "an approval for something other than exactly this release does not count, and says why",
    arguments: Binding.allCases)
  func approvalBoundToRelease(_ binding: Binding) throws {
    var release = Release(policy: try contractPolicy())
    let stale: Signed<Approval>
    let reason: String
    switch binding {
    case .commit:
      stale = approval(by: Cast.bob, target: OID.otherCommit)
      reason = "bob approved commit badbad2222, not c0ffee1111"
    case .tree:
      stale = approval(by: Cast.bob, tree: OID.otherTree)
      reason = "bob approved tree 7ee9994444, not 7ee0003333"
    case .ref:
      stale = approval(by: Cast.bob, ref: "refs/heads/main")
      reason = "bob approved a release to refs/heads/main, not refs/tags/v1.2.0"
    case .policy:
      stale = approval(by: Cast.bob, policy: OID.earlierPolicy)
      reason =
        "bob approved under an earlier policy (b10b996666); since then the policy (b10b996666 is not one this repository holds) changed, so bob must approve again"
    }
    release.approvals = [stale]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(readiness.messages("approvals", .warn) == ["not counted: \(reason)"])
    #expect(
      readiness.messages("approvals", .blocker) == [
        "needs 1 more approval (rule \"default\" wants 1, has 0): bob, carol, dave or erin can run \(approveCommand)"
      ])

    release.approvals.append(approval(by: Cast.carol))
    let withFresh = release.evaluate()
    #expect(
      withFresh.status == .readyWithWarnings,
      "carol's approval counts; bob's stale one is still reported")
    #expect(withFresh.messages("approvals", .pass) == ["approved by carol"])
  }

  // MARK: - Time

  @Test(
    "an approval counts within approval_ttl (72h) and not after",
    arguments: [(1.0, true), (71.0, true), (72.0, true), (72.01, false), (200.0, false)]
      as [(Double, Bool)])
  func approvalTTL(_ age: Double, _ counts: Bool) throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob, at: hoursAgo(age))]
    #expect((release.evaluate().status != .blocked) == counts)
  }

  @Test("bob's approval is 73 hours old; under a 72h TTL it has expired")
  func expiredApproval() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob, at: "2026-11-19T11:00:00Z")]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: bob's approval of 2026-11-19T11:00:00Z expired after 3d (approval_ttl)"
      ])
    #expect(
      readiness.messages("approvals", .blocker).first?.contains("bob, carol, dave or erin can run")
        == true, "bob may approve afresh")
  }

  @Test("without approval_ttl an approval never expires")
  func noTTL() throws {
    var release = Release(policy: try contractPolicy(approvalTTL: nil))
    release.approvals = [approval(by: Cast.bob, at: "2020-01-01T00:00:00Z")]
    #expect(release.evaluate().status == .ready)
  }

  @Test("bob's approval expires in 12 hours; the release is ready with a warning saying when")
  func approvalExpiringSoon() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob, at: "2026-11-20T00:00:00Z")]
    let readiness = release.evaluate()
    #expect(readiness.status == .readyWithWarnings)
    #expect(readiness.status.rawValue == "ready_with_warnings")
    #expect(readiness.messages("approvals", .pass) == ["approved by bob"])
    #expect(
      readiness.warnings == [
        Check(
          "approval_ttl", .warn,
          "bob's approval expires at 2026-11-23T00:00:00Z; push before then or ask for a fresh approval"
        )
      ])
  }

  @Test("several approvals expiring soon are warned about in a stable order, by person")
  func expiryWarningsInStableOrder() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    release.approvals = [Cast.erin, Cast.dave, Cast.carol, Cast.bob].enumerated().map {
      index, person in
      approval(by: person, at: hoursAgo(60 + Double(index)))
    }
    let readiness = release.evaluate()
    #expect(readiness.status == .readyWithWarnings)
    #expect(
      readiness.warnings.map(\.message) == [
        "bob's approval expires at 2026-11-22T21:00:00Z; push before then or ask for a fresh approval",
        "carol's approval expires at 2026-11-22T22:00:00Z; push before then or ask for a fresh approval",
        "dave's approval expires at 2026-11-22T23:00:00Z; push before then or ask for a fresh approval",
        "erin's approval expires at 2026-11-23T00:00:00Z; push before then or ask for a fresh approval",
      ])
  }

  @Test("bob approved long ago and again today; his fresh approval is the one that counts")
  func freshApprovalReplacesOld() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [
      approval(by: Cast.bob, at: hoursAgo(70)), approval(by: Cast.bob, at: hoursAgo(1)),
    ]
    let readiness = release.evaluate()
    #expect(readiness.status == .ready, "no expiry warning: the counted approval is the fresh one")
  }

  @Test("an approval dated in the future does not count; within the allowed clock skew it does")
  func futureDatedApproval() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob, at: "2026-11-22T13:00:00Z")]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: bob's approval is dated 2026-11-22T13:00:00Z, in the future"
      ])

    release.approvals = [approval(by: Cast.bob, at: "2026-11-22T12:04:00Z")]
    #expect(release.evaluate().status == .ready)
  }

  @Test("an approval whose time cannot be read does not count")
  func unreadableTime() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob, at: "last tuesday")]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.messages("approvals", .warn) == [
        "not counted: bob's approval has an unreadable time"
      ])
  }

  @Test("the same facts judged later: ready now, blocked once the approval expired")
  func whatIfLater() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob)]
    #expect(release.evaluate().status == .ready)
    release.at = now.addingTimeInterval(80 * 3600)
    #expect(release.evaluate().status == .blocked)
  }

  @Test(
    "an approval under an earlier policy counts when the change left its rule, duties and evidence alone, and not when its rule changed"
  )
  func approvalAcrossPolicyChanges() throws {
    let current = try contractPolicy()
    var release = Release(policy: current)
    release.approvals = [approval(by: Cast.bob, policy: OID.earlierPolicy)]
    func evaluate(_ earlier: Policy) -> Readiness {
      var facts = release.facts
      facts.earlierPolicies = [OID.earlierPolicy: earlier]
      return release.evaluator.evaluate(facts)
    }
    // Only the admin threshold differed: nothing that judges this release.
    var unrelated = current
    unrelated.adminApprovals = current.adminApprovals + 1
    let counted = evaluate(unrelated)
    #expect(counted.status != .blocked, "\(counted.checks)")
    #expect(counted.messages("approvals", .warn).contains { $0.contains("it still counts") })
    // The rule this release falls under wanted fewer approvals then.
    var related = current
    related.rules = related.rules.map { rule in
      var rule = rule
      rule.approvals += 1
      return rule
    }
    let refused = evaluate(related)
    #expect(refused.status == .blocked)
    #expect(
      refused.messages("approvals", .warn).contains {
        $0.contains("since then the rule that applies") && $0.contains("so bob must approve again")
      }, "\(refused.checks)")
    // And separation of duties changed.
    var duties = current
    duties.authorsMayApprove.toggle()
    #expect(
      evaluate(duties).messages("approvals", .warn).contains {
        $0.contains("separation_of_duties.authors_may_approve")
      })
  }

  // MARK: - Rejections, record problems, rules

  @Test("carol rejected the release; it is blocked however many approvals it has")
  func rejectionBlocks() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob), approval(by: Cast.dave)]
    release.rejections = [rejection(by: Cast.carol, reason: "leaks tokens in logs")]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers == [
        Check(
          "rejections", .blocker,
          "carol rejected this release: \"leaks tokens in logs\". Fix it and request the new commit "
            + "(git govern request <rev> --to refs/tags/v1.2.0), or carol can withdraw the rejection: "
            + "git govern withdraw \(releaseID) --reason \"…\"")
      ])
  }

  @Test(
    "a rejection stands until its rejecter withdraws it, or enough policy-admins do; anyone else's withdrawal does nothing"
  )
  func rejectionWithdrawn() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob)]
    let rejected = rejection(by: Cast.carol, reason: "no")
    release.rejections = [rejected]
    func withdrawal(by person: Person) -> Signed<Withdrawal> {
      Signed(
        record: Withdrawal(
          by(person, at: hoursAgo(0.5)), release: releaseID, target: OID.releasedCommit,
          tree: OID.releasedTree, ref: releasedRef, rejection: "rejection-carol.json",
          reason: "fixed"),
        path: "releases/\(releaseID)/withdrawal-\(person.id).json", signer: person)
    }
    func status(_ withdrawals: [Signed<Withdrawal>]) -> Readiness.Status {
      var facts = release.facts
      facts.withdrawals = withdrawals
      return release.evaluator.evaluate(facts).status
    }
    #expect(status([]) == .blocked)
    #expect(status([withdrawal(by: Cast.bob)]) == .blocked)
    #expect(status([withdrawal(by: Cast.carol)]) == .ready)
    // alice is the one policy-admin, and the contract's policy needs one admin signature.
    #expect(release.policy.adminApprovals == 1)
    #expect(status([withdrawal(by: Cast.alice)]) == .ready)
  }

  @Test("a record that cannot be trusted blocks, naming its path")
  func recordProblemsBlock() throws {
    var release = Release(policy: try contractPolicy())
    release.approvals = [approval(by: Cast.bob)]
    release.problems = [
      RecordProblem(
        path: "releases/r/approval-mallory.json.sig", message: "signed by a key nobody registered")
    ]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers == [
        Check(
          "records", .blocker,
          "releases/r/approval-mallory.json.sig: signed by a key nobody registered")
      ])
  }

  @Test("no rule applies to a normal change; the message says how to add one")
  func noApplicableRule() throws {
    let policy = try PolicyParser.parse(
      "version: 1\nprotected: [refs/tags/v*]\nrules:\n  - {name: standard-change, when: {type: standard}, approvals: 0}\n"
    )
    let readiness = Release(policy: policy, type: .normal, risk: .medium).evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers == [
        Check(
          "rule", .blocker,
          "no rule of the policy applies to a normal change of medium risk; "
            + "a policy-admin can add a rule without `when:` as the last one (git govern policy apply)"
        )
      ])
  }

  @Test(
    "a standard change under `approvals: 0` is ready with no approvals when a template of standard_changes covers it"
  )
  func standardChangeNeedsNoApproval() throws {
    var policy = try contractPolicy()
    policy.standardChanges = [
      StandardChange(name: "docs", roles: ["release-manager"], paths: [PathPattern("docs/**")])
    ]
    var release = Release(policy: policy, type: .standard, risk: .high)
    release.changedPaths = ["docs/guide.md", "docs/img/a.png"]
    let readiness = release.evaluate()
    #expect(readiness.status == .ready)
    #expect(
      readiness.messages("type", .pass) == [
        "standard change \"docs\": alice may request it, and all 2 changed paths fit its paths"
      ])
    #expect(
      readiness.messages("rule", .pass) == [
        "rule \"standard-change\" applies (standard, high risk)"
      ])
    #expect(
      readiness.messages("approvals", .pass) == ["no approval needed by rule \"standard-change\""])
  }

  // MARK: - The request must match the push

  @Test("the request names another commit; the fix is to request this one")
  func requestForAnotherCommit() throws {
    var release = Release(policy: try contractPolicy())
    release.requestedTarget = OID.otherCommit
    release.approvals = [approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers == [
        Check(
          "request", .blocker,
          "release \(releaseID) is for commit badbad2222, not c0ffee1111; "
            + "request this commit: git govern request c0ffee1111 --to refs/tags/v1.2.0")
      ])
  }

  @Test("the request names another ref; the fix is to request this ref")
  func requestForAnotherRef() throws {
    var release = Release(policy: try contractPolicy())
    release.requestedRef = "refs/heads/main"
    release.approvals = [approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(readiness.status == .blocked)
    #expect(
      readiness.blockers == [
        Check(
          "request", .blocker,
          "release \(releaseID) is for refs/heads/main, not refs/tags/v1.2.0; "
            + "request this ref: git govern request c0ffee1111 --to refs/tags/v1.2.0")
      ])
  }

  @Test("the request names a tree the commit does not have")
  func requestWithAnotherTree() throws {
    var release = Release(policy: try contractPolicy())
    release.requestedTree = OID.otherTree
    release.approvals = [approval(by: Cast.bob)]
    #expect(
      release.evaluate().blockers == [
        Check(
          "request", .blocker,
          "release \(releaseID) names tree 7ee9994444 but the commit has 7ee0003333")
      ])
  }

  @Test("every reason to block is reported together")
  func everyBlockerTogether() throws {
    var release = Release(policy: try contractPolicy(), risk: .high)
    release.requestedRef = "refs/heads/main"
    release.problems = [RecordProblem(path: "x.json", message: "unsigned")]
    release.rejections = [rejection(by: Cast.dave, reason: "no")]
    release.approvals = [approval(by: Cast.alice), approval(by: Cast.bob)]
    let readiness = release.evaluate()
    #expect(
      readiness.blockers.map(\.name) == [
        "records", "request", "rejections", "approvals", "approvals",
      ])
    #expect(readiness.warnings.map(\.name) == ["approvals"])
  }

  // MARK: - Readiness

  @Test(
    "the verdict follows its worst check",
    arguments: [
      ([Check.Status.pass, .pass], Readiness.Status.ready),
      ([.pass, .warn], .readyWithWarnings),
      ([.warn, .blocker, .pass], .blocked),
      ([], .ready),
    ] as [([Check.Status], Readiness.Status)])
  func verdict(_ statuses: [Check.Status], _ expected: Readiness.Status) {
    let readiness = Readiness(
      release: releaseID, target: OID.releasedCommit, ref: releasedRef,
      checks: statuses.map { Check("c", $0, "m") })
    #expect(readiness.status == expected)
    #expect(readiness.blockers.count == statuses.filter { $0 == .blocker }.count)
    #expect(readiness.warnings.count == statuses.filter { $0 == .warn }.count)
  }

  @Test("statuses are spelled as the JSON contract says")
  func statusSpelling() {
    #expect(Readiness.Status.ready.rawValue == "ready")
    #expect(Readiness.Status.readyWithWarnings.rawValue == "ready_with_warnings")
    #expect(Readiness.Status.blocked.rawValue == "blocked")
    #expect([Check.Status.pass, .warn, .blocker].map(\.rawValue) == ["pass", "warn", "blocker"])
  }
}
