import Foundation

/// What `git govern pending` asks of the evaluator: who could still move a release on.
extension ReleaseEvaluator {
  /// People whose approval would count now and does not yet: eligible in their own name, or as
  /// a delegate in an eligible person's place.
  public func possibleApprovers(_ facts: ReleaseFacts) -> [String] {
    let counted = countedApprovals(facts).counted
    let taken = Set(counted.map(\.seat.id) + counted.map(\.approval.signer.id))
    let own = eligible(facts, excluding: taken).map(\.id)
    let delegates = standIns(facts, excluding: taken).map(\.delegate.id)
    return Array(Set(own + delegates)).sorted()
  }

  /// Who may sign the emergency's retrospective review: anyone registered but its requester
  /// and the server.
  public func possibleReviewers(_ facts: ReleaseFacts) -> [String] {
    people.persons.filter {
      $0.id != facts.request.signer.id && !$0.hasRole(PushReceipt.serverRole)
        && !$0.usableKeys(at: now).isEmpty
    }.map(\.id)
  }
}
