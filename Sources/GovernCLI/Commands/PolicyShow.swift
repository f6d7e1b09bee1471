import ArgumentParser
import Foundation
import Governance
import Ledger

struct PolicyShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show the policy in force.")

  @Flag(help: "Machine-readable output.")
  var json = false

  struct Shown: Encodable {
    struct Rule: Encodable {
      let name: String
      let types: [String]?
      let risks: [String]?
      let approvals: Int
      let roles: [String: Int]
    }
    let blob: String
    let version: Int
    let protected: [String]
    let rules: [Rule]
    let requester_may_approve: Bool
    let authors_may_approve: Bool
    let approval_ttl_seconds: Int?
    let admin_approvals: Int
  }

  func run() throws {
    let state = try Session().state()
    let policy = state.policy
    if json {
      let rules = policy.rules.map {
        Shown.Rule(
          name: $0.name, types: $0.types?.map(\.rawValue), risks: $0.risks?.map(\.rawValue),
          approvals: $0.approvals,
          roles: $0.roles)
      }
      Message.out(
        try Message.json(
          Shown(
            blob: state.policyBlob.hex, version: policy.version,
            protected: policy.protected.map(\.text), rules: rules,
            requester_may_approve: policy.requesterMayApprove,
            authors_may_approve: policy.authorsMayApprove,
            approval_ttl_seconds: policy.approvalTTL, admin_approvals: policy.adminApprovals)))
      return
    }
    Message.out("# policy.yml in force (blob \(state.policyBlob.hex.prefix(10)))")
    FileHandle.standardOutput.write(Data(try state.snapshot.repository.blob(state.policyBlob)))
    for change in try state.pendingChanges() {
      Message.out(
        "# pending: \(change.file) \(change.blob.prefix(10)) \"\(change.summary)\", signed by \(change.signers.joined(separator: ", ")); "
          + "another policy-admin can run: git govern policy approve \(change.blob.prefix(10))")
    }
  }
}
