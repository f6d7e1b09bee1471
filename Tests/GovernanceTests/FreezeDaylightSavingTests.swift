import Foundation
import Testing

@testable import Governance

/// Daylight saving, both ways, in zones that change on different dates and in opposite seasons:
/// Europe/London (2026-03-29 01:00→02:00, 2026-10-25 02:00→01:00), America/New_York
/// (2026-03-08 02:00→03:00, 2026-11-01 02:00→01:00) and Australia/Sydney
/// (2026-04-05 03:00→02:00, 2026-10-04 02:00→03:00).
@Suite("freeze windows across daylight-saving changes")
struct FreezeDaylightSavingTests {
  typealias F = FreezeFixture

  struct LocalCase: CustomTestStringConvertible, Sendable {
    let zone: String
    let local: String
    let earliest: String
    let latest: String
    var testDescription: String { "\(local) in \(zone)" }
  }

  @Test(
    "a local time becomes an instant: gap → first instant after it; repeat → earliest or latest",
    arguments: [
      // Ordinary times: one instant.
      LocalCase(
        zone: "Europe/London", local: "2026-03-29T00:59", earliest: "2026-03-29T00:59:00Z",
        latest: "2026-03-29T00:59:00Z"),
      LocalCase(
        zone: "Europe/London", local: "2026-03-29T02:00", earliest: "2026-03-29T01:00:00Z",
        latest: "2026-03-29T01:00:00Z"),
      // The spring gap: 01:00 to 01:59 do not exist; the clocks read 02:00 BST at 01:00Z.
      LocalCase(
        zone: "Europe/London", local: "2026-03-29T01:00", earliest: "2026-03-29T01:00:00Z",
        latest: "2026-03-29T01:00:00Z"),
      LocalCase(
        zone: "Europe/London", local: "2026-03-29T01:30", earliest: "2026-03-29T01:00:00Z",
        latest: "2026-03-29T01:00:00Z"),
      // The autumn repeat: 01:00 to 01:59 happen in BST, then again in GMT.
      LocalCase(
        zone: "Europe/London", local: "2026-10-25T00:59", earliest: "2026-10-24T23:59:00Z",
        latest: "2026-10-24T23:59:00Z"),
      LocalCase(
        zone: "Europe/London", local: "2026-10-25T01:00", earliest: "2026-10-25T00:00:00Z",
        latest: "2026-10-25T01:00:00Z"),
      LocalCase(
        zone: "Europe/London", local: "2026-10-25T01:30", earliest: "2026-10-25T00:30:00Z",
        latest: "2026-10-25T01:30:00Z"),
      LocalCase(
        zone: "Europe/London", local: "2026-10-25T02:00", earliest: "2026-10-25T02:00:00Z",
        latest: "2026-10-25T02:00:00Z"),
      LocalCase(
        zone: "America/New_York", local: "2026-03-08T02:30", earliest: "2026-03-08T07:00:00Z",
        latest: "2026-03-08T07:00:00Z"),
      LocalCase(
        zone: "America/New_York", local: "2026-03-08T03:00", earliest: "2026-03-08T07:00:00Z",
        latest: "2026-03-08T07:00:00Z"),
      LocalCase(
        zone: "America/New_York", local: "2026-11-01T01:30", earliest: "2026-11-01T05:30:00Z",
        latest: "2026-11-01T06:30:00Z"),
      // Sydney's spring is in October, its autumn in April.
      LocalCase(
        zone: "Australia/Sydney", local: "2026-10-04T02:30", earliest: "2026-10-03T16:00:00Z",
        latest: "2026-10-03T16:00:00Z"),
      LocalCase(
        zone: "Australia/Sydney", local: "2026-04-05T02:30", earliest: "2026-04-04T15:30:00Z",
        latest: "2026-04-04T16:30:00Z"),
    ])
  func localToInstant(_ example: LocalCase) throws {
    let zone = F.zone(example.zone)
    let local = try #require(LocalDateTime.parse(example.local))
    #expect(zone.instant(for: local, .earliest) == F.at(example.earliest))
    #expect(zone.instant(for: local, .latest) == F.at(example.latest))
  }

  struct WindowCase: CustomTestStringConvertible, Sendable {
    let what: String
    let zone: String
    let every: String
    let from: String
    let until: String
    /// Any instant inside the occurrence looked at.
    let during: String
    let start: String
    let end: String
    var testDescription: String { what }
  }

  @Test(
    "a weekly window keeps its wall-clock times on the day of a change, failing closed",
    arguments: [
      WindowCase(
        what: "London: starting in the spring gap starts when the gap ends", zone: "Europe/London",
        every: "sun",
        from: "01:30", until: "03:00", during: "2026-03-29T01:30:00Z",
        start: "2026-03-29T01:00:00Z",
        end: "2026-03-29T02:00:00Z"),
      WindowCase(
        what: "New York: starting in the spring gap starts when the gap ends",
        zone: "America/New_York",
        every: "sun", from: "02:30", until: "04:00", during: "2026-03-08T07:30:00Z",
        start: "2026-03-08T07:00:00Z", end: "2026-03-08T08:00:00Z"),
      WindowCase(
        what: "Sydney: starting in the October gap starts when the gap ends",
        zone: "Australia/Sydney",
        every: "sun", from: "02:15", until: "04:00", during: "2026-10-03T16:30:00Z",
        start: "2026-10-03T16:00:00Z", end: "2026-10-03T17:00:00Z"),
      WindowCase(
        what: "London: ending in the repeated hour covers its later instant", zone: "Europe/London",
        every: "sun",
        from: "00:00", until: "01:30", during: "2026-10-25T01:29:59Z",
        start: "2026-10-24T23:00:00Z",
        end: "2026-10-25T01:30:00Z"),
      WindowCase(
        what: "New York: ending in the repeated hour covers its later instant",
        zone: "America/New_York",
        every: "sun", from: "00:00", until: "01:30", during: "2026-11-01T06:29:59Z",
        start: "2026-11-01T04:00:00Z", end: "2026-11-01T06:30:00Z"),
      WindowCase(
        what: "Sydney: ending in the April repeat covers its later instant",
        zone: "Australia/Sydney",
        every: "sun", from: "00:00", until: "02:30", during: "2026-04-04T16:29:59Z",
        start: "2026-04-04T13:00:00Z", end: "2026-04-04T16:30:00Z"),
      WindowCase(
        what: "London: starting in the repeated hour starts at its earlier instant",
        zone: "Europe/London",
        every: "sun", from: "01:30", until: "03:00", during: "2026-10-25T00:30:00Z",
        start: "2026-10-25T00:30:00Z", end: "2026-10-25T03:00:00Z"),
      WindowCase(
        what: "London: a night across the spring change lasts 7 hours", zone: "Europe/London",
        every: "sat",
        from: "22:00", until: "06:00", during: "2026-03-29T04:59:59Z",
        start: "2026-03-28T22:00:00Z",
        end: "2026-03-29T05:00:00Z"),
      WindowCase(
        what: "London: a night across the autumn change lasts 9 hours", zone: "Europe/London",
        every: "sat",
        from: "22:00", until: "06:00", during: "2026-10-25T05:59:59Z",
        start: "2026-10-24T21:00:00Z",
        end: "2026-10-25T06:00:00Z"),
    ])
  func changeDay(_ example: WindowCase) throws {
    let calendar = try F.calendar(
      """
        windows:
          - name: w
            every: [\(example.every)]
            from: "\(example.from)"
            until: "\(example.until)"
            timezone: \(example.zone)

      """)
    let found = try #require(calendar.occurrence(at: F.at(example.during)))
    #expect(found.start == F.at(example.start))
    #expect(found.end == F.at(example.end))
    #expect(calendar.occurrence(at: F.at(example.start).addingTimeInterval(-1)) == nil)
    #expect(calendar.occurrence(at: F.at(example.end)) == nil)
  }

  @Test(
    "the Friday 12:00-24:00 window the week before and after a change: same wall clock, another UTC offset",
    arguments: [
      ("Europe/London", "2026-03-27", "2026-03-27T12:00:00Z", "2026-03-28T00:00:00Z"),
      ("Europe/London", "2026-04-03", "2026-04-03T11:00:00Z", "2026-04-03T23:00:00Z"),
      ("Europe/London", "2026-10-23", "2026-10-23T11:00:00Z", "2026-10-23T23:00:00Z"),
      ("Europe/London", "2026-10-30", "2026-10-30T12:00:00Z", "2026-10-31T00:00:00Z"),
      ("America/New_York", "2026-03-06", "2026-03-06T17:00:00Z", "2026-03-07T05:00:00Z"),
      ("America/New_York", "2026-03-13", "2026-03-13T16:00:00Z", "2026-03-14T04:00:00Z"),
      ("America/New_York", "2026-10-30", "2026-10-30T16:00:00Z", "2026-10-31T04:00:00Z"),
      ("America/New_York", "2026-11-06", "2026-11-06T17:00:00Z", "2026-11-07T05:00:00Z"),
      ("Australia/Sydney", "2026-04-03", "2026-04-03T01:00:00Z", "2026-04-03T13:00:00Z"),
      ("Australia/Sydney", "2026-04-10", "2026-04-10T02:00:00Z", "2026-04-10T14:00:00Z"),
      ("Australia/Sydney", "2026-10-02", "2026-10-02T02:00:00Z", "2026-10-02T14:00:00Z"),
      ("Australia/Sydney", "2026-10-09", "2026-10-09T01:00:00Z", "2026-10-09T13:00:00Z"),
    ])
  func weekBeforeAndAfter(_ zone: String, _ friday: String, _ start: String, _ end: String) throws {
    let calendar = try F.calendar(
      """
        timezone: \(zone)
        windows:
          - name: friday-afternoon
            every: [fri]
            from: "12:00"
            until: "24:00"

      """)
    let found = try #require(calendar.occurrence(at: F.at(start)))
    #expect(found.start == F.at(start))
    #expect(found.end == F.at(end))
    #expect(found.describe(found.start) == "Fri \(friday) 12:00 \(zone)")
  }

  @Test("a one-off window ending in the repeated hour covers the whole of it")
  func oneOffEndingInRepeat() throws {
    let calendar = try F.calendar(
      """
        timezone: Europe/London
        windows:
          - name: clocks-change
            from: 2026-10-24T22:00
            until: 2026-10-25T01:30

      """)
    let found = try #require(calendar.occurrence(at: F.at("2026-10-25T01:29:59Z")))
    #expect(found.start == F.at("2026-10-24T21:00:00Z"))
    #expect(found.end == F.at("2026-10-25T01:30:00Z"))
    #expect(
      found.frozenUntilDescription.hasPrefix(
        "frozen until Sun 2026-10-25 01:30 Europe/London (UTC+00:00)"))
  }

  @Test(
    "a time the clocks show twice is described with its offset",
    arguments: [
      ("2026-10-25T00:30:00Z", "Europe/London", "Sun 2026-10-25 01:30 Europe/London (UTC+01:00)"),
      ("2026-10-25T01:30:00Z", "Europe/London", "Sun 2026-10-25 01:30 Europe/London (UTC+00:00)"),
      ("2026-10-25T02:00:00Z", "Europe/London", "Sun 2026-10-25 02:00 Europe/London"),
      ("2026-03-29T01:00:00Z", "Europe/London", "Sun 2026-03-29 02:00 Europe/London"),
      (
        "2026-11-01T05:30:00Z", "America/New_York",
        "Sun 2026-11-01 01:30 America/New_York (UTC-04:00)"
      ),
      (
        "2026-11-01T06:30:00Z", "America/New_York",
        "Sun 2026-11-01 01:30 America/New_York (UTC-05:00)"
      ),
    ])
  func describingRepeatedTimes(_ instant: String, _ zone: String, _ text: String) {
    #expect(FreezeCalendar.describe(F.at(instant), in: F.zone(zone)) == text)
  }
}
