import ArgumentParser
import Foundation
import Governance
import Ledger
import Signing

struct IdentityAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract:
      "Register a person, or add emails, keys and roles to one (a signed change to people.yml).")

  @Argument(
    help: "The person's principal: a short lowercase name such as alice.",
    completion: ShellCompletion.people)
  var principal: String

  @Option(help: "An email of theirs (repeat for several).")
  var email: [String] = []

  @Option(
    name: .customLong("key"),
    help: "A public key: a .pub file or the literal \"ssh-ed25519 AAAA…\" (repeat for several).")
  var keys: [String] = []

  @Option(
    help: "A role such as developer, security, release-manager, policy-admin (repeat for several).")
  var role: [String] = []

  @Option(
    help: ArgumentHelp(
      "A .mailmap line mapping another identity to one of their emails (repeat for several).",
      discussion:
        "`Proper Name <their@email> <other@address>`: separation of duties counts commits of the other address as theirs. "
        + "A .mailmap in the code is not read for separation of duties; only these lines are."))
  var mailmap: [String] = []

  @Option(
    help:
      "The fingerprint of an OpenPGP key whose commit signatures count as theirs (repeat for several)."
  )
  var pgp: [String] = []

  @Option(help: "Their team.")
  var team: String?

  @Option(help: "Their full name.")
  var name: String?

  @Option(
    name: .customLong("valid-after"),
    help: "The keys given here sign only records made at or after this RFC 3339 time.")
  var validAfter: String?

  @Option(
    name: .customLong("valid-before"),
    help: "The keys given here sign only records made before this RFC 3339 time.")
  var validBefore: String?

  @Option(
    name: .customLong("signing-key"), help: "SSH key to sign with (default: user.signingkey).")
  var signingKey: String?

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard Person.isValidID(principal) else {
      throw ValidationError(
        "<principal> \"\(principal)\" is not valid: use lowercase letters, digits, '.', '_' or '-'")
    }
    for address in email where !address.contains("@") {
      throw ValidationError("--email \"\(address)\" is not an email address")
    }
    for (flag, value) in [("--valid-after", validAfter), ("--valid-before", validBefore)] {
      if let value, Timestamp.parse(value) == nil {
        throw ValidationError(
          "\(flag) \"\(value)\" is not an RFC 3339 time such as 2027-01-01T00:00:00Z")
      }
    }
    for fingerprint in pgp where Person.pgpFingerprint(fingerprint) == nil {
      throw ValidationError(
        "--pgp \"\(fingerprint)\" is not an OpenPGP fingerprint (40 hex digits, as `gpg --fingerprint` shows them)"
      )
    }
    for line in mailmap {
      if let problem = PeopleFile.mailmapLineProblem(line) {
        throw ValidationError("--mailmap: \(problem)")
      }
    }
    if (validAfter != nil || validBefore != nil) && keys.isEmpty {
      throw ValidationError(
        "--valid-after and --valid-before apply to the keys given with --key; give at least one")
    }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signingKey)
    let publicKeys = try keys.map(Self.readKey)
    let outcome = try session.ledger.signChange(
      file: LedgerPaths.people, actor: me.id, author: author
    ) { state in
      var person =
        state.people[principal]
        ?? Person(id: principal, name: name ?? principal, emails: [], keys: [], roles: [])
      let isNew = state.people[principal] == nil
      if isNew, email.isEmpty || publicKeys.isEmpty {
        throw UsageError("a new person needs at least one --email and one --key")
      }
      if let name { person.name = name }
      if let team { person.team = team }
      person.emails += email.filter { address in
        !person.emails.contains { EmailAddress.canonical($0) == EmailAddress.canonical(address) }
      }
      person.keys += publicKeys.map(\.authorizedKey).filter { !person.keys.contains($0) }
      if validAfter != nil || validBefore != nil {
        for key in publicKeys.map(\.authorizedKey) {
          var validity = person.validity(of: key)
          validity.validAfter = validAfter.flatMap(Timestamp.parse) ?? validity.validAfter
          validity.validBefore = validBefore.flatMap(Timestamp.parse) ?? validity.validBefore
          person.keyValidity[key] = validity
        }
      }
      person.roles += role.filter { !person.roles.contains($0) }
      person.pgpKeys += pgp.compactMap(Person.pgpFingerprint).filter {
        !person.pgpKeys.contains($0)
      }
      var people = state.people.upserting(person)
      for line in mailmap where !people.mailmap.contains(line) {
        guard let proper = Self.properEmail(line),
          person.emails.contains(where: {
            EmailAddress.canonical($0) == EmailAddress.canonical(proper)
          })
        else {
          throw UsageError(
            "--mailmap \"\(line)\" maps to \(Self.properEmail(line) ?? "no address"), which is not one of \(principal)'s "
              + "emails (\(person.emails.joined(separator: ", "))); write `\(person.name) <\(person.emails.first ?? "their@email")> <other@address>`"
          )
        }
        people.mailmap.append(line)
      }
      let text = PeopleFile.render(people)
      _ = try PeopleFile.parse(text)  // refuses an email or key that belongs to someone else
      let summary =
        isNew ? "add \(principal) (\(person.roles.joined(separator: ", ")))" : "update \(principal)"
      return (Array(text.utf8), summary)
    }
    Message.out(Self.describe(outcome, what: "people.yml"))
    try sync.syncIfAsked(key: signingKey)
  }

  /// The address a mailmap line maps to: its first `<…>`.
  static func properEmail(_ line: String) -> String? {
    guard let open = line.firstIndex(of: "<"), let close = line[open...].firstIndex(of: ">")
    else { return nil }
    return String(line[line.index(after: open)..<close])
  }

  static func readKey(_ text: String) throws -> SSHPublicKey {
    let literal: String
    if FileManager.default.fileExists(atPath: text) {
      guard let contents = try? String(contentsOfFile: text, encoding: .utf8) else {
        throw UsageError("--key \(text): cannot read the file")
      }
      literal = contents
    } else if !text.contains(where: \.isWhitespace) {
      // A key written out always has a type and a base64 blob apart; one word is a file name.
      throw UsageError(
        "--key \(text): key file \(text) does not exist; give a .pub file or the key itself (\"ssh-ed25519 AAAA…\")"
      )
    } else {
      literal = text
    }
    do {
      return try SSHPublicKey(
        authorizedKey: literal.trimmingCharacters(in: .whitespacesAndNewlines))
    } catch {
      throw UsageError(
        "--key \(text): not an OpenSSH public key (\(error)); give a .pub file or \"ssh-ed25519 AAAA…\""
      )
    }
  }

  static func describe(_ outcome: ChangeOutcome, what: String) -> String {
    if outcome.inForce {
      return
        "\(what) changed (\(outcome.blob.hex.prefix(10))), signed by \(outcome.signers.joined(separator: ", ")); in force now."
    }
    let missing = outcome.needed - outcome.signers.count
    let who =
      outcome.otherAdmins.isEmpty
      ? "no other policy-admin is registered" : outcome.otherAdmins.joined(separator: " or ")
    return
      "Proposed a change of \(what) (\(outcome.blob.hex.prefix(10))), signed by \(outcome.signers.joined(separator: ", ")); "
      + "it needs \(missing) more policy-admin signature\(missing == 1 ? "" : "s") before it is in force: "
      + "\(who) can run `git govern policy approve \(outcome.blob.hex.prefix(10))`"
  }
}
