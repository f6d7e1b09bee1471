import Foundation
import GitKit
import Governance
import Testing

@testable import Ledger

/// The signatures of a long range are read on every core; what they say must not depend on it.
@Suite("commit signatures read in parallel")
struct CommitAuthorshipTests {
  @Test("a range long enough to be read on every core finds the same signers, in order")
  func parallelMatchesSequential() throws {
    let world = try World()
    let alice = try world.persona("alice")
    let bob = try world.persona("bob")
    let stranger = try world.persona("stranger")
    try world.repository(admin: alice, commits: 1, initGovernance: false)
    try SignedCommitsTests.signedCommit(world, "bob.txt", signedBy: bob)
    try SignedCommitsTests.signedCommit(world, "stranger.txt", signedBy: stranger)
    let oids = try world.git("rev-list", "HEAD").split(separator: "\n").map {
      OID(hex: String($0))!
    }
    let bobKey = try String(contentsOfFile: bob.publicKey, encoding: .utf8)
    let people = People([
      Person(id: "bob", name: "Bob", emails: [bob.email], keys: [bobKey], roles: [])
    ])
    let repository = try Repository.open(world.work.path)
    let one = try oids.map { try CommitAuthorship.signer(of: $0, in: repository, people: people) }
    guard case .success(let signer) = one[1] else {
      Issue.record("bob's commit is not read as signed by bob: \(one[1])")
      return
    }
    #expect(signer.person == "bob")
    #expect(
      one[0]
        == .failure(
          UnsignedCommit(
            commit: oids[0].hex,
            reason: .unknownKey(
              try world.run(["ssh-keygen", "-l", "-f", stranger.publicKey], in: world.root).stdout
                .split(separator: " ").map(String.init)[1]))))
    #expect(one[2] == .failure(UnsignedCommit(commit: oids[2].hex, reason: .unsigned)))
    let long = Array(repeating: oids, count: ReleaseRange.parallelReading / oids.count + 1).flatMap
    { $0 }
    #expect(long.count >= ReleaseRange.parallelReading)
    let outcomes = try CommitAuthorship.outcomes(long, repository, people)
    #expect(outcomes == Array(repeating: one, count: long.count / oids.count).flatMap { $0 })
  }
}
