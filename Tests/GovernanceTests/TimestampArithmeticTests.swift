import Foundation
import Testing

@testable import Governance

@Suite("RFC 3339 arithmetic")
struct TimestampArithmeticTests {
  @Test("agrees with Foundation's ISO 8601 formatter on a spread of instants, both ways")
  func agreesWithFoundation() {
    let formatter = ISO8601DateFormatter()
    for seconds in stride(from: -2_208_988_800.0, through: 4_102_444_800.0, by: 9_876_543.0) {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(Timestamp.format(date) == formatter.string(from: date))
      #expect(Timestamp.parse(formatter.string(from: date)) == date)
    }
  }

  @Test(
    "refuses what is not a real RFC 3339 time",
    arguments: [
      "2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
      "2026-11-22T24:00:00Z",
      "2026-11-22T10:60:00Z", "2026-11-22T10:00:00", "2026-11-22 10:00:00Z",
      "2026-11-22T10:00:00+1:00",
      "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00Zjunk", "",
    ])
  func refusesNonsense(_ text: String) {
    #expect(Timestamp.parse(text) == nil)
  }

  @Test("leap days and offsets")
  func leapDaysAndOffsets() {
    #expect(Timestamp.parse("2028-02-29T12:00:00Z") != nil)
    #expect(Timestamp.parse("2026-11-22T14:00:00+14:00") == Timestamp.parse("2026-11-22T00:00:00Z"))
    #expect(Timestamp.parse("2026-11-21T12:00:00-12:00") == Timestamp.parse("2026-11-22T00:00:00Z"))
  }
}
