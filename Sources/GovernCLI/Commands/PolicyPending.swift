import ArgumentParser
import Foundation
import Governance
import Ledger

struct PolicyPending: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pending",
    abstract:
      "Proposed changes of policy.yml and people.yml still short of policy-admin signatures, and who can sign."
  )

  @Flag(help: "Machine-readable output.")
  var json = false

  struct Listed: Encodable {
    let file: String
    let change: String
    let summary: String
    let signed_by: [String]
    let needed: Int
    let can_sign: [String]
  }

  func run() throws {
    let state = try Session().state()
    let admins = state.people.withRole("policy-admin").map(\.id)
    let listed = try state.pendingChanges().map { change in
      Listed(
        file: change.file, change: change.blob, summary: change.summary, signed_by: change.signers,
        needed: state.policy.adminApprovals,
        can_sign: admins.filter { !change.signers.contains($0) })
    }
    if json {
      Message.out(try Message.json(["pending": listed]))
      return
    }
    if listed.isEmpty {
      Message.out("No proposed change is waiting for signatures.")
      return
    }
    for change in listed {
      Message.out(
        "\(change.file) \(change.change.prefix(10)) \"\(change.summary)\": signed by \(change.signed_by.joined(separator: ", ")), "
          + "\(change.signed_by.count) of \(change.needed) policy-admin signatures")
      Message.out(
        change.can_sign.isEmpty
          ? "  no other policy-admin can sign it; register one (git govern identity add <who> --role policy-admin)"
          : "  \(change.can_sign.joined(separator: " or ")) can sign: git govern policy approve \(change.change.prefix(10))"
      )
    }
  }
}
