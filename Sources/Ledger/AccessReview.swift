import Foundation
import GitKit
import Governance
import Signing

/// What `git govern access-review` shows an admin: every person in force, their roles and
/// whether each still counts (and until when), their keys and when each last signed a
/// governance commit. The signing times are read from the commits' signatures, verified
/// natively; the commit times are their writers' claims, shown as such.
public struct AccessReview: Encodable {
  public struct Role: Encodable {
    public var role: String
    /// `exempt`, `current`, `lapsed` or `never recertified`; `current` without
    /// `recertify_every` in the policy.
    public var state: String
    public var recertified_at: String?
    public var recertified_by: String?
    public var lapses_at: String?
  }

  public struct Key: Encodable {
    public var fingerprint: String
    /// The committer time of the newest governance commit this key signed, if any.
    public var last_signed: String?
  }

  public struct Entry: Encodable {
    public var principal: String
    public var roles: [Role]
    public var keys: [Key]
  }

  public var recertify_every: String?
  public var people: [Entry]

  public static func build(state: GovernanceState, tip: OID, now: Date) throws -> AccessReview {
    let repository = state.snapshot.repository
    let recertifications = try RecertificationRecords.load(state).recertifications
    var lastSigned: [String: Date] = [:]
    for oid in try repository.walk(from: [tip]).collect() {
      guard let envelope = try? CommitSignature(rawCommit: repository.rawObject(oid).bytes),
        envelope.armoredSignature != nil, let signature = try? envelope.parsedSignature(),
        (try? envelope.verify(expectedKey: signature.publicKey)) != nil
      else { continue }
      let time = try repository.commit(oid).committer.time
      let key = signature.publicKey.fingerprint
      lastSigned[key] = max(lastSigned[key] ?? time, time)
    }
    let entries = state.people.persons.sorted { $0.id < $1.id }.map { person in
      Entry(
        principal: person.id,
        roles: person.roles.map { role($0, of: person, recertifications, now: now) },
        keys: person.keys.map { key in
          let fingerprint = (try? SSHPublicKey(authorizedKey: key))?.fingerprint ?? key
          return Key(
            fingerprint: fingerprint, last_signed: lastSigned[fingerprint].map(Timestamp.format))
        })
    }
    return AccessReview(
      recertify_every: state.policy.recertifyEvery.map(DurationText.text(fromSeconds:)),
      people: entries)
  }

  private static func role(
    _ role: String, of person: Person, _ recertifications: Recertifications?, now: Date
  ) -> Role {
    guard let recertifications else { return Role(role: role, state: "current") }
    if Recertifications.exempt.contains(role) { return Role(role: role, state: "exempt") }
    guard let latest = recertifications.latest(person.id, role: role, at: now),
      let lapse = recertifications.lapse(person.id, role: role, at: now)
    else { return Role(role: role, state: "never recertified") }
    return Role(
      role: role, state: now < lapse ? "current" : "lapsed",
      recertified_at: latest.record.created, recertified_by: latest.signer.id,
      lapses_at: Timestamp.format(lapse))
  }
}
