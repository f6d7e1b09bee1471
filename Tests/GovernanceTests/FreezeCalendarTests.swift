import Foundation
import Testing

@testable import Governance

/// Builders for freeze tests: instants from RFC 3339 text, zones by name, and calendars from the
/// `freezes:` section of a policy as a user would write it.
enum FreezeFixture {
  static func at(_ text: String) -> Date {
    guard let date = Timestamp.parse(text) else { fatalError("not an RFC 3339 time: \(text)") }
    return date
  }

  static func zone(_ identifier: String) -> IANATimeZone {
    guard let zone = IANATimeZone(identifier) else {
      fatalError("not a zone on this machine: \(identifier)")
    }
    return zone
  }

  /// A policy whose `freezes:` section is `section` (indented by two spaces, as under the key).
  static func policyText(_ section: String) -> String {
    "version: 1\nprotected: [refs/heads/main]\nfreezes:\n" + section
  }

  static func calendar(_ section: String, adHoc: [AdHocFreeze] = []) throws -> FreezeCalendar {
    FreezeCalendar(policy: try PolicyParser.parse(policyText(section)).freezes, adHoc: adHoc)
  }

  static let fridayAfternoon = """
      timezone: Europe/London
      windows:
        - name: friday-afternoon
          every: [fri]
          from: "12:00"
          until: "24:00"

    """
}

@Suite("freeze calendar")
struct FreezeCalendarTests {
  typealias F = FreezeFixture

  @Test(
    "a Friday 12:00-24:00 window is in force from its first second to just before midnight, half-open",
    arguments: [
      ("2026-11-27T11:59:59Z", false),
      ("2026-11-27T11:59:59.999Z", false),
      ("2026-11-27T12:00:00Z", true),
      ("2026-11-27T18:00:00Z", true),
      ("2026-11-27T23:59:59Z", true),
      ("2026-11-27T23:59:59.999Z", true),
      ("2026-11-28T00:00:00Z", false),
      ("2026-11-26T12:00:00Z", false),
      ("2026-12-04T12:00:00Z", true),
    ])
  func fridayBoundaries(_ instant: String, _ frozen: Bool) throws {
    let calendar = try F.calendar(F.fridayAfternoon)
    let found = calendar.occurrence(at: F.at(instant))
    #expect((found != nil) == frozen)
    if frozen {
      #expect(found?.name == "friday-afternoon")
      #expect(found?.origin == .policy)
      #expect(found?.zoneIdentifier == "Europe/London")
    }
  }

  @Test(
    "the Friday occurrence runs from 12:00 to Saturday 00:00, which is also when pushing is possible again"
  )
  func fridayOccurrence() throws {
    let calendar = try F.calendar(F.fridayAfternoon)
    let found = try #require(calendar.occurrence(at: F.at("2026-11-27T12:00:00Z")))
    #expect(found.start == F.at("2026-11-27T12:00:00Z"))
    #expect(found.end == F.at("2026-11-28T00:00:00Z"))
    #expect(found.effectiveEnd == F.at("2026-11-28T00:00:00Z"))
    #expect(found.contains(F.at("2026-11-27T23:59:59Z")))
    #expect(!found.contains(found.end))
  }

  @Test(
    "an overnight window runs past midnight into the next day, from each listed day only",
    arguments: [
      ("2026-11-23T21:59:59Z", nil),  // Mon, before
      ("2026-11-23T22:00:00Z", "2026-11-24T06:00:00Z"),  // Mon 22:00
      ("2026-11-24T05:59:59Z", "2026-11-24T06:00:00Z"),  // Tue morning: Monday's night
      ("2026-11-24T06:00:00Z", nil),
      ("2026-11-24T22:00:00Z", "2026-11-25T06:00:00Z"),  // Tue 22:00
      ("2026-11-25T05:00:00Z", "2026-11-25T06:00:00Z"),  // Wed morning: Tuesday's night
      ("2026-11-25T22:00:00Z", nil),  // Wed is not listed
      ("2026-11-23T03:00:00Z", nil),  // Mon morning: Sunday is not listed
    ] as [(String, String?)])
  func overnight(_ instant: String, _ end: String?) throws {
    let calendar = try F.calendar(
      """
        timezone: Europe/London
        windows:
          - name: night
            every: [mon, tue]
            from: "22:00"
            until: "06:00"

      """)
    let found = calendar.occurrence(at: F.at(instant))
    #expect(found?.end == end.map(F.at))
    #expect(found?.effectiveEnd == end.map(F.at))
  }

  static let chained = """
      timezone: Europe/London
      windows:
        - name: friday-afternoon
          every: [fri]
          from: "12:00"
          until: "24:00"
        - name: saturday-morning
          every: [sat]
          from: "00:00"
          until: "10:00"

    """

  @Test(
    "abutting windows chain: the one in force is named, and pushing is possible only after the last",
    arguments: [
      ("2026-11-27T13:00:00Z", "friday-afternoon", "2026-11-28T00:00:00Z"),
      ("2026-11-27T23:59:59Z", "friday-afternoon", "2026-11-28T00:00:00Z"),
      ("2026-11-28T00:00:00Z", "saturday-morning", "2026-11-28T10:00:00Z"),
      ("2026-11-28T09:00:00Z", "saturday-morning", "2026-11-28T10:00:00Z"),
    ])
  func chainedWindows(_ instant: String, _ name: String, _ end: String) throws {
    let found = try #require(try F.calendar(Self.chained).occurrence(at: F.at(instant)))
    #expect(found.name == name)
    #expect(found.end == F.at(end))
    #expect(found.effectiveEnd == F.at("2026-11-28T10:00:00Z"))
    #expect(try F.calendar(Self.chained).occurrence(at: F.at("2026-11-28T10:00:00Z")) == nil)
  }

  @Test(
    "a one-off window covering weekly ones is reported when it ends last, and the chain runs to its end"
  )
  func oneOffOverWeekly() throws {
    let calendar = try F.calendar(
      F.fridayAfternoon + """
            - name: year-end
              from: 2026-12-19
              until: 2027-01-04T00:00

        """)
    // Friday 18 December: the weekly window abuts the one-off at Saturday 00:00.
    let friday = try #require(calendar.occurrence(at: F.at("2026-12-18T12:00:00Z")))
    #expect(friday.name == "friday-afternoon")
    #expect(friday.end == F.at("2026-12-19T00:00:00Z"))
    #expect(friday.effectiveEnd == F.at("2027-01-04T00:00:00Z"))
    // Christmas Day is a Friday: both are in force; year-end ends last.
    let christmas = try #require(calendar.occurrence(at: F.at("2026-12-25T13:00:00Z")))
    #expect(christmas.name == "year-end")
    #expect(christmas.effectiveEnd == F.at("2027-01-04T00:00:00Z"))
    #expect(calendar.occurrence(at: F.at("2027-01-04T00:00:00Z")) == nil)
  }

  @Test("windows covering the whole week never let go, and say so")
  func everyHourOfTheWeek() throws {
    let calendar = try F.calendar(
      """
        timezone: UTC
        windows:
          - name: lockdown
            every: [mon, tue, wed, thu, fri, sat, sun]
            from: "00:00"
            until: "24:00"

      """)
    let found = try #require(calendar.occurrence(at: F.at("2026-11-27T12:00:00Z")))
    #expect(found.end == F.at("2026-11-28T00:00:00Z"))
    #expect(found.effectiveEnd == .distantFuture)
    #expect(
      found.frozenUntilDescription.hasPrefix("frozen with no end in sight (window \"lockdown\""))
  }

  @Test(
    "one-off windows take a date (its 00:00) or a date-time, local to their zone",
    arguments: [
      ("2026-12-20", "2027-01-04", "Europe/London", "2026-12-20T00:00:00Z", "2027-01-04T00:00:00Z"),
      (
        "2026-12-20T09:30", "2026-12-20T17:45", "America/New_York", "2026-12-20T14:30:00Z",
        "2026-12-20T22:45:00Z"
      ),
      (
        "2026-07-01 09:00", "2026-07-03T24:00", "Europe/London", "2026-07-01T08:00:00Z",
        "2026-07-03T23:00:00Z"
      ),
      (
        "2026-12-20", "2026-12-21", "Pacific/Kiritimati", "2026-12-19T10:00:00Z",
        "2026-12-20T10:00:00Z"
      ),
      ("2026-12-20", "2026-12-21", "Etc/GMT+12", "2026-12-20T12:00:00Z", "2026-12-21T12:00:00Z"),
    ])
  func oneOff(_ from: String, _ until: String, _ zone: String, _ start: String, _ end: String)
    throws
  {
    let calendar = try F.calendar(
      """
        windows:
          - name: one-off
            from: \(from)
            until: \(until)
            timezone: \(zone)

      """)
    let found = try #require(calendar.occurrence(at: F.at(start)))
    #expect(found.start == F.at(start))
    #expect(found.end == F.at(end))
    #expect(found.zoneIdentifier == zone)
    #expect(calendar.occurrence(at: F.at(start).addingTimeInterval(-1)) == nil)
    #expect(calendar.occurrence(at: F.at(end)) == nil)
  }

  @Test("the leap day 2028-02-29 is a day like any other, weekly (a Tuesday) and one-off")
  func leapDay() throws {
    let calendar = try F.calendar(
      """
        timezone: UTC
        windows:
          - name: leap
            from: 2028-02-29
            until: 2028-03-01
          - name: tuesday-evening
            every: [tuesday]
            from: "18:00"
            until: "20:00"

      """)
    #expect(calendar.occurrence(at: F.at("2028-02-28T23:59:59Z")) == nil)
    #expect(calendar.occurrence(at: F.at("2028-02-29T00:00:00Z"))?.name == "leap")
    #expect(calendar.occurrence(at: F.at("2028-03-01T00:00:00Z")) == nil)
    let evening = calendar.occurrences(
      from: F.at("2028-02-29T00:00:00Z"), to: F.at("2028-03-01T00:00:00Z"))
    #expect(evening.map(\.name) == ["leap", "tuesday-evening"])
    #expect(evening.last?.start == F.at("2028-02-29T18:00:00Z"))
    #expect(
      FreezeCalendar.describe(F.at("2028-02-29T18:00:00Z"), in: .utc) == "Tue 2028-02-29 18:00 UTC")
  }

  @Test(
    "far past and far future instants follow the zone's rules of the time",
    arguments: [
      // London kept UTC+1 all year from 1968 to 1971 (British Standard Time).
      ("1970-01-02T10:59:59Z", nil),
      ("1970-01-02T11:00:00Z", "1970-01-02T23:00:00Z"),
      ("2100-01-01T11:59:59Z", nil),
      ("2100-01-01T12:00:00Z", "2100-01-02T00:00:00Z"),
      ("2100-07-02T11:00:00Z", "2100-07-02T23:00:00Z"),
    ] as [(String, String?)])
  func farInstants(_ instant: String, _ end: String?) throws {
    let found = try F.calendar(F.fridayAfternoon).occurrence(at: F.at(instant))
    #expect(found?.end == end.map(F.at))
  }

  @Test("the ends of Foundation's time are answered without trapping")
  func endsOfTime() throws {
    let calendar = try F.calendar(F.fridayAfternoon)
    for instant in [Date.distantPast, Date.distantFuture, Date(timeIntervalSince1970: .infinity)] {
      _ = calendar.occurrence(at: instant)
      _ = FreezeCalendar.describe(instant, in: F.zone("Europe/London"))
    }
    #expect(FreezeCalendar.describe(.distantFuture, in: .utc) == "Mon 4001-01-01 00:00 UTC")
  }

  @Test(
    "instants given with any offset are the same instants",
    arguments: [
      ("2026-11-28T01:59:59+14:00", false),  // Fri 11:59:59 in London
      ("2026-11-28T02:00:00+14:00", true),  // Fri 12:00
      ("2026-11-27T11:59:59-12:00", true),  // Fri 23:59:59
      ("2026-11-27T12:00:00-12:00", false),  // Sat 00:00
    ])
  func offsets(_ instant: String, _ frozen: Bool) throws {
    #expect((try F.calendar(F.fridayAfternoon).occurrence(at: F.at(instant)) != nil) == frozen)
  }

  @Test("windows in zones at +14:00 and -12:00 keep their local times")
  func extremeZones() throws {
    let calendar = try F.calendar(
      """
        windows:
          - name: kiritimati
            every: [fri]
            from: "12:00"
            until: "13:00"
            timezone: Pacific/Kiritimati
          - name: baker-island
            every: [fri]
            from: "12:00"
            until: "13:00"
            timezone: Etc/GMT+12

      """)
    let week = calendar.occurrences(
      from: F.at("2026-11-23T00:00:00Z"), to: F.at("2026-11-30T00:00:00Z"))
    #expect(week.map(\.name) == ["kiritimati", "baker-island"])
    #expect(week.map(\.start) == [F.at("2026-11-26T22:00:00Z"), F.at("2026-11-28T00:00:00Z")])
    #expect(week.first.map { $0.describe($0.start) } == "Fri 2026-11-27 12:00 Pacific/Kiritimati")
    #expect(week.last.map { $0.describe($0.start) } == "Fri 2026-11-27 12:00 Etc/GMT+12")
  }

  @Test("over four weeks, every occurrence intersecting the period is listed once, sorted by start")
  func fourWeeks() throws {
    let adHoc = AdHocFreeze(
      id: "f-db-migration", reason: "database migration", from: F.at("2026-12-02T09:00:00Z"),
      until: F.at("2026-12-02T17:00:00Z"), timeZone: F.zone("Europe/London"))
    let calendar = try F.calendar(
      F.fridayAfternoon + """
            - name: night
              every: [mon, tue]
              from: "22:00"
              until: "06:00"
            - name: year-end
              from: 2026-12-20
              until: 2027-01-04

        """, adHoc: [adHoc])
    // Tuesday 03:00 to Tuesday 03:00: Monday's night has begun already and is listed.
    let listed = calendar.occurrences(
      from: F.at("2026-11-24T03:00:00Z"), to: F.at("2026-12-22T03:00:00Z"))
    let expected = [
      ("night", "2026-11-23T22:00:00Z"), ("night", "2026-11-24T22:00:00Z"),
      ("friday-afternoon", "2026-11-27T12:00:00Z"), ("night", "2026-11-30T22:00:00Z"),
      ("night", "2026-12-01T22:00:00Z"), ("f-db-migration", "2026-12-02T09:00:00Z"),
      ("friday-afternoon", "2026-12-04T12:00:00Z"), ("night", "2026-12-07T22:00:00Z"),
      ("night", "2026-12-08T22:00:00Z"), ("friday-afternoon", "2026-12-11T12:00:00Z"),
      ("night", "2026-12-14T22:00:00Z"), ("night", "2026-12-15T22:00:00Z"),
      ("friday-afternoon", "2026-12-18T12:00:00Z"), ("year-end", "2026-12-20T00:00:00Z"),
      ("night", "2026-12-21T22:00:00Z"),
    ]
    #expect(listed.map(\.name) == expected.map(\.0))
    #expect(listed.map(\.start) == expected.map { F.at($0.1) })
    #expect(listed.allSatisfy { $0.effectiveEnd == $0.end })
    #expect(listed.filter(\.isAdHoc).map(\.origin) == [.adHoc(reason: "database migration")])
    // Half-open: an occurrence starting exactly at the end of the period is not in it,
    // one ending exactly at its start is not either.
    #expect(
      calendar.occurrences(from: F.at("2026-11-28T00:00:00Z"), to: F.at("2026-12-04T12:00:00Z"))
        .map(\.name)
        == ["night", "night", "f-db-migration"])
    #expect(
      calendar.occurrences(from: F.at("2026-12-01T00:00:00Z"), to: F.at("2026-12-01T00:00:00Z"))
        .isEmpty)
  }

  @Test("ad-hoc freezes combine with the policy's windows and chain with them")
  func adHocWithPolicy() throws {
    let london = F.zone("Europe/London")
    let morning = AdHocFreeze(
      id: "f-1", reason: "payments cut-over", from: F.at("2026-11-27T09:00:00Z"),
      until: F.at("2026-11-27T12:30:00Z"), timeZone: london)
    let backwards = AdHocFreeze(
      id: "f-2", reason: "typo", from: F.at("2026-11-25T12:00:00Z"),
      until: F.at("2026-11-25T11:00:00Z"),
      timeZone: london)
    let calendar = try F.calendar(F.fridayAfternoon, adHoc: [morning, backwards])

    let early = try #require(calendar.occurrence(at: F.at("2026-11-27T09:00:00Z")))
    #expect(early.name == "f-1")
    #expect(early.origin == .adHoc(reason: "payments cut-over"))
    #expect(early.end == F.at("2026-11-27T12:30:00Z"))
    #expect(early.effectiveEnd == F.at("2026-11-28T00:00:00Z"))
    #expect(
      early.frozenUntilDescription
        == "frozen until Sat 2026-11-28 00:00 Europe/London (freeze \"f-1\": payments cut-over)")
    // Both in force: the policy window ends later and is the one named.
    #expect(calendar.occurrence(at: F.at("2026-11-27T12:15:00Z"))?.name == "friday-afternoon")
    #expect(calendar.occurrence(at: F.at("2026-11-27T08:59:59Z")) == nil)
    // A freeze that ends before it starts freezes nothing.
    #expect(
      calendar.occurrences(from: F.at("2026-11-25T00:00:00Z"), to: F.at("2026-11-26T00:00:00Z"))
        .isEmpty)
    // Ad-hoc freezes alone, without any policy window.
    let alone = FreezeCalendar(policy: FreezePolicy(), adHoc: [morning])
    #expect(
      alone.occurrence(at: F.at("2026-11-27T12:29:59Z"))?.effectiveEnd
        == F.at("2026-11-27T12:30:00Z"))
    #expect(alone.occurrence(at: F.at("2026-11-27T12:30:00Z")) == nil)
  }

  @Test("no policy windows and no records: nothing is ever frozen")
  func nothingDeclared() throws {
    let calendar = FreezeCalendar(
      policy: try PolicyParser.parse("version: 1\nprotected: []\n").freezes)
    #expect(calendar.occurrence(at: F.at("2026-11-27T12:00:00Z")) == nil)
    #expect(
      calendar.occurrences(from: F.at("2026-01-01T00:00:00Z"), to: F.at("2027-01-01T00:00:00Z"))
        .isEmpty)
  }

  @Test(
    "instants read in the window's zone, as block messages show them",
    arguments: [
      ("2026-12-01T00:00:00Z", "Europe/London", "Tue 2026-12-01 00:00 Europe/London"),
      ("2026-07-03T11:00:00Z", "Europe/London", "Fri 2026-07-03 12:00 Europe/London"),
      ("2026-11-27T12:00:30Z", "Europe/London", "Fri 2026-11-27 12:00:30 Europe/London"),
      ("2026-11-28T00:00:00Z", "America/New_York", "Fri 2026-11-27 19:00 America/New_York"),
      ("2026-11-27T12:00:00Z", "UTC", "Fri 2026-11-27 12:00 UTC"),
      ("2026-11-27T12:00:00Z", "Asia/Kolkata", "Fri 2026-11-27 17:30 Asia/Kolkata"),
      ("1970-01-01T00:00:00Z", "UTC", "Thu 1970-01-01 00:00 UTC"),
    ])
  func describing(_ instant: String, _ zone: String, _ text: String) {
    #expect(FreezeCalendar.describe(F.at(instant), in: F.zone(zone)) == text)
  }

  @Test("a block message names when pushing becomes possible, and the window")
  func blockMessage() throws {
    let found = try #require(
      try F.calendar(Self.chained).occurrence(at: F.at("2026-11-27T15:00:00Z")))
    #expect(
      "refs/tags/v1.4.0 is \(found.frozenUntilDescription)"
        == "refs/tags/v1.4.0 is frozen until Sat 2026-11-28 10:00 Europe/London (window \"friday-afternoon\")"
    )
  }
}
