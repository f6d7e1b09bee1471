import Foundation

/// A signed, time-boxed delegation made with `git govern delegate`: from its `created` until
/// `until`, `delegate` may approve releases in the signer's place (`git govern approve <release>
/// --for <signer>`) with the signer's roles, or only the ones it names. The delegate is still
/// judged by every separation-of-duties rule as themself, and the place they fill by the same
/// rules as its holder: an author cannot hand their approval to a friend.
///
/// Both times are the delegator's own signed claims: they bound only what the delegator has
/// agreed to. Ending one early is a new delegation to the same person with `until` at the end;
/// at any moment, the latest one the delegator signed before it is the one that holds (of two
/// signed in the same second, the one that ends sooner).
public struct Delegation: GovernanceRecord, Equatable {
  public static let recordKind = "delegation"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  /// The principal who may approve in the signer's place.
  public var delegate: String
  /// RFC 3339, UTC: the end, exclusive.
  public var until: String
  /// The signer's roles the delegate may use; nil for all of them.
  public var roles: [String]?
  public var reason: String

  public init(
    _ by: RecordAuthorship, delegate: String, until: String, roles: [String]?, reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.delegate, self.until, self.roles, self.reason) = (delegate, until, roles, reason)
  }
}

/// The verified delegations a release is judged with, and the pure questions asked of them.
public struct Delegations: Sendable {
  public var records: [Signed<Delegation>]

  public init(_ records: [Signed<Delegation>] = []) { self.records = records }

  /// The delegation from `delegator` to `delegate` in force at `instant`: the latest one the
  /// delegator signed at or before it, if that one has not ended by then.
  public func inForce(from delegator: String, to delegate: String, at instant: Date)
    -> Signed<Delegation>?
  {
    let candidates = records.filter {
      $0.signer.id == delegator && $0.record.delegate == delegate
        && (Timestamp.parse($0.record.created).map { $0 <= instant } ?? false)
    }
    // Two signed in the same second: the one that ends sooner holds (an end made right
    // after a delegation must not lose to it).
    guard
      let latest = candidates.max(by: {
        ($0.record.created, $1.record.until) < ($1.record.created, $0.record.until)
      }),
      let end = Timestamp.parse(latest.record.until), instant < end
    else { return nil }
    return latest
  }

  /// Every delegation in force at `instant`, one per (delegator, delegate).
  public func allInForce(at instant: Date) -> [Signed<Delegation>] {
    var seen = Set<String>()
    return records.compactMap { signed in
      let pair = "\(signed.signer.id) \(signed.record.delegate)"
      guard seen.insert(pair).inserted else { return nil }
      return inForce(from: signed.signer.id, to: signed.record.delegate, at: instant)
    }.sorted { ($0.signer.id, $0.record.delegate) < ($1.signer.id, $1.record.delegate) }
  }

  /// The place a delegate fills: the delegator as people.yml has them now, holding only the
  /// roles the delegation lends (a role the delegator no longer holds is not lent).
  public static func seat(_ delegator: Person, lentBy delegation: Delegation) -> Person {
    var seat = delegator
    if let lent = delegation.roles { seat.roles = delegator.roles.filter(lent.contains) }
    return seat
  }

  /// Why a delegation record is not one that can count, in words; nil when it can. Checked
  /// where it is written, where the server receives it and where the audit reads it.
  public static func problem(_ record: Delegation, people: People) -> String? {
    guard people[record.delegate] != nil else {
      return
        "delegates to \"\(record.delegate)\", who is not a registered person (a principal of people.yml)"
    }
    guard record.delegate != record.actor else {
      return "delegates from \(record.actor) to themself"
    }
    guard let start = Timestamp.parse(record.created), let end = Timestamp.parse(record.until)
    else { return "has an unreadable created or until time" }
    guard end >= start else {
      return "ends (\(record.until)) before it starts (\(record.created))"
    }
    if let roles = record.roles, roles.isEmpty {
      return "lends an empty list of roles; leave roles out to lend them all"
    }
    return nil
  }
}
