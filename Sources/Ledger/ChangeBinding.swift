import Foundation
import GitKit
import Governance

/// A governance commit that puts a new `policy.yml` or `people.yml` in force must prove it
/// against the state at its parent: the change records must name exactly the policy, people
/// and file blob in force there, and enough of that state's policy-admins, with keys valid
/// there (revocations included), must have signed them. Any older state the records might name
/// (a weaker admin threshold, a people.yml from before a revocation) proves nothing.
///
/// The snapshot proof in `GovernanceState` can only see one tree; this check sees the history,
/// and runs on the server for every new commit and in the audit for every commit ever made.
struct ChangeBinding {
  let repository: Repository
  /// The server's clock when it judges a push; nil in the audit.
  let now: Date?
  /// The check's memo: the parents' states are those it loads for the commits themselves.
  let memo: LedgerMemo

  /// Problems of the policy and people changes `commit` makes against its parents.
  func problems(parents: [OID], snapshot: LedgerSnapshot) throws -> [String] {
    guard !parents.isEmpty else { return [] }
    var problems: [String] = []
    let parentTrees = try parents.map { try repository.tree(ofCommit: $0) }
    var parentStates: [GovernanceState]?
    for file in [LedgerPaths.policy, LedgerPaths.people] {
      guard let blob = try snapshot.blobID(at: file) else { continue }  // the state check says so
      let before = try parentTrees.map { try repository.entry(atPath: file, inTree: $0)?.oid }
      // Unchanged, or brought in by a merge from a parent that was itself checked.
      if before.contains(blob) { continue }
      if parentStates == nil {
        parentStates = parents.compactMap {
          try? GovernanceState.load(
            LedgerSnapshot(repository: repository, commit: $0), memo: memo)
        }
      }
      var shortfall: [String] = []
      var proven = false
      for parent in parentStates ?? [] {
        let tally = try signatures(for: file, blob: blob, in: snapshot, against: parent)
        if tally.signers.count >= parent.policy.adminApprovals {
          proven = true
          break
        }
        let admins = parent.people.withRole("policy-admin").map(\.id).sorted()
        shortfall.append(
          "the state before it (governance commit \(parent.snapshot.commit.hex.prefix(10))) needs "
            + "\(parent.policy.adminApprovals) policy-admin signature(s) naming its policy \(parent.policyBlob.hex.prefix(10)) "
            + "and people \(parent.peopleBlob.hex.prefix(10)); it has \(tally.signers.count)"
            + (tally.signers.isEmpty ? "" : " (\(tally.signers.sorted().joined(separator: ", ")))")
            + (tally.refused.isEmpty
              ? "" : "; not counted: " + tally.refused.joined(separator: "; "))
            + ". Admins then: \(admins.joined(separator: ", "))")
      }
      if !proven {
        problems.append(
          "puts \(file) blob \(blob.hex.prefix(10)) in force without the admin signatures the state before it demands: "
            + (shortfall.isEmpty
              ? "its parents' governance state could not be read"
              : shortfall.joined(separator: "; "))
        )
      }
    }
    return problems
  }

  /// The policy-admins of `parent` whose change records, stored in `snapshot`, sign this very
  /// change made against `parent`'s state, and why other records there do not count.
  private func signatures(
    for file: String, blob: OID, in snapshot: LedgerSnapshot, against parent: GovernanceState
  ) throws -> (signers: Set<String>, refused: [String]) {
    let base = file == LedgerPaths.policy ? parent.policyBlob : parent.peopleBlob
    let directory = LedgerPaths.changeDirectory(file: file, blob: blob.hex)
    var verifier = parent.verifier
    verifier.acceptedAt = now
    var signers: Set<String> = []
    var refused: [String] = []
    for entry in try snapshot.entries(in: directory)
    where entry.name.hasPrefix("change-") && entry.name.hasSuffix(".json") {
      let path = "\(directory)/\(entry.name)"
      switch verifier.verify(ChangeProposal.self, at: path, in: snapshot) {
      case .failure(let problem):
        refused.append("\(entry.name) \(problem.message)")
      case .success(let signed):
        let record = signed.record
        if record.file != file || record.blob != blob.hex {
          refused.append("\(entry.name) is a change of \(record.file) to \(record.blob.prefix(10))")
        } else if record.base != base.hex || record.policy != parent.policyBlob.hex
          || record.people != parent.peopleBlob.hex
        {
          refused.append(
            "\(entry.name) by \(signed.signer.id) was made against another state (policy \(record.policy.prefix(10)), "
              + "people \(record.people.prefix(10)), replacing \(record.base.prefix(10)))")
        } else if !signed.signer.hasRole("policy-admin") {
          refused.append("\(entry.name) is signed by \(signed.signer.id), not a policy-admin then")
        } else {
          signers.insert(signed.signer.id)
        }
      }
    }
    return (signers, refused)
  }
}
