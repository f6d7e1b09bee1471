import Foundation
import Testing

@testable import Governance

/// A delegation `from` signed at `created`, letting `to` approve in their place until `until`.
private func delegation(
  from holder: Person, to delegate: Person, at created: String = hoursAgo(24),
  until: String = Timestamp.format(now.addingTimeInterval(86400)), roles: [String]? = nil
) -> Signed<Delegation> {
  Signed(
    record: Delegation(
      by(holder, at: created), delegate: delegate.id, until: until, roles: roles, reason: "away"),
    path: "delegations/\(until.prefix(7))/delegation-\(holder.id)-\(created).json", signer: holder)
}

/// `delegate`'s approval in `holder`'s place.
private func approval(by delegate: Person, for holder: Person, at created: String = hoursAgo(1))
  -> Signed<Approval>
{
  var signed = approval(by: delegate, at: created)
  signed.record.on_behalf_of = holder.id
  signed.path = "releases/\(releaseID)/approval-\(delegate.id)-for-\(holder.id)-\(created).json"
  return signed
}

/// A high-risk release (two approvals, one with role security) alice requested; bob approved.
private func highRisk() throws -> Release {
  var release = Release(policy: try PolicyParser.parse(contractPolicyText), risk: .high)
  release.approvals = [approval(by: Cast.bob)]
  return release
}

@Suite("delegation: an approval in another's place, with their roles, under every rule")
struct DelegationEvaluatorTests {
  @Test(
    "erin, in carol's place, brings carol's security role; without the delegation she does not count"
  )
  func delegateCarriesTheRole() throws {
    var release = try highRisk()
    release.approvals.append(approval(by: Cast.erin, for: Cast.carol))
    let unDelegated = release.evaluate()
    #expect(unDelegated.status == .blocked)
    #expect(
      unDelegated.messages("approvals", .warn).contains {
        $0.hasPrefix(
          "not counted: erin approved for carol, but no delegation from carol to erin was in force")
      }, "\(unDelegated.checks)")

    release.delegations = [delegation(from: Cast.carol, to: Cast.erin)]
    let delegated = release.evaluate()
    #expect(delegated.status != .blocked, "\(delegated.blockers)")
    #expect(delegated.messages("approvals", .pass) == ["approved by bob, erin for carol"])
  }

  @Test("a delegation lends only the roles it names")
  func onlyTheLentRoles() throws {
    var release = try highRisk()
    release.approvals.append(approval(by: Cast.erin, for: Cast.dave))
    release.delegations = [delegation(from: Cast.dave, to: Cast.erin, roles: ["developer"])]
    let verdict = release.evaluate()
    #expect(
      verdict.messages("approvals", .blocker).contains {
        $0.hasPrefix("needs 1 more approval with role security")
      }, "\(verdict.checks)")
  }

  @Test(
    "the delegate is judged as themself, and the place as its holder: neither may have written the release"
  )
  func separationOfDutiesForBoth() throws {
    for author in [Cast.erin, Cast.carol] {
      var release = try highRisk()
      release.contributors = [authored(author, as: author.emails[0])]
      release.approvals.append(approval(by: Cast.erin, for: Cast.carol))
      release.delegations = [delegation(from: Cast.carol, to: Cast.erin)]
      let verdict = release.evaluate()
      #expect(verdict.status == .blocked, "author \(author.id)")
      let expected =
        author.id == "erin"
        ? "not counted: erin authored or committed"
        : "not counted: erin approved for carol, whose own approval would not count: carol authored or committed"
      #expect(
        verdict.messages("approvals", .warn).contains { $0.hasPrefix(expected) },
        "\(verdict.checks)")
    }
    // The requester cannot hand their approval on either.
    var release = try highRisk()
    release.approvals.append(approval(by: Cast.erin, for: Cast.alice))
    release.delegations = [delegation(from: Cast.alice, to: Cast.erin)]
    #expect(
      release.evaluate().messages("approvals", .warn).contains {
        $0.contains("alice requested this release")
      })
  }

  @Test(
    "an approval counts if the delegation was in force when it was signed: not before it, not after it ended"
  )
  func timeBoxed() throws {
    let ended = Timestamp.format(now.addingTimeInterval(-3 * 3600))
    var release = try highRisk()
    release.delegations = [
      delegation(from: Cast.carol, to: Cast.erin, at: hoursAgo(24)),
      // carol came back early: a later delegation ends it three hours ago.
      delegation(from: Cast.carol, to: Cast.erin, at: ended, until: ended),
    ]
    release.approvals.append(approval(by: Cast.erin, for: Cast.carol, at: hoursAgo(2)))
    #expect(release.evaluate().status == .blocked)
    release.approvals[1] = approval(by: Cast.erin, for: Cast.carol, at: hoursAgo(5))
    #expect(release.evaluate().status != .blocked)
    release.approvals[1] = approval(by: Cast.erin, for: Cast.carol, at: hoursAgo(30))
    #expect(release.evaluate().status == .blocked)
    // Made while it lasted, it still counts once the delegation is over.
    release.approvals[1] = approval(by: Cast.erin, for: Cast.carol, at: hoursAgo(5))
    release.at = now.addingTimeInterval(3600)
    #expect(release.evaluate().status != .blocked)
  }

  @Test(
    "one person counts once: a delegate in their own name and in another's, or a place filled twice"
  )
  func oneSeatOnePerson() throws {
    var release = Release(policy: try PolicyParser.parse(contractPolicyText), risk: .high)
    release.delegations = [delegation(from: Cast.carol, to: Cast.erin)]
    release.approvals = [
      approval(by: Cast.erin, at: hoursAgo(2)), approval(by: Cast.erin, for: Cast.carol),
    ]
    let twice = release.evaluate()
    #expect(
      twice.messages("approvals", .blocker).first?.contains("has 1") == true, "\(twice.checks)")
    #expect(
      twice.messages("approvals", .warn).contains {
        $0.contains("erin already counts once, with a newer approval")
      })
    release.approvals = [
      approval(by: Cast.carol, at: hoursAgo(2)), approval(by: Cast.erin, for: Cast.carol),
    ]
    let filled = release.evaluate()
    #expect(filled.messages("approvals", .blocker).first?.contains("has 1") == true)
    #expect(
      filled.messages("approvals", .warn).contains {
        $0.contains("not counted: carol's approval: carol's place is filled already")
      }, "\(filled.checks)")
  }

  @Test("ended in the same second it began: the end holds, whichever file is read first")
  func endInTheSameSecond() throws {
    let moment = hoursAgo(3)
    for flipped in [false, true] {
      var release = try highRisk()
      var pair = [
        delegation(from: Cast.carol, to: Cast.erin, at: moment),
        delegation(from: Cast.carol, to: Cast.erin, at: moment, until: moment),
      ]
      if flipped { pair.reverse() }
      release.delegations = pair
      release.approvals.append(approval(by: Cast.erin, for: Cast.carol, at: hoursAgo(1)))
      #expect(release.evaluate().status == .blocked, "flipped: \(flipped)")
    }
  }

  @Test("what is missing offers the delegate, with the exact command")
  func offersTheDelegate() throws {
    var release = try highRisk()
    release.people = People([Cast.alice, Cast.bob, Cast.carol, Cast.erin])
    release.contributors = [authored(Cast.bob, as: "bob@example.com")]
    release.approvals = [approval(by: Cast.erin)]
    release.delegations = [delegation(from: Cast.carol, to: Cast.bob)]
    // bob wrote the release: he is offered for nobody, himself or carol.
    let verdict = release.evaluate()
    #expect(
      verdict.messages("approvals", .blocker).contains {
        $0
          == "needs 1 more approval with role security: carol can run `git govern approve \(releaseID)`"
      }, "\(verdict.checks)")
    release.contributors = []
    release.approvals = [approval(by: Cast.erin), approval(by: Cast.alice, at: hoursAgo(3))]
    release.people = People([Cast.alice, Cast.bob, Cast.carol, Cast.erin])
    let offered = release.evaluate()
    let until = Timestamp.format(now.addingTimeInterval(86400))
    #expect(
      offered.messages("approvals", .blocker).contains {
        $0.hasSuffix(
          "carol can run `git govern approve \(releaseID)`; or bob, in carol's place until \(until), can run `git govern approve \(releaseID) --for carol`"
        )
      }, "\(offered.checks)")
  }

  @Test("a delegation to nobody registered, to oneself, or lending no roles cannot count")
  func badDelegations() {
    let people = Cast.everyone
    func problem(_ delegate: String, roles: [String]? = nil, until: String = hoursAgo(-1))
      -> String?
    {
      Delegations.problem(
        Delegation(
          by(Cast.carol, at: hoursAgo(1)), delegate: delegate, until: until, roles: roles,
          reason: ""), people: people)
    }
    #expect(problem("mallory")?.contains("not a registered person") == true)
    #expect(problem("carol") == "delegates from carol to themself")
    #expect(problem("erin", roles: [])?.contains("empty list of roles") == true)
    #expect(problem("erin", until: hoursAgo(2))?.contains("before it starts") == true)
    #expect(problem("erin") == nil)
  }
}
