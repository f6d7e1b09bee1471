import Foundation
import Testing

@testable import Governance

private let calendarText = """
  calendar:
    timezone: Europe/London
    hours: "09:00-17:00"
    holidays: [2026-12-25]

  """

private func at(_ text: String) -> Date { Timestamp.parse(text)! }

@Suite("business time: durations counted in working hours, holidays frozen")
struct BusinessTimeTests {
  let london = BusinessCalendar(
    timeZone: IANATimeZone("Europe/London")!,
    holidays: [LocalDateTime.parse("2026-12-25")!.daysSinceEpoch])

  @Test(
    "24 business hours from Thursday 16:00 skip the evening, the Christmas holiday and the weekend"
  )
  func countsOnlyWorkingHours() {
    // Thu 1h, Fri 25th a holiday, Mon 8h, Tue 8h, Wed 7h.
    #expect(
      PolicyDuration(amount: 24, unit: .businessHours).end(
        from: at("2026-12-24T16:00:00Z"), calendar: london) == at("2026-12-30T16:00:00Z"))
    // From a Saturday the clock starts on Monday at 09:00; 2bd is 16 working hours.
    #expect(london.adding(3600, to: at("2026-12-19T11:00:00Z")) == at("2026-12-21T10:00:00Z"))
    #expect(
      PolicyDuration(amount: 2, unit: .businessDays).end(
        from: at("2026-12-21T09:00:00Z"), calendar: london) == at("2026-12-22T17:00:00Z"))
    // Without a calendar a business span never ends early: it does not end at all.
    #expect(
      PolicyDuration(amount: 1, unit: .businessHours).end(from: .now, calendar: nil)
        == .distantFuture)
  }

  @Test("working hours stay on the local clock across a daylight-saving change")
  func followsTheLocalClock() {
    let newYork = BusinessCalendar(timeZone: IANATimeZone("America/New_York")!)
    // Friday 16:00 EST (21:00Z) + 2bh: one hour on Friday, one from Monday 09:00 EDT (13:00Z).
    #expect(newYork.adding(7200, to: at("2026-03-06T21:00:00Z")) == at("2026-03-09T14:00:00Z"))
  }

  @Test(
    "the policy reads calendar: and business durations; business time without a calendar, and bad hours, are refused where written"
  )
  func policyReadsThem() throws {
    let policy = try PolicyParser.parse(
      contractPolicyText + calendarText
        + "closeout_within: 3bd\nemergency:\n  approvals: 1\n  review_within: 24bh\n")
    #expect(policy.calendar == london)
    #expect(policy.closeoutWithin == PolicyDuration(amount: 3, unit: .businessDays))
    #expect(policy.emergency?.reviewWithin?.description == "24bh")
    #expect(
      policyErrors(contractPolicyText + "closeout_within: 3bd\n").contains {
        $0.hasPrefix(
          "policy.yml:22:1: closeout_within counts business time (3bd), but the policy has no calendar: section"
        )
      }, "\(policyErrors(contractPolicyText + "closeout_within: 3bd\n"))")
    let badHours = calendarText.replacingOccurrences(of: "09:00-17:00", with: "17:00-09:00")
    #expect(
      policyErrors(contractPolicyText + badHours).contains {
        $0.contains("calendar.hours must be a span of one day such as \"09:00-17:30\"")
      })
    #expect(
      policyErrors(
        contractPolicyText
          + calendarText.replacingOccurrences(of: "Europe/London", with: "Europe/Londn")
      )
      .contains { $0.contains("calendar.timezone \"Europe/Londn\" is not an IANA time zone") })
    #expect(
      policyErrors(
        contractPolicyText
          + "approval_ttl: 24bh\n".replacingOccurrences(of: "approval_ttl", with: "retention_min")
      )
      .contains { $0.contains("retention_min must be a duration") })
  }

  @Test("freezes.holidays freezes each holiday of the calendar, all day in its zone")
  func holidaysFreeze() throws {
    let policy = try PolicyParser.parse(
      contractPolicyText + calendarText + "freezes:\n  holidays: true\n")
    let freezes = FreezeCalendar(policy: policy.freezes)
    #expect(freezes.occurrence(at: at("2026-12-25T12:00:00Z"))?.name == "holiday 2026-12-25")
    #expect(freezes.occurrence(at: at("2026-12-24T12:00:00Z")) == nil)
    #expect(
      policyErrors(contractPolicyText + "freezes:\n  holidays: true\n").contains {
        $0.contains(
          "freezes.holidays freezes the calendar's holidays, but the policy has no calendar")
      })
  }

  @Test(
    "an emergency's review due within 24bh of a Thursday-evening exception falls due the next Wednesday"
  )
  func obligationsInBusinessTime() throws {
    var release = Release(
      policy: try PolicyParser.parse(
        contractPolicyText + calendarText
          + "emergency:\n  approvals: 1\n  roles: {security: 1}\n  review_within: 24bh\n"),
      type: .emergency)
    release.at = at("2026-12-24T18:00:00Z")
    var facts = release.facts
    facts.exceptions = [
      Signed(
        record: ReleaseException(
          by(Cast.carol, at: "2026-12-24T16:00:00Z"), release: releaseID,
          target: OID.releasedCommit, tree: OID.releasedTree, ref: releasedRef,
          policy: OID.policyInForce, exception: .emergency, reason: "outage"),
        path: "releases/\(releaseID)/exception-carol.json", signer: Cast.carol)
    ]
    let evaluator = release.evaluator
    let exception = try #require(evaluator.effectiveException(facts).0)
    let review = evaluator.emergencyObligations(facts, exception: exception).first {
      $0.kind == .review
    }
    #expect(review?.due == at("2026-12-30T16:00:00Z"))
  }
}
