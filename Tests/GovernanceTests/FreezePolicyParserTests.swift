import Foundation
import Testing

@testable import Governance

@Suite("policy.yml freezes")
struct FreezePolicyParserTests {
  typealias F = FreezeFixture

  @Test("the contract's example freezes read as written")
  func contractExample() throws {
    let policy = try PolicyParser.parse(
      F.policyText(
        """
          timezone: Europe/London      # IANA zone; DST handled
          windows:
            - name: friday-afternoon
              every: [fri]
              from: "12:00"
              until: "24:00"
            - name: year-end
              from: 2026-12-20T00:00
              until: 2027-01-04T00:00

        """))
    let london = F.zone("Europe/London")
    #expect(
      policy.freezes
        == FreezePolicy(
          timeZone: london,
          windows: [
            FreezeWindow(
              name: "friday-afternoon", timeZone: london,
              schedule: .weekly(days: [.friday], from: 720, until: 1440)),
            FreezeWindow(
              name: "year-end", timeZone: london,
              schedule: .once(
                from: LocalDateTime(year: 2026, month: 12, day: 20)!,
                until: LocalDateTime(year: 2027, month: 1, day: 4)!)),
          ]))
  }

  @Test(
    "days are short or full names in any case, a single day needs no list, and windows may name their own zone"
  )
  func flexibleSpelling() throws {
    let policy = try PolicyParser.parse(
      F.policyText(
        """
          timezone: Europe/London
          windows:
            - name: early-week
              every: [Monday, TUE, wed]
              from: 9:00
              until: "17:30"
            - name: saturday
              every: Sat
              from: "00:00"
              until: "24:00"
            - name: thanksgiving
              from: 2026-11-26
              until: 2026-11-27T12:00
              timezone: America/New_York

        """))
    let windows = policy.freezes.windows
    #expect(windows.map(\.schedule.description) == ["weekly", "weekly", "once"])
    #expect(
      windows[0].schedule == .weekly(days: [.monday, .tuesday, .wednesday], from: 540, until: 1050))
    #expect(windows[1].schedule == .weekly(days: [.saturday], from: 0, until: 1440))
    #expect(
      windows.map(\.timeZone.identifier) == ["Europe/London", "Europe/London", "America/New_York"])
  }

  @Test("a policy without freezes, or with an empty section, freezes nothing")
  func noFreezes() throws {
    #expect(try PolicyParser.parse("version: 1\nprotected: []\n").freezes == FreezePolicy())
    #expect(
      try PolicyParser.parse("version: 1\nprotected: []\nfreezes: {}\n").freezes == FreezePolicy())
    let zoneOnly = try PolicyParser.parse(F.policyText("  timezone: UTC\n  windows: []\n")).freezes
    #expect(zoneOnly == FreezePolicy(timeZone: .utc))
    #expect(zoneOnly.timeZone?.identifier == "UTC")
  }

  @Test(
    "windows may abut; weekly windows in different zones and one-offs over weekly ones may overlap")
  func allowedNeighbours() throws {
    let policy = try PolicyParser.parse(
      F.policyText(
        """
          timezone: Europe/London
          windows:
            - {name: friday-afternoon, every: [fri], from: "12:00", until: "24:00"}
            - {name: saturday-morning, every: [sat], from: "00:00", until: "10:00"}
            - {name: new-york-friday, every: [fri], from: "09:00", until: "17:00", timezone: America/New_York}
            - {name: sunday-night, every: [sun], from: "22:00", until: "06:00"}
            - {name: monday, every: [mon], from: "06:00", until: "09:00"}
            - {name: december, from: 2026-12-01, until: 2027-01-01}
            - {name: january, from: 2027-01-01, until: 2027-02-01}

        """))
    #expect(policy.freezes.windows.count == 7)
  }

  @Test(
    "zones are IANA names, spelt exactly; Foundation's offset forms are refused",
    arguments: [
      ("Europe/London", true), ("UTC", true), ("Etc/UTC", true),
      ("America/Argentina/Buenos_Aires", true),
      ("Europe/Londn", false), ("europe/london", false), ("GMT+1", false), ("+01:00", false),
      ("", false),
      ("Mars/Olympus_Mons", false),
    ])
  func zoneNames(_ name: String, _ valid: Bool) {
    #expect((IANATimeZone(name) != nil) == valid)
  }

  @Test(
    "local dates and date-times: a date is its 00:00, 24:00 is the next day's 00:00, no seconds, no offset",
    arguments: [
      ("2026-12-20", "2026-12-20T00:00"), ("2026-12-20T09:30", "2026-12-20T09:30"),
      ("2026-12-20 9:30", "2026-12-20T09:30"), ("2026-12-31T24:00", "2027-01-01T00:00"),
      ("2028-02-29", "2028-02-29T00:00"), ("2026-12-20T", nil), ("2026-13-01", nil),
      ("2026-12-32", nil), ("2027-02-29", nil), ("2026-12-20T12:00:00", nil),
      ("2026-12-20T12:00Z", nil), ("2026-12-20T12:00+01:00", nil), ("26-12-20", nil),
      ("2026-12-20T24:30", nil),
    ] as [(String, String?)])
  func localDateTimes(_ text: String, _ read: String?) {
    #expect(LocalDateTime.parse(text)?.description == read)
  }

  // MARK: - Mistakes name line and column and say what would be right

  struct Mistake: CustomTestStringConvertible, Sendable {
    let what: String
    let section: String
    let expected: [String]
    var testDescription: String { what }
  }

  /// Lines 1-3 are `version`, `protected` and `freezes:`; the section starts on line 4.
  static let mistakes: [Mistake] = [
    Mistake(
      what: "an unknown setting in freezes",
      section: "  timezone: Europe/London\n  zone: UTC\n",
      expected: [
        "policy.yml:5:3: unknown setting \"zone\" in freezes; known: timezone, windows, declare, holidays"
      ]),
    Mistake(
      what: "an unknown field in a window",
      section: """
          timezone: Europe/London
          windows:
            - name: lunch
              every: [fri]
              from: "12:00"
              until: "13:00"
              reason: lunch

        """,
      expected: [
        "policy.yml:10:7: unknown field \"reason\" in a freeze window; known: name, every, from, until, timezone"
      ]),
    Mistake(
      what: "a window without a name",
      section:
        "  timezone: UTC\n  windows:\n    - every: [fri]\n      from: \"12:00\"\n      until: \"13:00\"\n",
      expected: ["policy.yml:6:7: every freeze window needs a name"]),
    Mistake(
      what: "a window with an empty name",
      section:
        "  timezone: UTC\n  windows:\n    - {name: \"\", every: [fri], from: \"12:00\", until: \"13:00\"}\n",
      expected: ["policy.yml:6:14: a freeze window's name must not be empty"]),
    Mistake(
      what: "two windows with one name",
      section: """
          timezone: UTC
          windows:
            - {name: lunch, every: [fri], from: "12:00", until: "13:00"}
            - {name: lunch, every: [mon], from: "12:00", until: "13:00"}

        """,
      expected: [
        "policy.yml:7:14: freeze window name \"lunch\" is used twice; names must be unique"
      ]),
    Mistake(
      what: "a misspelt zone",
      section: "  timezone: Europe/Londn\n  windows: []\n",
      expected: [
        "policy.yml:4:13: timezone \"Europe/Londn\" is not an IANA time zone, e.g. Europe/London"
      ]),
    Mistake(
      what: "a zone in the wrong case, in a window",
      section:
        "  windows:\n    - {name: x, from: 2026-12-20, until: 2026-12-21, timezone: europe/paris}\n",
      expected: [
        "policy.yml:5:64: timezone \"europe/paris\" is not an IANA time zone, e.g. Europe/Paris"
      ]),
    Mistake(
      what: "a zone that is nowhere near a real one",
      section: "  timezone: Mars/Olympus_Mons\n",
      expected: [
        "policy.yml:4:13: timezone \"Mars/Olympus_Mons\" is not an IANA time zone, e.g. Europe/London"
      ]),
    Mistake(
      what: "an offset instead of a zone",
      section: "  timezone: GMT+1\n",
      expected: ["policy.yml:4:13: timezone \"GMT+1\" is not an IANA time zone, e.g. Europe/London"]
    ),
    Mistake(
      what: "no zone at all",
      section: "  windows:\n    - {name: lunch, every: [fri], from: \"12:00\", until: \"13:00\"}\n",
      expected: [
        "policy.yml:5:7: freeze window \"lunch\" has no time zone; set freezes.timezone (e.g. timezone: Europe/London) or the window's own timezone"
      ]),
    Mistake(
      what: "a day that is not a day",
      section:
        "  timezone: UTC\n  windows:\n    - {name: lunch, every: [mon, fry], from: \"12:00\", until: \"13:00\"}\n",
      expected: [
        "policy.yml:6:34: every \"fry\" is not a day of the week; use mon, tue, wed, thu, fri, sat or sun"
      ]),
    Mistake(
      what: "a day listed twice",
      section:
        "  timezone: UTC\n  windows:\n    - {name: lunch, every: [fri, Friday], from: \"12:00\", until: \"13:00\"}\n",
      expected: ["policy.yml:6:34: every lists fri twice; list each day once"]),
    Mistake(
      what: "no days",
      section:
        "  timezone: UTC\n  windows:\n    - {name: lunch, every: [], from: \"12:00\", until: \"13:00\"}\n",
      expected: ["policy.yml:6:28: every must list at least one day, e.g. every: [fri]"]),
    Mistake(
      what: "sixty minutes",
      section:
        "  timezone: UTC\n  windows:\n    - {name: lunch, every: [fri], from: \"12:60\", until: \"13:00\"}\n",
      expected: [
        "policy.yml:6:41: from \"12:60\" is not a time of day; use HH:MM from 00:00 to 23:59"
      ]),
    Mistake(
      what: "hour 25",
      section:
        "  timezone: UTC\n  windows:\n    - {name: lunch, every: [fri], from: \"12:00\", until: \"25:00\"}\n",
      expected: [
        "policy.yml:6:57: until \"25:00\" is not a time of day; use HH:MM from 00:00 to 24:00 (24:00 is the end of the day)"
      ]),
    Mistake(
      what: "a minute past the end of the day",
      section:
        "  timezone: UTC\n  windows:\n    - {name: late, every: [fri], from: \"23:00\", until: \"24:01\"}\n",
      expected: [
        "policy.yml:6:56: until \"24:01\" is not a time of day; use HH:MM from 00:00 to 24:00 (24:00 is the end of the day)"
      ]),
    Mistake(
      what: "a window starting at the end of the day",
      section:
        "  timezone: UTC\n  windows:\n    - {name: late, every: [fri], from: \"24:00\", until: \"06:00\"}\n",
      expected: [
        "policy.yml:6:40: from \"24:00\" is not a time of day; use HH:MM from 00:00 to 23:59"
      ]),
    Mistake(
      what: "a time in words",
      section:
        "  timezone: UTC\n  windows:\n    - {name: lunch, every: [fri], from: noon, until: \"13:00\"}\n",
      expected: [
        "policy.yml:6:41: from \"noon\" is neither a time of day such as \"12:00\" nor a local date or date-time such as 2026-12-20 or 2026-12-20T00:00"
      ]),
    Mistake(
      what: "a date that does not exist",
      section:
        "  timezone: UTC\n  windows:\n    - {name: leap, from: 2027-02-29, until: 2027-03-01}\n",
      expected: [
        "policy.yml:6:26: from \"2027-02-29\" is not a date or date-time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM, local to the window's time zone (no offset)"
      ]),
    Mistake(
      what: "a date-time with an offset",
      section:
        "  timezone: UTC\n  windows:\n    - {name: x, from: 2026-12-20T00:00Z, until: 2026-12-21}\n",
      expected: [
        "policy.yml:6:23: from \"2026-12-20T00:00Z\" is not a date or date-time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM, local to the window's time zone (no offset)"
      ]),
    Mistake(
      what: "every with one-off dates",
      section: """
          timezone: UTC
          windows:
            - name: year-end
              every: [fri]
              from: 2026-12-20T00:00
              until: "18:00"

        """,
      expected: [
        "policy.yml:8:13: from 2026-12-20T00:00 is a date, but a window with `every:` repeats weekly; give a time of day such as \"12:00\", or drop `every:` for a one-off window"
      ]),
    Mistake(
      what: "times of day without every",
      section:
        "  timezone: UTC\n  windows:\n    - name: lunch\n      from: \"12:00\"\n      until: \"13:00\"\n",
      expected: [
        "policy.yml:6:7: freeze window \"lunch\" gives times of day but no `every:`; add the days it repeats on, e.g. every: [fri], or give dates such as 2026-12-20T00:00 for a one-off window"
      ]),
    Mistake(
      what: "a date and a time of day",
      section: "  timezone: UTC\n  windows:\n    - {name: x, from: 2026-12-20, until: \"13:00\"}\n",
      expected: [
        "policy.yml:6:7: freeze window \"x\" mixes a time of day and a date; give both as times of day with `every:` (weekly), or both as dates such as 2026-12-20T00:00 (one-off)"
      ]),
    Mistake(
      what: "a window without until",
      section: "  timezone: UTC\n  windows:\n    - {name: x, every: [fri], from: \"12:00\"}\n",
      expected: ["policy.yml:6:7: freeze window \"x\" needs `until:`"]),
    Mistake(
      what: "a window with neither end",
      section: "  timezone: UTC\n  windows:\n    - {name: x, every: [fri]}\n",
      expected: ["policy.yml:6:7: freeze window \"x\" needs `from:` and `until:`"]),
    Mistake(
      what: "an empty weekly window",
      section:
        "  timezone: UTC\n  windows:\n    - {name: x, every: [fri], from: \"12:00\", until: \"12:00\"}\n",
      expected: [
        "policy.yml:6:53: freeze window \"x\" is empty: from and until are both 12:00; for a whole day use from: \"00:00\" and until: \"24:00\""
      ]),
    Mistake(
      what: "a one-off window ending before it starts",
      section:
        "  timezone: UTC\n  windows:\n    - {name: x, from: 2027-01-04, until: 2026-12-20}\n",
      expected: [
        "policy.yml:6:42: freeze window \"x\" ends before it starts (from 2027-01-04T00:00, until 2026-12-20T00:00); until must be later than from"
      ]),
    Mistake(
      what: "a one-off window ending as it starts",
      section:
        "  timezone: UTC\n  windows:\n    - {name: x, from: 2026-12-20T24:00, until: 2026-12-21}\n",
      expected: [
        "policy.yml:6:48: freeze window \"x\" ends before it starts (from 2026-12-21T00:00, until 2026-12-21T00:00); until must be later than from"
      ]),
    Mistake(
      what: "a one-off window wholly inside the spring-forward gap",
      section:
        "  timezone: Europe/London\n  windows:\n    - {name: x, from: 2026-03-29T01:00, until: 2026-03-29T01:59}\n",
      expected: [
        "policy.yml:6:48: freeze window \"x\" falls wholly in a daylight-saving gap of Europe/London (from 2026-03-29T01:00, until 2026-03-29T01:59); until must be later than from"
      ]),
    Mistake(
      what: "one-off windows that overlap",
      section: """
          timezone: Europe/London
          windows:
            - {name: year-end, from: 2026-12-20, until: 2027-01-04}
            - {name: christmas, from: 2026-12-24, until: 2026-12-27}

        """,
      expected: [
        "policy.yml:7:7: freeze window \"christmas\" overlaps \"year-end\" from Thu 2026-12-24 00:00 Europe/London until Sun 2026-12-27 00:00 Europe/London; join them into one window or make them not overlap"
      ]),
    Mistake(
      what: "one-off windows in different zones that overlap by an hour",
      section: """
          timezone: Europe/London
          windows:
            - {name: london, from: 2026-12-20, until: 2026-12-21}
            - {name: new-york, from: 2026-12-20T18:00, until: 2026-12-21, timezone: America/New_York}

        """,
      expected: [
        "policy.yml:7:7: freeze window \"new-york\" overlaps \"london\" from Sun 2026-12-20 18:00 America/New_York until Sun 2026-12-20 19:00 America/New_York; join them into one window or make them not overlap"
      ]),
    Mistake(
      what: "weekly windows that overlap on a shared day",
      section: """
          timezone: Europe/London
          windows:
            - {name: friday-afternoon, every: [fri], from: "12:00", until: "24:00"}
            - {name: release-train, every: [tue, fri], from: "18:00", until: "20:00"}

        """,
      expected: [
        "policy.yml:7:7: freeze window \"release-train\" overlaps \"friday-afternoon\" every fri from 18:00 until 20:00 (Europe/London); join them into one window or make them not overlap"
      ]),
    Mistake(
      what: "an overnight window overlapping the next day's",
      section: """
          timezone: UTC
          windows:
            - {name: late, every: [sun], from: "22:00", until: "02:00"}
            - {name: early, every: [mon], from: "01:00", until: "03:00"}

        """,
      expected: [
        "policy.yml:7:7: freeze window \"early\" overlaps \"late\" every mon from 01:00 until 02:00 (UTC); join them into one window or make them not overlap"
      ]),
    Mistake(
      what: "windows given as a mapping",
      section: "  timezone: UTC\n  windows:\n    lunch: {every: [fri]}\n",
      expected: ["policy.yml:6:5: freezes.windows must be a list, got a mapping"]),
    Mistake(
      what: "freezes given as a list",
      section: "  - friday\n",
      expected: ["policy.yml:4:3: freezes must be a mapping, got a list"]),
  ]

  @Test(
    "each mistake is reported once, at its line and column, with what would be right",
    arguments: mistakes)
  func mistakeIsLocated(_ mistake: Mistake) {
    #expect(policyErrors(F.policyText(mistake.section)) == mistake.expected)
  }

  @Test("every mistake in the freezes section is reported in one pass, in file order")
  func severalAtOnce() {
    let errors = policyErrors(
      F.policyText(
        """
          windows:
            - name: lunch
              every: [fri, someday]
              from: "12:60"
              until: "13:00"
            - name: lunch
              from: 2026-12-20
              until: 2026-12-19
          timezone: Europe/Londn

        """))
    #expect(
      errors == [
        "policy.yml:6:20: every \"someday\" is not a day of the week; use mon, tue, wed, thu, fri, sat or sun",
        "policy.yml:7:13: from \"12:60\" is not a time of day; use HH:MM from 00:00 to 23:59",
        "policy.yml:9:13: freeze window name \"lunch\" is used twice; names must be unique",
        "policy.yml:12:13: timezone \"Europe/Londn\" is not an IANA time zone, e.g. Europe/London",
      ])
  }
}

extension FreezeWindow.Schedule {
  var description: String {
    switch self {
    case .weekly: "weekly"
    case .once: "once"
    }
  }
}
