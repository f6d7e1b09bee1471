import Foundation

/// Recertification (`recertify_every`): a role counts for approvals, owners and exceptions only
/// while a policy-admin other than its holder recertified it within that time.
extension ReleaseEvaluator {
  /// `person` with only the roles that count now.
  func counting(_ person: Person, _ facts: ReleaseFacts) -> Person {
    facts.recertifications?.current(person, at: now) ?? person
  }

  /// The roles the policy asks for when it counts approvals and exceptions: only their lapse
  /// changes a verdict, so only theirs is worth a warning.
  var rolesThatApprove: Set<String> {
    var roles = Set(policy.rules.flatMap(\.roles.keys))
    roles.formUnion(policy.emergency?.signingRoles ?? [])
    roles.formUnion(policy.owners.rules.flatMap(\.roles))
    roles.formUnion(policy.owners.fallback?.roles ?? [])
    return roles
  }

  /// A warning per lapsed role of a person who counts, with who can fix it.
  func lapsedRoleChecks(_ person: String, _ lapsed: [(role: String, at: Date?)]) -> [Check] {
    guard let every = policy.recertifyEvery else { return [] }
    let named = rolesThatApprove
    return lapsed.filter { named.contains($0.role) }.map { role, at in
      let why =
        at.map { "lapsed at \(Timestamp.format($0))" }
        ?? "was never recertified"
      return Check(
        "recertification", .warn,
        "\(person)'s role \(role) \(why) (recertify_every: \(DurationText.text(fromSeconds: every))), "
          + "so it does not count; a policy-admin other than \(person) can run: git govern recertify \(person)"
      )
    }
  }

  /// "; carol holds security, but it lapsed: …" for eligible holders whose role does not count.
  func lapsedHolders(of role: String, _ facts: ReleaseFacts, excluding already: Set<String>)
    -> String
  {
    guard facts.recertifications != nil else { return "" }
    let lapsed = people.persons.filter {
      $0.hasRole(role) && !already.contains($0.id) && !counting($0, facts).hasRole(role)
        && disqualification(of: $0, for: facts) == nil
    }.map(\.id)
    guard !lapsed.isEmpty else { return "" }
    return
      "; \(lapsed.joined(separator: ", ")) hold\(lapsed.count == 1 ? "s" : "") \(role), but it lapsed for want of a "
      + "recertification: a policy-admin can run `git govern recertify \(lapsed.joined(separator: " "))`"
  }
}
