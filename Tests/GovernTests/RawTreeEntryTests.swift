import Foundation
import GitKit
import Testing

@testable import Ledger

/// The tree reading the history check runs on every changed tree of every governance commit:
/// the byte comparisons must refuse exactly what the plain reading (decode, lowercase,
/// compare) refused, and ids read in place must be the ids.
@Suite("raw tree entries")
struct RawTreeEntryTests {
  /// The reading the byte comparison replaced, kept as the oracle.
  func refusedByDecoding(_ name: [UInt8]) -> Bool {
    name.isEmpty
      || name.count <= 4
        && [".", "..", ".git"].contains(String(decoding: name, as: UTF8.self).lowercased())
  }

  @Test(
    "names git refuses: every name of up to two bytes, and every casing of .git and its neighbours")
  func refusedNamesAgreeWithTheDecodedReading() {
    var names: [[UInt8]] = [[]]
    for first in UInt8.min...UInt8.max {
      names.append([first])
      for second in UInt8.min...UInt8.max { names.append([first, second]) }
    }
    // Every casing of "git" after a dot, with each byte also swapped for its neighbours and
    // for the byte 0x20 away, which a careless case fold would also match.
    let variants: [[UInt8]] = "git".utf8.map { byte in
      [byte, byte ^ 0x20, byte &- 1, byte &+ 1, byte ^ 0x40, byte | 0x80]
    }
    for a in variants[0] {
      for b in variants[1] {
        for c in variants[2] {
          for dot: UInt8 in [0x2E, 0x0E, 0xAE] { names.append([dot, a, b, c]) }
        }
      }
    }
    names += [Array("git".utf8), Array(".gitx".utf8), Array("...".utf8), Array("....".utf8)]
    var refused = 0
    for name in names {
      #expect(RawTreeEntry.isRefusedByGit(name[...]) == refusedByDecoding(name), "\(name)")
      if refusedByDecoding(name) { refused += 1 }
    }
    // "", ".", "..", and the eight casings of ".git".
    #expect(refused == 11)
  }

  @Test("a tree's entries are read with their ids in place, as git wrote them")
  func entriesReadFromATree() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice, commits: 1, initGovernance: false)
    try FileManager.default.createDirectory(
      at: world.work.appendingPathComponent("dir"), withIntermediateDirectories: true)
    try world.commit("dir/a.txt", "a\n", by: alice)
    let tree = try world.git("rev-parse", "HEAD^{tree}")
    let listed = try world.git("ls-tree", tree).split(separator: "\n").map { line in
      let fields = line.split(separator: "\t")
      return (name: String(fields[1]), oid: String(fields[0].split(separator: " ")[2]))
    }
    let repository = try Repository.open(world.work.path)
    let entries = try RawTreeEntry.parse(repository.rawObject(OID(hex: tree)!).bytes)
    #expect(entries.map { String(decoding: $0.name, as: UTF8.self) } == listed.map(\.name))
    #expect(entries.map(\.oid.hex) == listed.map(\.oid))
    #expect(entries.map(\.isTree) == listed.map { $0.name == "dir" })
  }

  @Test("an id read from a slice is the id read from its own array, wherever the slice starts")
  func idFromASlice() {
    let bytes = (0..<64).map { UInt8($0 * 7 % 256) }
    for start in [0, 1, 13, 44] {
      #expect(
        OID(bytes: bytes[start..<(start + 20)]) == OID(bytes: Array(bytes[start..<(start + 20)])))
    }
    #expect(OID(bytes: bytes[0..<19]) == nil)
  }
}
