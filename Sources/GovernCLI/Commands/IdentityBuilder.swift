import ArgumentParser
import Foundation
import Governance
import Ledger

struct IdentityBuilder: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "builder",
    abstract:
      "Register a build system or scanner whose key signs attestations (a signed change to people.yml).",
    discussion:
      "A builder's key verifies in-toto attestations given to `git govern evidence --attestation`; it signs no record and approves nothing."
  )

  @Argument(help: "The builder's id: a short lowercase name such as ci.")
  var id: String

  @Option(
    name: .customLong("key"),
    help:
      "A public key: a .pub file or \"ssh-ed25519 AAAA…\" (ed25519 or ECDSA; repeat for several).")
  var keys: [String] = []

  @Option(
    name: .customLong("predicate"),
    help:
      "A predicate type it may attest, such as https://slsa.dev/provenance/v1 (repeat; default: any)."
  )
  var predicates: [String] = []

  @Option(help: "What it is, such as \"GitHub Actions release workflow\".")
  var name: String?

  @Option(
    name: .customLong("signing-key"), help: "SSH key to sign with (default: user.signingkey).")
  var signingKey: String?

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard Person.isValidID(id) else {
      throw ValidationError(
        "<id> \"\(id)\" is not valid: use lowercase letters, digits, '.', '_' or '-'")
    }
    for predicate in predicates where !predicate.contains(":") {
      throw ValidationError(
        "--predicate \"\(predicate)\" is not a predicate type URI such as https://slsa.dev/provenance/v1"
      )
    }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signingKey)
    let publicKeys = try keys.map(IdentityAdd.readKey)
    if let rsa = publicKeys.first(where: { $0.algorithm == "ssh-rsa" }) {
      throw UsageError(
        "--key \(rsa.fingerprint): RSA keys do not sign attestations here; use ed25519 or ECDSA")
    }
    let outcome = try session.ledger.signChange(
      file: LedgerPaths.people, actor: me.id, author: author
    ) { state in
      let existing = state.people.builders.first { $0.id == id }
      if existing == nil, publicKeys.isEmpty {
        throw UsageError("a new builder needs at least one --key")
      }
      var builder = existing ?? Builder(id: id, name: name ?? id, keys: [])
      if let name { builder.name = name }
      builder.keys += publicKeys.map(\.authorizedKey).filter { !builder.keys.contains($0) }
      builder.predicates += predicates.filter { !builder.predicates.contains($0) }
      let text = PeopleFile.render(state.people.upserting(builder))
      _ = try PeopleFile.parse(text)  // refuses a key that belongs to someone else
      return (Array(text.utf8), existing == nil ? "add builder \(id)" : "update builder \(id)")
    }
    Message.out(IdentityAdd.describe(outcome, what: "people.yml"))
    try sync.syncIfAsked(key: signingKey)
  }
}
