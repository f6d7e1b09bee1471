import Foundation
import Testing

@testable import Governance

@Suite("RFC 3339 timestamps")
struct TimestampTests {
  @Test("records store UTC, whole seconds, and read back to the same instant")
  func roundTrip() {
    let text = "2026-11-22T04:32:25Z"
    let date = Timestamp.parse(text)
    #expect(date == Date(timeIntervalSince1970: 1_795_321_945))
    #expect(date.map(Timestamp.format) == text)
  }

  @Test(
    "any offset is read as the instant it names",
    arguments: [
      ("2026-11-22T18:32:25+14:00", "2026-11-22T04:32:25Z"),
      ("2026-11-21T16:32:25-12:00", "2026-11-22T04:32:25Z"),
      ("2026-11-22T05:32:25+01:00", "2026-11-22T04:32:25Z"),
      ("2026-11-22T04:32:25+00:00", "2026-11-22T04:32:25Z"),
      ("2026-11-21T23:02:25-05:30", "2026-11-22T04:32:25Z"),
      ("2027-01-01T00:30:00+14:00", "2026-12-31T10:30:00Z"),
    ])
  func offsets(_ typed: String, _ stored: String) {
    #expect(Timestamp.parse(typed).map(Timestamp.format) == stored)
  }

  @Test("fractional seconds are read, and stored times drop them")
  func fractionalSeconds() throws {
    let date = try #require(Timestamp.parse("2026-11-22T04:32:25.750Z"))
    #expect(abs(date.timeIntervalSince1970 - 1_795_321_945.75) < 0.001)
    #expect(Timestamp.format(date) == "2026-11-22T04:32:25Z")
    let almostNext = try #require(Timestamp.parse("2026-11-22T04:32:59.999+00:00"))
    #expect(Timestamp.format(almostNext) == "2026-11-22T04:32:59Z")
  }

  @Test(
    "format is fixed-width UTC for any date",
    arguments: [
      (0.0, "1970-01-01T00:00:00Z"), (951_782_400.0, "2000-02-29T00:00:00Z"),
      (4_102_444_799.0, "2099-12-31T23:59:59Z"),
    ] as [(Double, String)])
  func formatting(_ seconds: Double, _ text: String) {
    #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == text)
    #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: seconds))
  }

  @Test(
    "times without an offset, or not times at all, are refused",
    arguments: [
      "2026-11-22T04:32:25", "2026-11-22", "04:32:25Z", "yesterday", "", "2026-13-01T00:00:00Z",
    ])
  func invalid(_ text: String) {
    #expect(Timestamp.parse(text) == nil)
  }
}
