/// The release sections of `policy.yml` beyond approval rules: required evidence, change
/// records, and the emergency path.
extension PolicyParser {
  /// `evidence: {normal: [tests, rollback-plan], emergency: [validation]}`
  static func parseEvidence(_ value: YAMLValue, _ errors: inout [InputError]) -> [ReleaseType:
    [String]]
  {
    var required: [ReleaseType: [String]] = [:]
    for (name, nameNode, kinds) in value.mappingEntries(&errors, what: "evidence") ?? [] {
      guard let type = ReleaseType(rawValue: name) else {
        errors.append(
          nameNode.error(
            "evidence is keyed by release type (standard, normal, emergency), got \"\(name)\""))
        continue
      }
      let list = kinds.stringList(&errors, what: "evidence.\(name)") ?? []
      for kind in list where !isEvidenceKind(kind) {
        errors.append(
          kinds.error(
            "evidence kind \"\(kind)\" must be lowercase letters, digits and '-', such as tests or rollback-plan"
          ))
      }
      required[type] = list
    }
    return required
  }

  /// `attestations: {kinds: {https://example.com/perf/v1: perf}, required_for: [slsa-provenance]}`
  static func parseAttestations(_ value: YAMLValue, _ errors: inout [InputError])
    -> AttestationPolicy
  {
    var policy = AttestationPolicy()
    for (name, nameNode, setting) in value.mappingEntries(&errors, what: "attestations") ?? [] {
      switch name {
      case "kinds":
        for (type, typeNode, kind) in setting.mappingEntries(&errors, what: "attestations.kinds")
          ?? []
        {
          guard let kind = kind.string(&errors, what: "attestations.kinds.\(type)") else {
            continue
          }
          if !type.contains(":") {
            errors.append(
              typeNode.error(
                "attestations.kinds is keyed by predicate type, a URI such as https://slsa.dev/provenance/v1, got \"\(type)\""
              ))
          } else if !isEvidenceKind(kind) {
            errors.append(
              typeNode.error(
                "evidence kind \"\(kind)\" must be lowercase letters, digits and '-', such as slsa-provenance"
              ))
          } else {
            policy.kinds[type] = kind
          }
        }
      case "required_for":
        let kinds = setting.stringList(&errors, what: "attestations.required_for") ?? []
        for kind in kinds where !isEvidenceKind(kind) {
          errors.append(
            setting.error(
              "evidence kind \"\(kind)\" must be lowercase letters, digits and '-', such as slsa-provenance"
            ))
        }
        policy.requiredFor = kinds
      default:
        errors.append(
          nameNode.error("unknown field \"\(name)\" in attestations; known: kinds, required_for"))
      }
    }
    return policy
  }

  /// `retention: {review: [records-manager], hold: [legal]}`: who approves retention reviews
  /// and who sets and lifts legal holds (default policy-admin for both).
  static func parseRetention(_ value: YAMLValue, _ errors: inout [InputError]) -> RetentionRoles {
    var roles = RetentionRoles()
    for (name, nameNode, setting) in value.mappingEntries(&errors, what: "retention") ?? [] {
      switch name {
      case "review":
        roles.review = roleList(setting, &errors, what: "retention.review") ?? roles.review
      case "hold":
        roles.hold = roleList(setting, &errors, what: "retention.hold") ?? roles.hold
      default:
        errors.append(nameNode.error("unknown field \"\(name)\" in retention; known: review, hold"))
      }
    }
    return roles
  }

  static func isEvidenceKind(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 64
      && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
  }

  /// `require_change: [normal, emergency]`
  static func parseRequireChange(_ value: YAMLValue, _ errors: inout [InputError]) -> Set<
    ReleaseType
  > {
    var types = Set<ReleaseType>()
    for name in value.stringList(&errors, what: "require_change") ?? [] {
      if let type = ReleaseType(rawValue: name) {
        types.insert(type)
      } else {
        errors.append(
          value.error(
            "require_change lists release types (standard, normal, emergency), got \"\(name)\""))
      }
    }
    return types
  }

  /// `emergency: {approvals: 1, roles: {incident-commander: 1}, validation_within: 4h, review_within: 24h}`
  static func parseEmergency(_ value: YAMLValue, _ errors: inout [InputError]) -> EmergencyRule {
    var rule = EmergencyRule()
    for (name, nameNode, setting) in value.mappingEntries(&errors, what: "emergency") ?? [] {
      switch name {
      case "approvals":
        rule.approvals = setting.wholeNumber(&errors, what: "emergency.approvals", minimum: 1) ?? 1
      case "roles":
        for (role, _, count) in setting.mappingEntries(&errors, what: "emergency.roles") ?? [] {
          if let needed = count.wholeNumber(&errors, what: "emergency.roles.\(role)", minimum: 1) {
            rule.roles[role] = needed
          }
        }
      case "validation_within":
        rule.validationWithin = span(setting, &errors, what: "emergency.validation_within")
      case "review_within":
        rule.reviewWithin = span(setting, &errors, what: "emergency.review_within")
      default:
        errors.append(
          nameNode.error(
            "unknown setting \"\(name)\" in emergency; known: approvals, roles, validation_within, review_within"
          ))
      }
    }
    if let most = rule.roles.values.max(), most > rule.approvals {
      errors.append(
        value.error(
          "emergency.roles asks for \(most) signatures of one role but emergency.approvals is \(rule.approvals); raise approvals"
        ))
    }
    return rule
  }
}
