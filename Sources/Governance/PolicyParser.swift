/// Reads `policy.yml`, reporting every problem as `file:line:col: message`.
public enum PolicyParser {
  static let notYetEnforced: Set<String> = []

  public static func parse(_ text: String, file: String = "policy.yml") throws(InputErrors)
    -> Policy
  {
    var errors: [InputError] = []
    let (_, entries) = try YAMLValue.parseMapping(
      text, file: file, what: "the policy",
      empty: "is empty; it needs at least `version: 1` and `protected:`", &errors)

    var version: Int?
    var protected: [RefPattern] = []
    var rules: [ApprovalRule] = []
    var requesterMayApprove = false
    var authorsMayApprove = false
    var approvalTTL: Int?
    var recertifyEvery: Int?
    var adminApprovals = 1
    var freezes = FreezePolicy()
    var evidenceRequired: [ReleaseType: [String]] = [:]
    var attestations = AttestationPolicy()
    var retentionRoles = RetentionRoles()
    var changeRequired = Set<ReleaseType>()
    var emergency: EmergencyRule?
    var positions: [String: SourcePosition] = [:]
    var pusherMaySoleApprove = true
    var signedCommits = false
    var closeoutWithin: PolicyDuration?
    var calendar: BusinessCalendar?
    var retentionMin: Int?
    var nonFastForward: [RefPattern] = []
    var sawProtected = false
    var requesterMayRaiseException = false
    var authorsMayRaiseException = false
    var standardChanges: [StandardChange] = []
    var incidentDeclarers = Policy.defaultIncidentDeclarers
    var freezeDeclarers: [String]?
    var closeoutRoles = Policy.defaultCloseoutRoles
    var owners = PathOwners()
    var environmentsNode: YAMLValue?

    for (key, keyNode, value) in entries {
      if let line = keyNode.line, let column = keyNode.column {
        positions[key] = SourcePosition(line: line, column: column)
      }
      switch key {
      case "version":
        version = value.wholeNumber(&errors, what: "version", minimum: 1)
        if let found = version, found != 1 {
          errors.append(
            value.error("version \(found) is not known; this git-govern reads version 1"))
        }
      case "protected":
        sawProtected = true
        for item in value.sequenceItems(&errors, what: "protected") ?? [] {
          guard let text = item.string(&errors, what: "a protected ref pattern") else { continue }
          if !text.hasPrefix("refs/") {
            errors.append(
              item.error(
                "protected ref patterns start with refs/, got \"\(text)\" (did you mean refs/heads/\(text)?)"
              ))
          } else {
            protected.append(RefPattern(text))
          }
        }
      case "rules":
        rules = parseRules(value, &errors)
        var alreadyReported: [InputError] = []
        for (rule, item) in zip(rules, value.sequenceItems(&alreadyReported, what: "rules") ?? []) {
          if let line = item.line, let column = item.column {
            positions["rule \(rule.name)"] = SourcePosition(line: line, column: column)
          }
        }
      case "separation_of_duties":
        for (name, nameNode, setting) in value.mappingEntries(&errors, what: "separation_of_duties")
          ?? []
        {
          switch name {
          case "requester_may_approve":
            requesterMayApprove = setting.bool(&errors, what: name) ?? false
          case "authors_may_approve":
            authorsMayApprove = setting.bool(&errors, what: name) ?? false
          case "pusher_may_be_sole_approver":
            pusherMaySoleApprove = setting.bool(&errors, what: name) ?? true
          case "requester_may_raise_exception":
            requesterMayRaiseException = setting.bool(&errors, what: name) ?? false
          case "authors_may_raise_exception":
            authorsMayRaiseException = setting.bool(&errors, what: name) ?? false
          case "signed_commits":
            signedCommits = setting.bool(&errors, what: name) ?? false
          default:
            errors.append(
              nameNode.error(
                "unknown setting \"\(name)\" in separation_of_duties; known: requester_may_approve, authors_may_approve, pusher_may_be_sole_approver, requester_may_raise_exception, authors_may_raise_exception, signed_commits"
              ))
          }
        }
      case "approval_ttl":
        approvalTTL = duration(value, &errors, what: "approval_ttl")
      case "recertify_every":
        recertifyEvery = duration(value, &errors, what: "recertify_every")
      case "admins":
        for (name, nameNode, setting) in value.mappingEntries(&errors, what: "admins") ?? [] {
          if name == "approvals" {
            adminApprovals = setting.wholeNumber(&errors, what: "admins.approvals", minimum: 1) ?? 1
          } else {
            errors.append(nameNode.error("unknown setting \"\(name)\" in admins; known: approvals"))
          }
        }
      case "freezes":
        freezes = parseFreezes(value, &errors, declare: &freezeDeclarers)
      case "incidents":
        incidentDeclarers = parseIncidents(value, &errors)
      case "standard_changes":
        standardChanges = parseStandardChanges(value, &errors)
      case "closeout_within":
        closeoutWithin = span(value, &errors, what: "closeout_within")
      case "closeout_roles":
        closeoutRoles = roleList(value, &errors, what: "closeout_roles") ?? closeoutRoles
      case "retention_min":
        retentionMin = duration(value, &errors, what: "retention_min")
      case "evidence":
        evidenceRequired = parseEvidence(value, &errors)
      case "attestations":
        attestations = parseAttestations(value, &errors)
      case "retention":
        retentionRoles = parseRetention(value, &errors)
      case "allow_non_fast_forward":
        for text in value.stringList(&errors, what: "allow_non_fast_forward") ?? [] {
          if text.hasPrefix("refs/") {
            nonFastForward.append(RefPattern(text))
          } else {
            errors.append(
              value.error(
                "allow_non_fast_forward lists ref patterns starting with refs/, got \"\(text)\""))
          }
        }
      case "require_change":
        changeRequired = parseRequireChange(value, &errors)
      case "emergency":
        emergency = parseEmergency(value, &errors)
      case "owners":
        owners = parseOwners(value, &errors, positions: &positions)
      case "calendar":
        calendar = parseCalendar(value, &errors)
      case "environments":
        environmentsNode = value  // read below: its refs must be protected, wherever that is
      case _ where notYetEnforced.contains(key):
        errors.append(
          keyNode.error(
            "\"\(key)\" is not enforced by this version of git-govern; remove the section rather than rely on it"
          ))
      default:
        errors.append(
          keyNode.error(
            "unknown section \"\(key)\"; known: version, protected, rules, standard_changes, separation_of_duties, approval_ttl, freezes, incidents, evidence, attestations, require_change, emergency, allow_non_fast_forward, closeout_within, closeout_roles, retention_min, retention, admins, owners, recertify_every, environments, calendar"
          ))
      }
    }
    let environments =
      environmentsNode.map {
        parseEnvironments($0, &errors, protected: protected, positions: &positions)
      } ?? Environments()
    let business: [(String, PolicyDuration?)] =
      [
        ("closeout_within", closeoutWithin), ("emergency", emergency?.validationWithin),
        ("emergency", emergency?.reviewWithin),
      ] + rules.map { ("rule \($0.name)", $0.approvalSLA) }
    if calendar == nil, errors.isEmpty {
      for (section, span) in business where span?.isBusiness == true {
        let place = positions[section] ?? SourcePosition(line: 1, column: 1)
        errors.append(
          InputError(
            file: file, line: place.line, column: place.column,
            "\(section) counts business time (\(span!)), but the policy has no calendar: section; add one, e.g. calendar: {timezone: Europe/London, hours: \"09:00-17:00\"}"
          ))
      }
      if freezes.onHolidays {
        let place = positions["freezes"] ?? SourcePosition(line: 1, column: 1)
        errors.append(
          InputError(
            file: file, line: place.line, column: place.column,
            "freezes.holidays freezes the calendar's holidays, but the policy has no calendar: section listing them"
          ))
      }
    }
    if let calendar, freezes.onHolidays { freezes.windows += holidayWindows(calendar) }
    if version == nil, !errors.contains(where: { $0.message.hasPrefix("version") }) {
      errors.append(
        InputError(file: file, line: 1, column: 1, "version is missing; add `version: 1`"))
    }
    if !sawProtected {
      errors.append(
        InputError(
          file: file, line: 1, column: 1,
          "protected is missing; list the refs that need an approved release, e.g. `protected: [refs/heads/main]`"
        ))
    }
    if !errors.isEmpty { throw InputErrors(errors) }
    var policy = Policy(
      version: version ?? 1, protected: protected, rules: rules,
      requesterMayApprove: requesterMayApprove,
      authorsMayApprove: authorsMayApprove, approvalTTL: approvalTTL,
      adminApprovals: adminApprovals,
      freezes: freezes)
    policy.evidenceRequired = evidenceRequired
    policy.attestations = attestations
    policy.retentionRoles = retentionRoles
    policy.changeRequired = changeRequired
    policy.emergency = emergency
    policy.positions = positions
    policy.pusherMaySoleApprove = pusherMaySoleApprove
    policy.signedCommits = signedCommits
    policy.closeoutWithin = closeoutWithin
    policy.retentionMin = retentionMin
    policy.closeoutRoles = closeoutRoles
    policy.owners = owners
    policy.recertifyEvery = recertifyEvery
    policy.environments = environments
    policy.calendar = calendar
    policy.nonFastForward = nonFastForward
    policy.requesterMayRaiseException = requesterMayRaiseException
    policy.authorsMayRaiseException = authorsMayRaiseException
    policy.standardChanges = standardChanges
    policy.incidentDeclarers = incidentDeclarers
    policy.freezeDeclarers = freezeDeclarers ?? Policy.defaultFreezeDeclarers
    return policy
  }

  static func duration(_ value: YAMLValue, _ errors: inout [InputError], what: String) -> Int? {
    guard let text = value.string(&errors, what: what) else { return nil }
    guard let seconds = DurationText.seconds(from: text), seconds > 0 else {
      errors.append(
        value.error("\(what) must be a duration such as 72h, 30m or 1h30m, got \"\(text)\""))
      return nil
    }
    return seconds
  }

  private static func parseRules(_ value: YAMLValue, _ errors: inout [InputError]) -> [ApprovalRule]
  {
    var rules: [ApprovalRule] = []
    var names = Set<String>()
    for item in value.sequenceItems(&errors, what: "rules") ?? [] {
      guard let fields = item.mappingEntries(&errors, what: "a rule") else { continue }
      var rule = ApprovalRule(name: "", approvals: 0)
      var sawApprovals = false
      for (key, keyNode, field) in fields {
        switch key {
        case "name":
          let name = field.string(&errors, what: "a rule's name")
          rule.name = name ?? ""
          if name == "" {
            errors.append(field.error("a rule's name must not be empty"))
          } else if !rule.name.isEmpty, !names.insert(rule.name).inserted {
            errors.append(
              field.error("rule name \"\(rule.name)\" is used twice; names must be unique"))
          }
        case "when":
          for (condition, conditionNode, wanted) in field.mappingEntries(&errors, what: "when")
            ?? []
          {
            switch condition {
            case "type":
              rule.types = enumList(wanted, &errors, what: "when.type")
            case "risk":
              rule.risks = enumList(wanted, &errors, what: "when.risk")
            default:
              errors.append(
                conditionNode.error("unknown condition \"\(condition)\" in when; known: type, risk")
              )
            }
          }
        case "approvals":
          sawApprovals = true
          rule.approvals = field.wholeNumber(&errors, what: "approvals") ?? 0
        case "roles":
          for (role, _, count) in field.mappingEntries(&errors, what: "roles") ?? [] {
            if let needed = count.wholeNumber(&errors, what: "roles.\(role)", minimum: 1) {
              rule.roles[role] = needed
            }
          }
        case "approval_sla":
          rule.approvalSLA = span(field, &errors, what: "approval_sla")
        default:
          errors.append(
            keyNode.error(
              "unknown field \"\(key)\" in a rule; known: name, when, approvals, roles, approval_sla"
            ))
        }
      }
      if rule.name.isEmpty, !fields.contains(where: { $0.key == "name" }) {
        errors.append(item.error("every rule needs a name"))
      }
      if !sawApprovals {
        errors.append(
          item.error("rule \"\(rule.name)\" needs `approvals:` (0 for pre-approved changes)"))
      }
      rules.append(rule)
    }
    return rules
  }

  private static func enumList<T: RawRepresentable & CaseIterable>(
    _ value: YAMLValue, _ errors: inout [InputError], what: String
  ) -> [T]? where T.RawValue == String {
    // A single value is a list of one; each value is located on its own, not at the list.
    let items: [YAMLValue]
    if value.scalarText != nil, !value.isNull {
      items = [value]
    } else {
      guard let list = value.sequenceItems(&errors, what: what) else { return nil }
      items = list
    }
    var result: [T] = []
    for item in items {
      guard let text = item.string(&errors, what: what) else { continue }
      if let known = T(rawValue: text) {
        result.append(known)
      } else {
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        errors.append(item.error("\(what) \"\(text)\" is not one of \(allowed)"))
      }
    }
    return result
  }
}
