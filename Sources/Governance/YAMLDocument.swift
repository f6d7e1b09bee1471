import Yams

/// A YAML node with the file it came from, so every complaint can say `file:line:col`.
/// Reading collects errors instead of stopping at the first one.
struct YAMLValue {
  let node: Node
  let file: String

  var line: Int? { node.mark?.line }
  var column: Int? { node.mark?.column }

  func error(_ message: String) -> InputError {
    InputError(file: file, line: line, column: column, message)
  }

  static func parse(_ text: String, file: String) throws(InputError) -> YAMLValue? {
    do {
      // The basic resolver: every scalar is text, which the readers interpret themselves;
      // the default one runs a regular expression per scalar (most of a large people.yml's parse).
      guard let node = try Yams.compose(yaml: text, .basic) else { return nil }
      return YAMLValue(node: node, file: file)
    } catch let yamlError as YamlError {
      throw yamlError.inputError(file: file)
    } catch {
      throw InputError(file: file, "is not valid YAML: \(error)")
    }
  }

  /// The top level of a file that is one mapping (policy.yml, people.yml, controls.yml): its
  /// root and entries, with problems in its keys added to `errors`. Text that is not YAML, an
  /// empty file (`empty` says what it needs) or a root that is not a mapping (`what` names it)
  /// ends the reading here: nothing below could be read.
  static func parseMapping(
    _ text: String, file: String, what: String, empty: String, _ errors: inout [InputError]
  ) throws(InputErrors) -> (
    root: YAMLValue, entries: [(key: String, keyNode: YAMLValue, value: YAMLValue)]
  ) {
    let parsed: YAMLValue?
    do throws(InputError) {
      parsed = try parse(text, file: file)
    } catch {
      throw InputErrors([error])
    }
    guard let root = parsed else { throw InputErrors([InputError(file: file, empty)]) }
    guard let entries = root.mappingEntries(&errors, what: what) else {
      throw InputErrors(errors)
    }
    return (root, entries)
  }

  var describedKind: String {
    switch node {
    case .scalar(let scalar): return "\"\(scalar.string)\""
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  var scalarText: String? {
    if case .scalar(let scalar) = node { return scalar.string }
    return nil
  }

  var isNull: Bool {
    if case .scalar(let scalar) = node {
      return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
    return false
  }

  /// The entries of a mapping in file order, refusing duplicate and non-text keys.
  func mappingEntries(_ errors: inout [InputError], what: String) -> [(
    key: String, keyNode: YAMLValue, value: YAMLValue
  )]? {
    guard case .mapping(let mapping) = node else {
      errors.append(error("\(what) must be a mapping, got \(describedKind)"))
      return nil
    }
    var seen = Set<String>()
    var entries: [(key: String, keyNode: YAMLValue, value: YAMLValue)] = []
    for (keyNode, valueNode) in mapping {
      let key = YAMLValue(node: keyNode, file: file)
      guard let name = key.scalarText else {
        errors.append(key.error("keys in \(what) must be plain text"))
        continue
      }
      if !seen.insert(name).inserted {
        errors.append(key.error("\"\(name)\" appears twice in \(what)"))
        continue
      }
      entries.append((name, key, YAMLValue(node: valueNode, file: file)))
    }
    return entries
  }

  func sequenceItems(_ errors: inout [InputError], what: String) -> [YAMLValue]? {
    guard case .sequence(let sequence) = node else {
      errors.append(error("\(what) must be a list, got \(describedKind)"))
      return nil
    }
    return sequence.map { YAMLValue(node: $0, file: file) }
  }

  /// A list of strings; a single string is accepted as a list of one.
  func stringList(_ errors: inout [InputError], what: String) -> [String]? {
    if let text = scalarText, !isNull { return [text] }
    guard let items = sequenceItems(&errors, what: what) else { return nil }
    var strings: [String] = []
    for item in items {
      guard let text = item.scalarText else {
        errors.append(item.error("\(what) must hold text, got \(item.describedKind)"))
        continue
      }
      strings.append(text)
    }
    return strings
  }

  func string(_ errors: inout [InputError], what: String) -> String? {
    guard let text = scalarText, !isNull else {
      errors.append(error("\(what) must be text, got \(describedKind)"))
      return nil
    }
    return text
  }

  func wholeNumber(_ errors: inout [InputError], what: String, minimum: Int = 0) -> Int? {
    guard let text = scalarText, let number = Int(text), number >= minimum else {
      errors.append(
        error("\(what) must be a whole number of at least \(minimum), got \(describedKind)"))
      return nil
    }
    return number
  }

  func bool(_ errors: inout [InputError], what: String) -> Bool? {
    switch scalarText {
    case "true", "True", "TRUE", "yes": return true
    case "false", "False", "FALSE", "no": return false
    default:
      errors.append(error("\(what) must be true or false, got \(describedKind)"))
      return nil
    }
  }
}

extension YamlError {
  func inputError(file: String) -> InputError {
    switch self {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { "\(problem) (\($0.text))" } ?? problem
      return InputError(
        file: file, line: mark.line, column: mark.column, "is not valid YAML: \(detail)")
    case .reader(let problem, let offset, _, let yaml):
      guard let offset, offset <= yaml.count else {
        return InputError(file: file, "cannot be read as UTF-8 YAML: \(problem)")
      }
      let before = yaml.prefix(offset)
      let line = before.filter(\.isNewline).count + 1
      let column = before.reversed().prefix(while: { !$0.isNewline }).count + 1
      return InputError(
        file: file, line: line, column: column, "cannot be read as UTF-8 YAML: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
      return InputError(
        file: file, line: context.mark.line, column: context.mark.column,
        "\(keys) \(duplicates.count == 1 ? "appears" : "appear") twice in the same mapping; keep only one"
      )
    default:
      return InputError(file: file, "is not valid YAML: \(self)")
    }
  }
}
