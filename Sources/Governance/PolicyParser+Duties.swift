/// The sections of `policy.yml` that say who may do what beyond approving: pre-approved
/// standard changes, and who may declare incidents and freezes.
extension PolicyParser {
  /// A non-empty list of role names, each the kind `identity add --role` accepts.
  static func roleList(_ value: YAMLValue, _ errors: inout [InputError], what: String) -> [String]?
  {
    guard let roles = value.stringList(&errors, what: what) else { return nil }
    if roles.isEmpty {
      errors.append(
        value.error("\(what) lists no role, so nobody could ever do it; name at least one role"))
      return nil
    }
    for role in roles where !Person.isValidID(role) {
      errors.append(
        value.error(
          "\(what): \"\(role)\" is not a role name (lowercase letters, digits, '.', '_' or '-')"))
    }
    if roles.contains(PushReceipt.serverRole) {
      errors.append(
        value.error("\(what): the server role only signs push receipts; it declares nothing"))
    }
    return roles
  }

  /// `incidents: {declare: [incident-commander]}`
  static func parseIncidents(_ value: YAMLValue, _ errors: inout [InputError]) -> [String] {
    var declarers = Policy.defaultIncidentDeclarers
    for (name, nameNode, setting) in value.mappingEntries(&errors, what: "incidents") ?? [] {
      if name == "declare" {
        declarers = roleList(setting, &errors, what: "incidents.declare") ?? declarers
      } else {
        errors.append(nameNode.error("unknown setting \"\(name)\" in incidents; known: declare"))
      }
    }
    return declarers
  }

  /// `standard_changes: [{name: docs, roles: [release-manager], people: [alice], paths: ["docs/**"]}]`
  static func parseStandardChanges(_ value: YAMLValue, _ allErrors: inout [InputError])
    -> [StandardChange]
  {
    var errors: [InputError] = []
    // Reported in file order, a template's own problems after those inside it.
    defer {
      allErrors += errors.enumerated().sorted {
        ($0.element.line ?? 0, $0.element.column ?? 0, $0.offset) < (
          $1.element.line ?? 0, $1.element.column ?? 0, $1.offset
        )
      }.map(\.element)
    }
    var templates: [StandardChange] = []
    var names = Set<String>()
    for item in value.sequenceItems(&errors, what: "standard_changes") ?? [] {
      guard let fields = item.mappingEntries(&errors, what: "a standard change") else { continue }
      var template = StandardChange(name: "", paths: [])
      var badPaths = false
      for (key, keyNode, field) in fields {
        switch key {
        case "name":
          template.name = field.string(&errors, what: "a standard change's name") ?? ""
          if template.name.isEmpty {
            errors.append(field.error("a standard change's name must not be empty"))
          } else if !names.insert(template.name).inserted {
            errors.append(
              field.error(
                "standard change name \"\(template.name)\" is used twice; names must be unique"))
          }
        case "roles":
          template.roles = field.stringList(&errors, what: "standard_changes.roles") ?? []
          if template.roles.contains(PushReceipt.serverRole) {
            errors.append(
              field.error("the server role only signs push receipts; it requests nothing"))
          }
        case "people":
          template.people = field.stringList(&errors, what: "standard_changes.people") ?? []
          for person in template.people where !Person.isValidID(person) {
            errors.append(field.error("\"\(person)\" is not a principal (as in people.yml)"))
          }
        case "paths":
          for text in field.stringList(&errors, what: "standard_changes.paths") ?? [] {
            if let problem = PathPattern.problem(text) {
              errors.append(field.error("\(problem), got \"\(text)\""))
              badPaths = true
            } else {
              template.paths.append(PathPattern(text))
            }
          }
        default:
          errors.append(
            keyNode.error(
              "unknown field \"\(key)\" in a standard change; known: name, roles, people, paths"))
        }
      }
      let title =
        template.name.isEmpty ? "a standard change" : "standard change \"\(template.name)\""
      if !fields.contains(where: { $0.key == "name" }) {
        errors.append(item.error("every standard change needs a name"))
      }
      if template.roles.isEmpty, template.people.isEmpty {
        errors.append(
          item.error(
            "\(title) names nobody who may request it; give `roles:` or `people:` (or both)"))
      }
      if template.paths.isEmpty, !badPaths {
        errors.append(
          item.error(
            "\(title) needs `paths:`, the files it may touch (globs such as docs/** or *.md)"))
      }
      templates.append(template)
    }
    return templates
  }
}
