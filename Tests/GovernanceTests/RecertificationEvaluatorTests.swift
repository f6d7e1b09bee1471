import Foundation
import Testing

@testable import Governance

/// alice's recertification of `person`'s `roles`, `hours` before now.
private func recertified(_ person: Person, _ roles: [String], hoursAgo hours: Double)
  -> Signed<Recertification>
{
  Signed(
    record: Recertification(
      by(Cast.alice, at: hoursAgo(hours)), person: person.id, roles: roles, note: nil),
    path: "recertifications/\(person.id)/recertification-\(hours).json", signer: Cast.alice)
}

private let ninetyDays = 90 * 86400

/// A high-risk release (two approvals, one with role security): bob and carol approved.
private func approvedByCarol(_ records: [Signed<Recertification>]?) throws -> Release {
  var release = Release(
    policy: try PolicyParser.parse(contractPolicyText + "recertify_every: 90d\n"), risk: .high)
  release.approvals = [approval(by: Cast.bob), approval(by: Cast.carol)]
  if let records {
    release.recertifications = Recertifications(
      every: ninetyDays, records: Dictionary(grouping: records) { $0.record.person })
  }
  return release
}

@Suite("recertification: a role counts only while recertified within recertify_every")
struct RecertificationEvaluatorTests {
  @Test("the policy reads recertify_every as a duration, and a change to it touches every release")
  func policyReadsIt() throws {
    let policy = try PolicyParser.parse(contractPolicyText + "recertify_every: 90d\n")
    #expect(policy.recertifyEvery == ninetyDays)
    let earlier = try PolicyParser.parse(contractPolicyText)
    #expect(policy.changes(since: earlier, type: .normal, risk: .low).contains("recertify_every"))
    #expect(
      policyErrors(contractPolicyText + "recertify_every: quarterly\n").contains {
        $0.contains("recertify_every must be a duration")
      })
  }

  @Test(
    "never recertified, or recertified longer ago than recertify_every: the role does not count, and status says who can fix it"
  )
  func lapsedRolesDoNotCount() throws {
    for records in [[], [recertified(Cast.carol, ["security"], hoursAgo: 91 * 24)]] {
      let verdict = try approvedByCarol(records).evaluate()
      #expect(verdict.status == .blocked)
      let blocker = verdict.messages("approvals", .blocker).first ?? ""
      #expect(blocker.hasPrefix("needs 1 more approval with role security"), "\(verdict.checks)")
      let warning = verdict.messages("recertification", .warn).first ?? ""
      #expect(
        warning.hasPrefix(
          records.isEmpty
            ? "carol's role security was never recertified" : "carol's role security lapsed at"),
        "\(verdict.checks)")
      #expect(warning.hasSuffix("git govern recertify carol"))
    }
  }

  @Test("recertified within recertify_every, for that role: it counts")
  func currentRolesCount() throws {
    #expect(
      try approvedByCarol([recertified(Cast.carol, ["security"], hoursAgo: 24)]).evaluate().status
        != .blocked)
    // A recertification of another role, or one made after the evaluation, does not.
    #expect(
      try approvedByCarol([recertified(Cast.carol, ["developer"], hoursAgo: 24)]).evaluate()
        .status == .blocked)
    #expect(
      try approvedByCarol([recertified(Cast.carol, ["security"], hoursAgo: -2)]).evaluate().status
        == .blocked)
    // Without recertify_every nothing lapses.
    #expect(try approvedByCarol(nil).evaluate().status != .blocked)
  }

  @Test("the admins' role never lapses; a lapsed holder is named in what is missing")
  func exemptAndNamed() throws {
    let recertifications = Recertifications(every: ninetyDays)
    #expect(recertifications.current(Cast.alice, at: now).roles == ["policy-admin"])
    var release = try approvedByCarol([])
    release.approvals = [approval(by: Cast.bob), approval(by: Cast.erin)]
    let verdict = release.evaluate()
    #expect(
      verdict.messages("approvals", .blocker).contains {
        $0.hasSuffix(
          "carol, dave hold security, but it lapsed for want of a recertification: a policy-admin can run `git govern recertify carol dave`"
        )
      }, "\(verdict.checks)")
  }
}
