import ArgumentParser
import Foundation
import Governance

struct IdentityList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract:
      "List the people in force, with each key's state: active, not yet valid, expired, revoked."
  )

  @Flag(help: "Machine-readable output.")
  var json = false

  struct Entry: Encodable {
    let principal: String
    let name: String
    let emails: [String]
    let keys: [String]
    /// One per key, in the order of `keys`.
    let keyStates: [KeyState]
    let roles: [String]
    let team: String?

    enum CodingKeys: String, CodingKey {
      case principal, name, emails, keys, roles, team
      case keyStates = "key_states"
    }
  }

  /// A key and where it stands now; the times are RFC 3339, absent when not set.
  struct KeyState: Encodable {
    let key: String
    let fingerprint: String?
    /// `active`, `not yet valid`, `expired` or `revoked`.
    let state: String
    let validAfter: String?
    let validBefore: String?
    let revokedAt: String?
    let revokedReason: String?

    enum CodingKeys: String, CodingKey {
      case key, fingerprint, state
      case validAfter = "valid_after"
      case validBefore = "valid_before"
      case revokedAt = "revoked_at"
      case revokedReason = "revoked_reason"
    }

    init(key: String, of person: Person, at now: Date) {
      let validity = person.validity(of: key)
      self.key = key
      fingerprint = try? IdentityAdd.readKey(key).fingerprint
      state = validity.state(at: now).name
      validAfter = validity.validAfter.map(Timestamp.format)
      validBefore = validity.validBefore.map(Timestamp.format)
      revokedAt = validity.revoked.map { Timestamp.format($0.at) }
      revokedReason = validity.revoked?.reason
    }

    /// `SHA256:…  revoked at 2026-12-01T10:00:00Z: laptop lost`.
    var line: String {
      var text = "\(fingerprint ?? key)  \(state)"
      if let revokedAt { text += " at \(revokedAt): \(revokedReason ?? "")" }
      if state == "not yet valid", let validAfter { text += " (valid from \(validAfter))" }
      if state == "expired", let validBefore { text += " at \(validBefore)" }
      if state == "active", let validBefore { text += " (until \(validBefore))" }
      return text
    }
  }

  func run() throws {
    let state = try Session().state()
    let now = try Session.clock(at: nil)
    let entries = state.people.persons.map { person in
      Entry(
        principal: person.id, name: person.name, emails: person.emails, keys: person.keys,
        keyStates: person.keys.map { KeyState(key: $0, of: person, at: now) },
        roles: person.roles, team: person.team)
    }
    let builders = state.people.builders.map {
      BuilderEntry(
        builder: $0.id, name: $0.name, keys: $0.keys,
        fingerprints: $0.keys.map { (try? IdentityAdd.readKey($0).fingerprint) ?? $0 },
        predicates: $0.predicates)
    }
    if json {
      Message.out(try Message.json(Listing(people: entries, builders: builders)))
      return
    }
    for entry in entries {
      let team = entry.team.map { ", team \($0)" } ?? ""
      Message.out("\(entry.principal)  \(entry.name)  <\(entry.emails.joined(separator: ">, <"))>")
      Message.out(
        "    roles: \(entry.roles.isEmpty ? "none" : entry.roles.joined(separator: ", "))\(team); keys: \(entry.keys.count)"
      )
      for key in entry.keyStates { Message.out("    key \(key.line)") }
    }
    for builder in builders {
      let attests =
        builder.predicates.isEmpty
        ? "any predicate type" : builder.predicates.joined(separator: ", ")
      Message.out("builder \(builder.builder)  \(builder.name)  attests \(attests)")
      for fingerprint in builder.fingerprints { Message.out("    key \(fingerprint)") }
    }
  }

  struct Listing: Encodable {
    let people: [Entry]
    /// Build systems whose keys sign attestations; empty when people.yml lists none.
    let builders: [BuilderEntry]
  }

  struct BuilderEntry: Encodable {
    let builder: String
    let name: String
    let keys: [String]
    let fingerprints: [String]
    /// Predicate types it may attest; empty: any.
    let predicates: [String]
  }
}
