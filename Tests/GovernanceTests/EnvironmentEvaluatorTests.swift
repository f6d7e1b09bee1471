import Foundation
import Testing

@testable import Governance

/// The contract policy with staging (refs/heads/staging) before production (refs/tags/v*),
/// and an emergency path.
private let environmentsText =
  contractPolicyText.replacingOccurrences(
    of: "  - refs/tags/v*\n", with: "  - refs/tags/v*\n  - refs/heads/staging\n")
    + """
    emergency:
      approvals: 1
      roles: {security: 1}
    environments:
      - name: staging
        refs: [refs/heads/staging]
      - name: production
        refs: [refs/tags/v*]
        after: staging
        soak: 2h

    """

private let server = Person(
  id: "server", name: "Forge", emails: ["server@forge.example"], keys: [key("server")],
  roles: ["server"])

/// The server's receipt of a push of `tree` to `ref`, `hours` before now.
private func receipt(to ref: String, tree: String = OID.releasedTree, hoursAgo hours: Double)
  -> Signed<PushReceipt>
{
  Signed(
    record: PushReceipt(
      by(server, at: hoursAgo(hours)), release: "r-staging", target: OID.releasedCommit,
      tree: tree, ref: ref, old: String(repeating: "0", count: 40), new: OID.releasedCommit,
      pusher: "bob"),
    path: "releases/r-staging/receipt-\(hours).json", signer: server)
}

/// A release to production approved by carol, with these receipts of the same commit.
private func approved(_ receipts: [Signed<PushReceipt>]) throws -> (Release, ReleaseFacts) {
  var release = Release(policy: try PolicyParser.parse(environmentsText))
  release.approvals = [approval(by: Cast.carol)]
  var facts = release.facts
  facts.promotionReceipts = receipts
  return (release, facts)
}

@Suite("environments: production only after the same tree soaked in staging")
struct EnvironmentEvaluatorTests {
  @Test("the policy reads environments, in order, with the soak in seconds")
  func policyReadsThem() throws {
    let policy = try PolicyParser.parse(environmentsText)
    #expect(policy.environments.list.map(\.name) == ["staging", "production"])
    let promotion = try #require(policy.environments.promotion(to: "refs/tags/v1.2.0"))
    #expect(promotion.environment.soak == 7200 && promotion.earlier.name == "staging")
    #expect(policy.environments.promotion(to: "refs/heads/staging") == nil)
    #expect(policy.environments.promotion(to: "refs/heads/main") == nil)
  }

  @Test(
    "an environment after one that does not exist, a cycle, an unprotected ref, a ref in two environments: each refused where it is written"
  )
  func badEnvironments() {
    let head = contractPolicyText + "environments:\n"
    let cases: [(String, String)] = [
      (
        "  - {name: prod, refs: [refs/tags/v*], after: stage}\n",
        "policy.yml:23:47: environment prod comes after \"stage\", which is no environment; known: prod"
      ),
      (
        "  - {name: a, refs: [refs/heads/main], after: b}\n  - {name: b, refs: [refs/tags/v*], after: a}\n",
        "environments form a cycle (a → b → a)"
      ),
      (
        "  - {name: qa, refs: [refs/heads/qa]}\n",
        "environments.refs: refs/heads/qa is not protected, so the server writes no receipt"
      ),
      (
        "  - {name: a, refs: [refs/heads/main]}\n  - {name: b, refs: [refs/heads/main]}\n",
        "refs/heads/main is in environment a already"
      ),
      ("  - {name: a, refs: [refs/heads/main], soak: 1h}\n", "has a soak but no `after`"),
      (
        "  - {name: a, refs: [refs/heads/main], wait: 1h}\n",
        "unknown field \"wait\" in an environment"
      ),
      ("  - {refs: [refs/heads/main]}\n", "every environment needs a name"),
      (
        "  - {name: a, refs: [refs/heads/main]}\n  - {name: b, refs: [refs/tags/v*], after: a, soak: soon}\n",
        "environments.soak must be a duration"
      ),
    ]
    for (text, message) in cases {
      let errors = policyErrors(head + text)
      #expect(errors.contains { $0.contains(message) }, "\(text): \(errors)")
    }
  }

  @Test(
    "with no receipt from staging, production is blocked and says how to get there; one soaking still names when it may go"
  )
  func blockedUntilSoaked() throws {
    for receipts in [[], [receipt(to: "refs/heads/staging", tree: OID.otherTree, hoursAgo: 5)]] {
      let (release, facts) = try approved(receipts)
      let verdict = release.evaluator.evaluate(facts)
      #expect(verdict.status == .blocked)
      #expect(
        verdict.messages("promotion", .blocker).first?.hasPrefix(
          "refs/tags/v1.2.0 is in environment production, which comes after staging (refs/heads/staging): commit c0ffee1111 (tree 7ee0003333) has not reached staging yet"
        ) == true, "\(verdict.checks)")
    }
    let (release, facts) = try approved([receipt(to: "refs/heads/staging", hoursAgo: 0.5)])
    let verdict = release.evaluator.evaluate(facts)
    #expect(verdict.status == .blocked)
    #expect(
      verdict.messages("promotion", .blocker)
        == [
          "tree 7ee0003333 reached staging at \(hoursAgo(0.5)) (refs/heads/staging); production needs it to soak there 2h: it may come here from \(hoursAgo(-1.5))"
        ], "\(verdict.checks)")
  }

  @Test(
    "soaked long enough, it passes; a receipt dated after now, or of another ref, does not count")
  func soakedPasses() throws {
    let (release, facts) = try approved([
      receipt(to: "refs/heads/staging", hoursAgo: 3), receipt(to: "refs/heads/main", hoursAgo: 9),
    ])
    let verdict = release.evaluator.evaluate(facts)
    #expect(verdict.status != .blocked, "\(verdict.checks)")
    #expect(
      verdict.messages("promotion", .pass)
        == [
          "reached staging at \(hoursAgo(3)) (refs/heads/staging), over the 2h soak production needs"
        ])
    for other in [
      receipt(to: "refs/heads/staging", hoursAgo: -3), receipt(to: "refs/heads/main", hoursAgo: 9),
    ] {
      let (release, facts) = try approved([other])
      #expect(release.evaluator.evaluate(facts).status == .blocked)
    }
  }

  @Test("an emergency exception skips the promotion order, and says so")
  func emergencySkips() throws {
    var (release, facts) = try approved([])
    release.approvals = []
    facts.approvals = []
    facts.exceptions = [
      Signed(
        record: ReleaseException(
          by(Cast.carol, at: hoursAgo(1)), release: releaseID, target: OID.releasedCommit,
          tree: OID.releasedTree, ref: releasedRef, policy: OID.policyInForce,
          exception: .emergency, reason: "outage"),
        path: "releases/\(releaseID)/exception-carol.json", signer: Cast.carol)
    ]
    let verdict = release.evaluator.evaluate(facts)
    #expect(verdict.messages("promotion", .blocker).isEmpty, "\(verdict.checks)")
    #expect(
      verdict.messages("promotion", .warn).first?.hasSuffix(
        "the exception signed by carol lets it skip the promotion order") == true)
  }
}
