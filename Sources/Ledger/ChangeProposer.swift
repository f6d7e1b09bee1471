import Foundation
import GitKit
import Governance

/// Where a change of `policy.yml` or `people.yml` stands after a signature.
public struct ChangeOutcome: Sendable {
  public var file: String
  public var blob: OID
  public var signers: [String]
  public var needed: Int
  public var inForce: Bool
  /// Policy-admins who could still sign, when more signatures are needed.
  public var otherAdmins: [String]
}

extension Ledger {
  /// Signs a change of `file` to the content `propose` returns for the state in force, in one
  /// commit. The proposed file is stored beside its signatures (`changes/<file>/<blob>/`), and
  /// replaces the file at the root only once enough `policy-admin`s, as the policy in force
  /// before the change counts them, have signed it. A change never authorises itself.
  public func signChange(
    file: String, actor: String, author: LedgerAuthor, now: Date = Date(),
    propose: (GovernanceState) throws -> (content: [UInt8], summary: String)
  ) throws -> ChangeOutcome {
    var outcome: ChangeOutcome?
    try append(message: "git-govern: change \(file)", author: author, now: now) { snapshot in
      guard let snapshot else { throw LedgerError.noGovernanceBranch(ref) }
      let state = try GovernanceState.load(snapshot)
      let admins = state.people.withRole("policy-admin").map(\.id)
      guard admins.contains(actor) else {
        throw LedgerError(
          "only a policy-admin may change \(file); \(actor) is not one. Ask \(admins.joined(separator: " or ")) to do it"
        )
      }
      let (content, summary) = try propose(state)
      let blob = try repository.writeBlob(content)
      let base = file == LedgerPaths.policy ? state.policyBlob : state.peopleBlob
      guard blob != base else {
        throw LedgerError("\(file) would not change: the proposed content is already in force")
      }
      let directory = LedgerPaths.changeDirectory(file: file, blob: blob.hex)
      var signers: Set<String> = []
      for entry in try snapshot.entries(in: directory)
      where entry.name.hasPrefix("change-") && entry.name.hasSuffix(".json") {
        let path = "\(directory)/\(entry.name)"
        guard
          case .success(let signed) = state.verifier.verify(
            ChangeProposal.self, at: path, in: snapshot),
          signed.record.base == base.hex, signed.record.policy == state.policyBlob.hex,
          signed.record.people == state.peopleBlob.hex, signed.signer.hasRole("policy-admin")
        else { continue }
        signers.insert(signed.signer.id)
      }
      guard !signers.contains(actor) else {
        throw LedgerError(
          "\(actor) has already signed this change of \(file) (\(blob.hex.prefix(10)))")
      }
      signers.insert(actor)
      let record = ChangeProposal(
        RecordAuthorship(
          repo: state.repoID, actor: actor, email: author.email, created: Timestamp.format(now)),
        file: file, blob: blob.hex, base: base.hex, policy: state.policyBlob.hex,
        people: state.peopleBlob.hex,
        summary: summary)
      var files = try author.signedFiles(
        record,
        at: "\(directory)/\(LedgerPaths.recordName(kind: "change", actor: actor, created: now))")
      files.append(LedgerFile(path: "\(directory)/\(file)", bytes: content))
      let needed = state.policy.adminApprovals
      let inForce = signers.count >= needed
      if inForce { files.append(LedgerFile(path: file, bytes: content)) }
      outcome = ChangeOutcome(
        file: file, blob: blob, signers: signers.sorted(), needed: needed, inForce: inForce,
        otherAdmins: admins.filter { !signers.contains($0) })
      return files
    }
    return outcome!
  }

  /// The content of a proposed change whose blob starts with `prefix`.
  public func proposedChange(_ prefix: String, in snapshot: LedgerSnapshot) throws -> (
    file: String, content: [UInt8]
  ) {
    var found: [(String, String)] = []
    for file in [LedgerPaths.policy, LedgerPaths.people] {
      for entry in try snapshot.entries(in: "changes/\(LedgerPaths.changeStem(file))")
      where entry.name.hasPrefix(prefix.lowercased()) {
        found.append((file, entry.name))
      }
    }
    guard found.count == 1, let (file, blob) = found.first else {
      throw LedgerError(
        found.isEmpty
          ? "no proposed change starts with \"\(prefix)\"; `git govern policy show` lists pending ones"
          : "\"\(prefix)\" matches \(found.count) proposed changes; give more of the id")
    }
    guard
      let content = try snapshot.file(
        at: "\(LedgerPaths.changeDirectory(file: file, blob: blob))/\(file)")
    else {
      throw LedgerError("the proposed change \(blob.prefix(10)) has no stored \(file)")
    }
    return (file, content)
  }
}

/// A proposed change of `policy.yml` or `people.yml` that does not have enough signatures yet.
public struct PendingChange: Sendable {
  public var file: String
  public var blob: String
  public var signers: [String]
  public var summary: String
}

extension GovernanceState {
  /// Changes proposed against the files in force now, still short of signatures.
  public func pendingChanges() throws -> [PendingChange] {
    var pending: [PendingChange] = []
    for (file, current) in [(LedgerPaths.policy, policyBlob), (LedgerPaths.people, peopleBlob)] {
      for entry in try snapshot.entries(in: "changes/\(LedgerPaths.changeStem(file))")
      where entry.name != current.hex {
        let directory = LedgerPaths.changeDirectory(file: file, blob: entry.name)
        var signers: [String] = []
        var summary = ""
        for record in try snapshot.entries(in: directory)
        where record.name.hasPrefix("change-") && record.name.hasSuffix(".json") {
          guard
            case .success(let signed) = verifier.verify(
              ChangeProposal.self, at: "\(directory)/\(record.name)", in: snapshot),
            signed.record.base == current.hex, signed.record.policy == policyBlob.hex,
            signed.record.people == peopleBlob.hex, signed.signer.hasRole("policy-admin")
          else { continue }
          signers.append(signed.signer.id)
          if summary.isEmpty { summary = signed.record.summary }
        }
        if !signers.isEmpty {
          pending.append(
            PendingChange(file: file, blob: entry.name, signers: signers.sorted(), summary: summary)
          )
        }
      }
    }
    return pending
  }
}
