import Foundation

/// An approval that counts, and the place it fills: its signer's own, or under a delegation
/// the delegator's (with the roles lent).
public struct CountedApproval: Sendable {
  public var approval: Signed<Approval>
  /// Whose approval it counts as: the roles, team and ownership the rules look at.
  public var seat: Person
  public var delegation: Signed<Delegation>?
  /// Roles of the place that lapsed for want of a recertification, so do not count.
  public var lapsed: [(role: String, at: Date?)] = []

  /// "alice", or "bob for alice".
  public var label: String {
    delegation == nil ? seat.id : "\(approval.signer.id) for \(seat.id)"
  }
}

/// A delegate who could still approve in someone's place.
public struct StandIn: Sendable {
  public var delegate: Person
  public var seat: Person
  public var until: String
}

/// Approvals in someone else's place (`Approval.on_behalf_of`, under a `Delegation`). One
/// person counts once and one place is filled once: a delegate who approves as themself and
/// for another counts once, and so does a delegator whose delegate approved for them too.
extension ReleaseEvaluator {
  /// The approvals that count, newest first when two would fill one place or come from one
  /// signer, with a warning for each one that does not.
  public func countedApprovals(_ facts: ReleaseFacts) -> (
    counted: [CountedApproval], warnings: [String]
  ) {
    var counted: [CountedApproval] = []
    var warnings: [String] = []
    var seats = Set<String>()
    var seatOfSigner: [String: String] = [:]
    for approval in facts.approvals.sorted(by: { $0.record.created > $1.record.created }) {
      if let reason = reasonNotCounted(approval, facts: facts) {
        warnings.append("not counted: \(reason)")
        continue
      }
      let place = self.place(approval, facts: facts)
      let signer = approval.signer.id
      if let filled = seatOfSigner[signer] {
        // An older approval of the same place says nothing new; one of another place would
        // count one person twice.
        if filled != place.seat.id {
          warnings.append(
            "not counted: \(signer)'s approval \(place.delegation == nil ? "in their own name" : "for \(place.seat.id)") "
              + "(\(approval.record.created)): \(signer) already counts once, with a newer approval"
          )
        }
        continue
      }
      if seats.contains(place.seat.id) {
        warnings.append(
          "not counted: \(CountedApproval(approval: approval, seat: place.seat, delegation: place.delegation).label)'s approval: "
            + "\(place.seat.id)'s place is filled already, and one person counts once")
        continue
      }
      seats.insert(place.seat.id)
      seatOfSigner[signer] = place.seat.id
      counted.append(
        CountedApproval(
          approval: approval, seat: counting(place.seat, facts), delegation: place.delegation,
          lapsed: facts.recertifications?.lapsed(place.seat, at: now) ?? []))
    }
    return (counted.sorted { $0.seat.id < $1.seat.id }, warnings)
  }

  /// The place an approval that counts fills.
  func place(_ approval: Signed<Approval>, facts: ReleaseFacts) -> (
    seat: Person, delegation: Signed<Delegation>?
  ) {
    guard let delegator = approval.record.on_behalf_of, let holder = people[delegator],
      let at = facts.countsFrom(approval.path, created: approval.record.created),
      let delegation = facts.delegations.inForce(
        from: delegator, to: approval.signer.id, at: at)
    else { return (approval.signer, nil) }
    return (Delegations.seat(holder, lentBy: delegation.record), delegation)
  }

  /// Why an approval made in someone else's place does not count; nil when it is in the
  /// signer's own name or may fill that place. The signer has passed every rule as themself.
  func delegationProblem(_ approval: Signed<Approval>, facts: ReleaseFacts) -> String? {
    guard let delegator = approval.record.on_behalf_of else { return nil }
    let who = approval.signer.id
    guard delegator != who else { return nil }
    guard let holder = people[delegator] else {
      return "\(who) approved for \(delegator), who is not a registered person"
    }
    guard let at = facts.countsFrom(approval.path, created: approval.record.created),
      let delegation = facts.delegations.inForce(from: delegator, to: who, at: at)
    else {
      return
        "\(who) approved for \(delegator), but no delegation from \(delegator) to \(who) was in force at "
        + "\(approval.record.created); \(delegator) can delegate: git govern delegate \(who) --until <time>"
    }
    let seat = Delegations.seat(holder, lentBy: delegation.record)
    if let reason = disqualification(of: seat, for: facts) {
      return "\(who) approved for \(delegator), whose own approval would not count: \(reason)"
    }
    return nil
  }

  /// Delegates who could approve in an eligible person's place now: their delegation is in
  /// force, and neither they nor the place they would fill is disqualified or counted yet.
  func standIns(_ facts: ReleaseFacts, excluding already: Set<String>) -> [StandIn] {
    facts.delegations.allInForce(at: now).compactMap { delegation in
      guard let holder = people[delegation.signer.id],
        let delegate = people[delegation.record.delegate],
        !already.contains(holder.id), !already.contains(delegate.id),
        !delegate.usableKeys(at: now).isEmpty,
        disqualification(of: delegate, for: facts) == nil
      else { return nil }
      let seat = counting(Delegations.seat(holder, lentBy: delegation.record), facts)
      guard disqualification(of: seat, for: facts) == nil else { return nil }
      return StandIn(delegate: delegate, seat: seat, until: delegation.record.until)
    }
  }

  /// "bob for alice (until …) can run `git govern approve r-1 --for alice`", for each stand-in.
  func standInOffers(_ standIns: [StandIn], release: String) -> String {
    standIns.map {
      "\($0.delegate.id), in \($0.seat.id)'s place until \($0.until), can run `git govern approve \(release) --for \($0.seat.id)`"
    }.joined(separator: "; ")
  }
}
