import Foundation
import GovernFuzz
import Testing

/// Every seed and every input a fuzzer once crashed on goes through the same harness
/// `make fuzz` runs, so a fixed crash stays fixed.
@Suite("fuzz corpus and regressions replay")
struct FuzzReplayTests {
  static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("fuzz")

  static func inputs(_ target: FuzzTarget) -> [URL] {
    ["corpus", "regressions"].flatMap { folder -> [URL] in
      let directory = fuzzDirectory.appendingPathComponent("\(folder)/\(target.rawValue)")
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      return names.filter { !$0.hasPrefix(".") }.sorted().map {
        directory.appendingPathComponent($0)
      }
    }
  }

  @Test("each target's seeds and regressions run without crashing", arguments: FuzzTarget.allCases)
  func replay(_ target: FuzzTarget) throws {
    let files = Self.inputs(target)
    #expect(!files.isEmpty, "fuzz/corpus/\(target.rawValue) holds seeds")
    for file in files {
      FuzzHarness.run(target, Array(try Data(contentsOf: file)))
    }
  }

  @Test(
    "truncations and single-byte flips of every seed run without crashing",
    arguments: FuzzTarget.allCases)
  func mutations(_ target: FuzzTarget) throws {
    for file in Self.inputs(target) {
      let seed = Array(try Data(contentsOf: file))
      for length in stride(from: 0, to: seed.count, by: max(1, seed.count / 64)) {
        FuzzHarness.run(target, Array(seed[..<length]))
      }
      for index in stride(from: 0, to: seed.count, by: max(1, seed.count / 64)) {
        var flipped = seed
        flipped[index] ^= 0xFF
        FuzzHarness.run(target, flipped)
      }
    }
  }
}
