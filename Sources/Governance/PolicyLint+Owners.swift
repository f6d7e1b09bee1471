/// Owner patterns that cannot work as written: a pattern nothing matches, owners nobody is,
/// more approvals than there are owners.
extension PolicyLint {
  /// Owner patterns no file of `paths` (the tree the policy will judge) matches.
  public static func ownerPatternFindings(_ policy: Policy, paths: [String]) -> [Finding] {
    let bytes = paths.map { Array($0.utf8)[...] }
    return policy.owners.rules.filter { rule in !bytes.contains(where: rule.pattern.matches) }
      .map { rule in
        Finding(
          severity: .warning, position: policy.positions["owners \(rule.name)"],
          message:
            "owner pattern \(rule.name) matches no file of the tree checked (\(paths.count) files); "
            + "check its spelling (`dir/**` is everything under dir/)")
      }
  }

  /// Owners nobody registered is, and more approvals than there are owners (part of
  /// `findings`, so `policy apply` refuses what can never pass).
  static func ownerFindings(_ policy: Policy, people: People) -> [Finding] {
    var findings: [Finding] = []
    let owners = policy.owners
    for rule in owners.rules + (owners.fallback.map { [$0] } ?? []) {
      let position = policy.positions["owners \(rule.name)"]
      func warn(_ message: String) {
        findings.append(Finding(severity: .warning, position: position, message: message))
      }
      for id in rule.people where people[id] == nil {
        warn("owners.\(rule.name) names \(id), who is not registered in people.yml")
      }
      for role in rule.roles where people.withRole(role).isEmpty {
        warn("owners.\(rule.name) names role \(role), which nobody registered holds")
      }
      for team in rule.teams where !people.persons.contains(where: { $0.team == team }) {
        warn("owners.\(rule.name) names team \(team), which has no members in people.yml")
      }
      let able = people.persons.filter {
        !$0.keys.isEmpty && !$0.hasRole(PushReceipt.serverRole) && rule.owns($0)
      }.count
      if able < rule.approvals {
        findings.append(
          Finding(
            severity: .error, position: position,
            message:
              "owners.\(rule.name) needs \(rule.approvals) owner approval\(rule.approvals == 1 ? "" : "s") but only \(able) "
              + "registered \(able == 1 ? "person with a key is an owner" : "people with keys are owners") (\(rule.ownersText)); "
              + "no release touching it could ever pass: register owners or lower approvals"))
      }
    }
    return findings
  }
}
