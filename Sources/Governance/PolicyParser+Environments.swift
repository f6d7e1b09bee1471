/// `environments:` of `policy.yml`: protected refs grouped into environments, each promoted
/// from the one named by `after`, after `soak` there.
extension PolicyParser {
  /// ```
  /// environments:
  ///   - name: staging
  ///     refs: [refs/heads/staging]
  ///   - name: production
  ///     refs: [refs/tags/v*]
  ///     after: staging
  ///     soak: 2h
  /// ```
  static func parseEnvironments(
    _ value: YAMLValue, _ errors: inout [InputError], protected: [RefPattern],
    positions: inout [String: SourcePosition]
  ) -> Environments {
    var list: [Environment] = []
    var afterNodes: [String: YAMLValue] = [:]
    var patternOwners: [String: String] = [:]
    for item in value.sequenceItems(&errors, what: "environments") ?? [] {
      guard let fields = item.mappingEntries(&errors, what: "an environment") else { continue }
      var environment = Environment(name: "", refs: [])
      let before = errors.count
      for (key, keyNode, field) in fields {
        switch key {
        case "name":
          environment.name = field.string(&errors, what: "an environment's name") ?? ""
          if let line = item.line, let column = item.column {
            positions["environment \(environment.name)"] = SourcePosition(
              line: line, column: column)
          }
        case "refs":
          for text in field.stringList(&errors, what: "environments.refs") ?? [] {
            guard text.hasPrefix("refs/") else {
              errors.append(
                field.error(
                  "environments.refs lists ref patterns starting with refs/, got \"\(text)\""))
              continue
            }
            guard protected.contains(where: { $0.matches(text) }) else {
              errors.append(
                field.error(
                  "environments.refs: \(text) is not protected, so the server writes no receipt of a push to it and nothing could be promoted from it; add it to protected"
                ))
              continue
            }
            environment.refs.append(RefPattern(text))
          }
        case "after":
          environment.after = field.string(&errors, what: "environments.after")
          afterNodes[environment.name.isEmpty ? "#\(list.count)" : environment.name] = field
        case "soak":
          environment.soak = duration(field, &errors, what: "environments.soak") ?? 0
        default:
          errors.append(
            keyNode.error(
              "unknown field \"\(key)\" in an environment; known: name, refs, after, soak"))
        }
      }
      if environment.name.isEmpty {
        errors.append(item.error("every environment needs a name, e.g. `name: staging`"))
      } else if !Person.isValidID(environment.name) {
        errors.append(
          item.error(
            "environment name \"\(environment.name)\" must be lowercase letters, digits, '.', '_' or '-'"
          ))
      } else if list.contains(where: { $0.name == environment.name }) {
        errors.append(item.error("environment \(environment.name) is named twice"))
      }
      if environment.refs.isEmpty, errors.count == before {
        errors.append(
          item.error("environment \(environment.name) lists no refs; add `refs: [refs/heads/…]`"))
      }
      for pattern in environment.refs {
        if let other = patternOwners[pattern.text] {
          errors.append(
            item.error(
              "\(pattern.text) is in environment \(other) already; a ref belongs to one environment"
            ))
        }
        patternOwners[pattern.text] = environment.name
      }
      if environment.soak > 0, environment.after == nil {
        errors.append(
          item.error(
            "environment \(environment.name) has a soak but no `after`: soak is the time in the earlier environment"
          ))
      }
      list.append(environment)
    }
    let names = Set(list.map(\.name))
    var inReportedCycle = Set<String>()
    for environment in list where !inReportedCycle.contains(environment.name) {
      guard let after = environment.after, let node = afterNodes[environment.name] else { continue }
      if !names.contains(after) {
        errors.append(
          node.error(
            "environment \(environment.name) comes after \"\(after)\", which is no environment; known: \(list.map(\.name).joined(separator: ", "))"
          ))
      } else if let cycle = cycle(from: environment.name, in: list) {
        inReportedCycle.formUnion(cycle)
        errors.append(
          node.error(
            "environments form a cycle (\(cycle.joined(separator: " → "))); no release could ever reach any of them"
          ))
      }
    }
    return Environments(list)
  }

  /// The names from `start` round to itself along `after`, if they loop.
  private static func cycle(from start: String, in list: [Environment]) -> [String]? {
    var path = [start]
    var current = start
    while let next = list.first(where: { $0.name == current })?.after {
      path.append(next)
      if next == start { return path }
      if path.dropLast().contains(next) { return nil }  // a loop that does not pass through start
      current = next
    }
    return nil
  }
}
