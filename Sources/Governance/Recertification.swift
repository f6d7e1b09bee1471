import Foundation

/// A policy-admin's signed answer in an access review (`git govern recertify`): `person` still
/// needs `roles`. With `recertify_every` in the policy, a role counts for approvals and
/// exceptions only while a recertification of it by someone other than its holder is younger
/// than that.
public struct Recertification: GovernanceRecord, Equatable {
  public static let recordKind = "recertification"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var person: String
  public var roles: [String]
  public var note: String?

  public init(_ by: RecordAuthorship, person: String, roles: [String], note: String?) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.person, self.roles, self.note) = (person, roles, note)
  }
}

/// The recertifications a release is judged with, and what lapsed. Pure: the records were
/// verified, and their signers checked to be policy-admins other than the person, by the ledger.
public struct Recertifications: Sendable {
  /// `recertify_every`, in seconds.
  public var every: Int
  /// Counted recertifications, by the person they recertify.
  public var records: [String: [Signed<Recertification>]]

  /// Roles that never lapse: the admins' (who would otherwise lock everyone out of changing
  /// the policy) and the server's (which never approves).
  public static let exempt: Set<String> = ["policy-admin", PushReceipt.serverRole]

  public init(every: Int, records: [String: [Signed<Recertification>]] = [:]) {
    self.every = every
    self.records = records
  }

  /// The newest recertification of `person`'s `role` made at or before `instant`.
  public func latest(_ person: String, role: String, at instant: Date) -> Signed<Recertification>? {
    (records[person] ?? []).filter {
      $0.record.roles.contains(role)
        && (Timestamp.parse($0.record.created).map { $0 <= instant } ?? false)
    }.max { $0.record.created < $1.record.created }
  }

  /// When `person`'s `role` lapses (or lapsed) as of `instant`; nil when it was never
  /// recertified, so it does not count at all.
  public func lapse(_ person: String, role: String, at instant: Date) -> Date? {
    latest(person, role: role, at: instant).flatMap { Timestamp.parse($0.record.created) }
      .map { $0.addingTimeInterval(TimeInterval(every)) }
  }

  public func isCurrent(_ person: String, role: String, at instant: Date) -> Bool {
    if Self.exempt.contains(role) { return true }
    return lapse(person, role: role, at: instant).map { instant < $0 } ?? false
  }

  /// `person` with only the roles that count at `instant`.
  public func current(_ person: Person, at instant: Date) -> Person {
    var current = person
    current.roles = person.roles.filter { isCurrent(person.id, role: $0, at: instant) }
    return current
  }

  /// The roles of `person` that do not count at `instant`, each with when it lapsed (nil: never
  /// recertified).
  public func lapsed(_ person: Person, at instant: Date) -> [(role: String, at: Date?)] {
    person.roles.filter { !isCurrent(person.id, role: $0, at: instant) }.map {
      ($0, lapse(person.id, role: $0, at: instant))
    }
  }
}
