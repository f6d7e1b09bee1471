/// `owners:` of `policy.yml`: path patterns to the people, roles or teams who must approve
/// changes to them.
extension PolicyParser {
  /// ```
  /// owners:
  ///   payments/**: {team: payments, approvals: 2}
  ///   infra/**: {role: sre}
  ///   default: {people: [alice]}
  /// ```
  static func parseOwners(
    _ value: YAMLValue, _ errors: inout [InputError], positions: inout [String: SourcePosition]
  ) -> PathOwners {
    var owners = PathOwners()
    var seen = Set<String>()
    for (name, nameNode, setting) in value.mappingEntries(&errors, what: "owners") ?? [] {
      if let line = nameNode.line, let column = nameNode.column {
        positions["owners \(name)"] = SourcePosition(line: line, column: column)
      }
      if !seen.insert(name).inserted {
        errors.append(nameNode.error("owners lists \"\(name)\" twice; name each pattern once"))
        continue
      }
      if name != OwnerRule.fallbackName, let problem = PathPattern.problem(name) {
        errors.append(
          nameNode.error(
            "owners: \(problem), got \"\(name)\" (use `default:` for paths no pattern matches)"))
        continue
      }
      guard let rule = parseOwnerRule(name, setting, &errors) else { continue }
      if rule.isFallback { owners.fallback = rule } else { owners.rules.append(rule) }
    }
    return owners
  }

  private static func parseOwnerRule(
    _ name: String, _ value: YAMLValue, _ errors: inout [InputError]
  ) -> OwnerRule? {
    let what = "owners.\(name)"
    var rule = OwnerRule(name: name)
    let before = errors.count
    for (key, keyNode, field) in value.mappingEntries(&errors, what: what) ?? [] {
      switch key {
      case "people", "person":
        rule.people += names(field, &errors, what: "\(what).\(key)", kind: "a principal")
      case "roles", "role":
        rule.roles += names(field, &errors, what: "\(what).\(key)", kind: "a role name")
        if rule.roles.contains(PushReceipt.serverRole) {
          errors.append(
            field.error("\(what): the server role only signs push receipts; it owns nothing"))
        }
      case "teams", "team":
        rule.teams += names(field, &errors, what: "\(what).\(key)", kind: "a team name")
      case "approvals":
        rule.approvals = field.wholeNumber(&errors, what: "\(what).approvals", minimum: 1) ?? 1
      default:
        errors.append(
          keyNode.error(
            "unknown field \"\(key)\" in \(what); known: people, roles, teams (or person, role, team), approvals"
          ))
      }
    }
    guard errors.count == before else { return nil }
    if rule.people.isEmpty, rule.roles.isEmpty, rule.teams.isEmpty {
      errors.append(
        value.error(
          "\(what) names no owner; give people, a role or a team, e.g. {team: payments, approvals: 2}"
        ))
      return nil
    }
    return rule
  }

  private static func names(
    _ value: YAMLValue, _ errors: inout [InputError], what: String, kind: String
  ) -> [String] {
    let list = value.stringList(&errors, what: what) ?? []
    for name in list where !Person.isValidID(name) {
      errors.append(
        value.error(
          "\(what): \"\(name)\" is not \(kind) (lowercase letters, digits, '.', '_' or '-')"))
    }
    if list.isEmpty { errors.append(value.error("\(what) is empty; name at least one")) }
    return list
  }
}
