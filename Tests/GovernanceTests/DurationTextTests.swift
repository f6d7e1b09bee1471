import Testing

@testable import Governance

@Suite("durations in policy files")
struct DurationTextTests {
  @Test(
    "durations as people write them",
    arguments: [
      ("72h", 259_200), ("90m", 5_400), ("1h30m", 5_400), ("2d", 172_800), ("1w", 604_800),
      ("45s", 45),
      ("1d12h", 129_600), ("0s", 0),
    ] as [(String, Int)])
  func valid(_ text: String, _ seconds: Int) {
    #expect(DurationText.seconds(from: text) == seconds)
  }

  @Test(
    "anything else is refused",
    arguments: [
      "", "h", "10", "-1h", "1.5h", "72 h", " 72h", "72H", "1h30", "3 days", "1y", "٣h",
      "99999999999999999999h", "9223372036854775807w", "15250284452472w", "15250284452471w1w",
    ])
  func invalid(_ text: String) {
    #expect(DurationText.seconds(from: text) == nil)
  }

  @Test(
    "a count of seconds reads back in the largest units",
    arguments: [(259_200, "3d"), (5_400, "1h30m"), (45, "45s"), (0, "0s"), (90_061, "1d1h1m1s")]
      as [(Int, String)])
  func text(_ seconds: Int, _ text: String) {
    #expect(DurationText.text(fromSeconds: seconds) == text)
    #expect(DurationText.seconds(from: text) == seconds)
  }
}
