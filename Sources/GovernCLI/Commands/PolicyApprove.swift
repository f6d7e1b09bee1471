import ArgumentParser
import Governance
import Ledger

struct PolicyApprove: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve", abstract: "Sign a proposed change of policy.yml or people.yml.")

  @Argument(help: "The proposed change (its blob id, or enough of it).")
  var change: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let (file, content) = try session.ledger.proposedChange(change, in: state.snapshot)
    let outcome = try session.ledger.signChange(file: file, actor: me.id, author: author) { _ in
      (content, "approve proposed \(file)")
    }
    Message.out(IdentityAdd.describe(outcome, what: file))
    try sync.syncIfAsked(key: signing.path)
  }
}
