/// Checks a policy that parses but cannot work as written: rules that can never apply, rules
/// nobody registered could ever satisfy, releases no rule covers.
public enum PolicyLint {
  public struct Finding: Sendable, Equatable {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    public var position: SourcePosition?
    public var message: String

    public func located(in file: String) -> String {
      let place = position.map { "\(file):\($0.line):\($0.column)" } ?? file
      return "\(place): \(severity == .warning ? "warning: " : "")\(message)"
    }
  }

  /// Problems of the policy alone, and, given the people in force, of the policy with them.
  public static func findings(_ policy: Policy, people: People?) -> [Finding] {
    var findings: [Finding] = []
    for (index, rule) in policy.rules.enumerated() {
      let position = policy.positions["rule \(rule.name)"]
      if let earlier = policy.rules[..<index].first(where: { covers($0, rule) }) {
        findings.append(
          Finding(
            severity: .error, position: position,
            message:
              "rule \"\(rule.name)\" can never apply: rule \"\(earlier.name)\" before it matches every release it would"
          ))
      }
      guard let people else { continue }
      let signers = people.persons.filter { !$0.keys.isEmpty }
      // The requester cannot approve unless the policy says so; authors depend on the range.
      let available = signers.count - (policy.requesterMayApprove ? 0 : 1)
      if rule.peopleNeeded > max(available, 0) {
        findings.append(
          Finding(
            severity: .error, position: position,
            message:
              "rule \"\(rule.name)\" needs \(rule.peopleNeeded) approvers but only \(max(available, 0)) registered "
              + "people could approve (\(signers.count) with keys\(policy.requesterMayApprove ? "" : ", less the requester")); "
              + "register more people or lower the number"))
      }
      for (role, needed) in rule.roles.sorted(by: { $0.key < $1.key }) {
        let holders = signers.filter { $0.hasRole(role) }.count
        if needed > holders {
          findings.append(
            Finding(
              severity: .error, position: position,
              message:
                "rule \"\(rule.name)\" needs \(needed) approver\(needed == 1 ? "" : "s") with role \(role), "
                + "but \(holders) registered people hold it"))
        }
      }
    }
    if let people {
      let admins = people.withRole("policy-admin").filter { !$0.keys.isEmpty }.count
      if policy.adminApprovals > admins {
        findings.append(
          Finding(
            severity: .error, position: policy.positions["admins"],
            message:
              "admins.approvals is \(policy.adminApprovals) but only \(admins) policy-admin\(admins == 1 ? "" : "s") are registered: "
              + "nobody could ever change the policy or people again"))
      }
      if let emergency = policy.emergency {
        for (role, needed) in emergency.roles.sorted(by: { $0.key < $1.key })
        where people.withRole(role).count < needed {
          findings.append(
            Finding(
              severity: .warning, position: policy.positions["emergency"],
              message:
                "emergency needs \(needed) with role \(role), but \(people.withRole(role).count) registered people hold it"
            ))
        }
      }
    }
    if let people {
      findings += dutyFindings(policy, people: people) + ownerFindings(policy, people: people)
    }
    let uncovered = ReleaseType.allCases.flatMap { type in Risk.allCases.map { (type, $0) } }
      .filter { policy.rule(type: $0.0, risk: $0.1) == nil }
    if !uncovered.isEmpty {
      let list = uncovered.prefix(4).map { "\($0.0.rawValue)/\($0.1.rawValue)" }.joined(
        separator: ", ")
      findings.append(
        Finding(
          severity: .warning, position: policy.positions["rules"],
          message:
            "no rule applies to \(list)\(uncovered.count > 4 ? " and \(uncovered.count - 4) more" : ""); "
            + "such releases are always blocked. End the rules with one without `when:`"))
    }
    return findings
  }

  /// Standard changes nobody registered may request, and declaring roles nobody holds.
  static func dutyFindings(_ policy: Policy, people: People) -> [Finding] {
    var findings: [Finding] = []
    for template in policy.standardChanges {
      for id in template.people where people[id] == nil {
        findings.append(
          Finding(
            severity: .warning, position: policy.positions["standard_changes"],
            message:
              "standard change \"\(template.name)\" names \(id), who is not registered in people.yml"
          ))
      }
      if !people.persons.contains(where: template.mayRequest) {
        findings.append(
          Finding(
            severity: .warning, position: policy.positions["standard_changes"],
            message:
              "nobody registered may request standard change \"\(template.name)\", so it pre-approves nothing"
          ))
      }
    }
    for (section, roles, may) in [
      ("incidents", policy.incidentDeclarers, policy.mayDeclareIncident),
      ("freezes", policy.freezeDeclarers, policy.mayDeclareFreeze),
    ] as [(String, [String], (Person) -> Bool)] where !people.persons.contains(where: may) {
      findings.append(
        Finding(
          severity: .warning, position: policy.positions[section],
          message:
            "nobody registered holds a role of \(section).declare (\(roles.joined(separator: ", "))), so nobody can declare \(section == "incidents" ? "an incident" : "a freeze")"
        ))
    }
    return findings
  }

  /// Whether every release `later` matches is matched by `earlier` first.
  static func covers(_ earlier: ApprovalRule, _ later: ApprovalRule) -> Bool {
    func superset<T: Hashable>(_ a: [T]?, _ b: [T]?) -> Bool {
      guard let a else { return true }
      guard let b else { return false }
      return Set(b).isSubset(of: Set(a))
    }
    return superset(earlier.types, later.types) && superset(earlier.risks, later.risks)
  }
}
