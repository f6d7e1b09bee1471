import Foundation
import GitKit
import Testing

@testable import Ledger

/// The states, policies and people a process has proven are kept by the blobs they come from;
/// a failure is not, since what failed may be there the next time.
@Suite("governance states remembered")
struct GovernanceStateMemoryTests {
  @Test("a state unproven for want of a blob not fetched yet is proven once the blob arrives")
  func failuresAreNotRemembered() throws {
    let team = try Team()
    let world = team.world
    let tip = try world.git("rev-parse", "refs/heads/governance")
    let peopleBlob = try world.git("rev-parse", "refs/heads/governance:\(LedgerPaths.people)")
    // A copy of the governance branch without its people.yml blob.
    let partial = world.root.appendingPathComponent("partial.git")
    try world.git("init", "-q", "--bare", partial.path)
    try world.expectSuccess(
      world.run(
        [
          "sh", "-c",
          "git rev-list --objects refs/heads/governance | cut -c1-40 | grep -v \(peopleBlob)"
            + " | git pack-objects -q --stdout | git -C '\(partial.path)' unpack-objects -q"
            + " && git -C '\(partial.path)' update-ref refs/heads/governance \(tip)",
        ], in: world.work))
    let commit = try #require(OID(hex: tip))
    #expect(throws: (any Error).self) {
      try GovernanceState.load(
        LedgerSnapshot(repository: Repository.open(partial.path), commit: commit))
    }
    // The blob arrives, as a later fetch brings it; the same process asks again.
    try world.expectSuccess(
      world.run(
        [
          "sh", "-c",
          "git cat-file blob \(peopleBlob) | git -C '\(partial.path)' hash-object -w --stdin",
        ], in: world.work))
    let state = try GovernanceState.load(
      LedgerSnapshot(repository: Repository.open(partial.path), commit: commit))
    #expect(state.peopleBlob.hex == peopleBlob)
    #expect(state.people.person(email: team.carol.email) != nil)
  }
}
