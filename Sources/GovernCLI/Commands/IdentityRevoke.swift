import ArgumentParser
import Foundation
import Governance
import Ledger

struct IdentityRevoke: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke",
    abstract:
      "Revoke a person's keys (all, or one by fingerprint): a signed change, never a deletion.")

  @Argument(help: "The person's principal.", completion: ShellCompletion.people)
  var principal: String

  @Option(
    name: .customLong("key"),
    help: "Only the key with this fingerprint (SHA256:…) or public key text.")
  var key: String?

  @OptionGroup var sync: PushOption

  @Option(help: "Why: kept with the revocation.")
  var reason: String = "revoked"

  @Option(
    name: .customLong("signing-key"), help: "SSH key to sign with (default: user.signingkey).")
  var signingKey: String?

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signingKey)
    let now = Date()
    var revokedCount = 0
    let outcome = try session.ledger.signChange(
      file: LedgerPaths.people, actor: me.id, author: author, now: now
    ) { current in
      guard var person = current.people[principal] else {
        throw UsageError(
          "<principal> \(principal) is not in people.yml; `git govern identity list` shows who is")
      }
      let targets = try person.keys.filter { registered in
        try key.map { try Self.matches(registered, $0) } ?? true
      }
      guard !targets.isEmpty else {
        throw UsageError(
          "--key \(key ?? ""): \(principal) has no such key; `git govern identity list --json` shows their keys"
        )
      }
      let tip = current.snapshot.commit.hex
      for target in targets where person.validity(of: target).revoked == nil {
        var validity = person.validity(of: target)
        validity.revoked = KeyValidity.Revocation(at: now, ledger: tip, reason: reason)
        person.keyValidity[target] = validity
        revokedCount += 1
      }
      guard revokedCount > 0 else {
        throw UsageError("those keys of \(principal) are already revoked")
      }
      return (
        Array(PeopleFile.render(current.people.upserting(person)).utf8),
        "revoke \(revokedCount) key(s) of \(principal): \(reason)"
      )
    }
    Message.out(IdentityAdd.describe(outcome, what: "people.yml"))
    try sync.syncIfAsked(key: signingKey)
  }

  static func matches(_ registered: String, _ wanted: String) throws -> Bool {
    if wanted.hasPrefix("SHA256:") {
      return try IdentityAdd.readKey(registered).fingerprint == wanted
    }
    return Person.normalisedKey(registered) == Person.normalisedKey(wanted)
  }
}
