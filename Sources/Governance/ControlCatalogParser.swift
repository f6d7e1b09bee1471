/// Reads a control catalog (`controls.yml`), reporting every problem as `file:line:col:
/// message`; a check id it does not know is an error that lists the known ones.
public enum ControlCatalogParser {
  public static func parse(_ text: String, file: String = "controls.yml") throws(InputErrors)
    -> ControlCatalog
  {
    var errors: [InputError] = []
    let (root, entries) = try YAMLValue.parseMapping(
      text, file: file, what: "the control catalog",
      empty: "is empty; it needs `version: 1`, `framework:` and `controls:`", &errors)
    var version: Int?
    var framework: String?
    var controls: [ControlCatalog.Control]?
    for (key, keyNode, value) in entries {
      switch key {
      case "version":
        version = value.wholeNumber(&errors, what: "version", minimum: 1)
        if let found = version, found != 1 {
          errors.append(
            value.error("version \(found) is not known; this git-govern reads version 1"))
        }
      case "framework":
        framework = value.string(&errors, what: "framework")
      case "controls":
        controls = parseControls(value, &errors)
      default:
        errors.append(
          keyNode.error(
            "unknown key \"\(key)\"; a control catalog has version, framework, controls"))
      }
    }
    if version == nil, !errors.contains(where: { $0.message.hasPrefix("version") }) {
      errors.append(root.error("needs `version: 1`"))
    }
    if framework == nil, !entries.contains(where: { $0.key == "framework" }) {
      errors.append(root.error("needs `framework:`, the framework's name (e.g. SOC 2)"))
    }
    if controls == nil, !entries.contains(where: { $0.key == "controls" }) {
      errors.append(root.error("needs `controls:`, a list of {id, title, checks}"))
    }
    guard errors.isEmpty, let version, let framework, let controls else {
      throw InputErrors(errors)
    }
    return ControlCatalog(version: version, framework: framework, controls: controls)
  }

  private static func parseControls(_ value: YAMLValue, _ errors: inout [InputError])
    -> [ControlCatalog.Control]
  {
    var controls: [ControlCatalog.Control] = []
    var seen: Set<String> = []
    let items = value.sequenceItems(&errors, what: "controls") ?? []
    if items.isEmpty, !value.isNull, case .sequence = value.node {
      errors.append(value.error("controls is empty; list at least one control"))
    }
    for item in items {
      guard let fields = item.mappingEntries(&errors, what: "a control") else { continue }
      var id: String?
      var title: String?
      var checks: [String]?
      for (key, keyNode, field) in fields {
        switch key {
        case "id": id = field.string(&errors, what: "a control's id")
        case "title": title = field.string(&errors, what: "a control's title")
        case "checks": checks = parseChecks(field, &errors)
        default:
          errors.append(
            keyNode.error("unknown key \"\(key)\" in a control; a control has id, title, checks"))
        }
      }
      guard let id else {
        if !fields.contains(where: { $0.key == "id" }) {
          errors.append(item.error("a control needs an `id:` (the framework's, e.g. CC8.1)"))
        }
        continue
      }
      if !seen.insert(id).inserted {
        errors.append(item.error("control \"\(id)\" appears twice; give each control once"))
      }
      if checks == nil, !fields.contains(where: { $0.key == "checks" }) {
        errors.append(item.error("control \"\(id)\" needs `checks:`, the checks that evidence it"))
      }
      controls.append(.init(id: id, title: title ?? "", checks: checks ?? []))
    }
    return controls
  }

  private static func parseChecks(_ value: YAMLValue, _ errors: inout [InputError]) -> [String]? {
    let items: [YAMLValue]
    if value.scalarText != nil, !value.isNull {
      items = [value]
    } else {
      guard let list = value.sequenceItems(&errors, what: "checks") else { return nil }
      items = list
    }
    if items.isEmpty {
      errors.append(value.error("checks is empty; name at least one check"))
      return nil
    }
    var checks: [String] = []
    for item in items {
      guard let text = item.string(&errors, what: "a check") else { continue }
      let id = ControlCheck.id(text)
      guard ControlCheck.ids.contains(id) else {
        errors.append(
          item.error(
            "unknown check \"\(text)\"; known checks: \(ControlCheck.known.map(\.id).joined(separator: ", "))"
          ))
        continue
      }
      if !checks.contains(id) { checks.append(id) }
    }
    return checks
  }
}
