import Foundation

/// Reads and writes `people.yml`. Writing is deterministic so the same people give the same blob.
public enum PeopleFile {
  public static func parse(_ text: String, file: String = "people.yml") throws(InputErrors)
    -> People
  {
    if let people = parseCanonical(text) { return people }
    var errors: [InputError] = []
    let (_, entries) = try YAMLValue.parseMapping(
      text, file: file, what: "people.yml", empty: "is empty; it needs a `people:` mapping",
      &errors)
    var persons: [Person] = []
    var emailOwners: [String: String] = [:]
    var keyOwners: [String: String] = [:]
    var mailmap: [String] = []
    var builders: [Builder] = []
    for (key, keyNode, value) in entries {
      if key == "builders" {
        builders = parseBuilders(value, &errors)
        continue
      }
      if key == "mailmap" {
        for item in value.sequenceItems(&errors, what: "mailmap") ?? [] {
          guard let line = item.string(&errors, what: "a mailmap line") else { continue }
          if let problem = mailmapLineProblem(line) {
            errors.append(item.error(problem))
          } else {
            mailmap.append(line)
          }
        }
        continue
      }
      guard key == "people" else {
        errors.append(
          keyNode.error(
            "unknown section \"\(key)\"; people.yml holds `people:`, `mailmap:` and `builders:`"))
        continue
      }
      for (id, idNode, fields) in value.mappingEntries(&errors, what: "people") ?? [] {
        if !Person.isValidID(id) {
          errors.append(
            idNode.error(
              "\"\(id)\" is not a valid principal: use lowercase letters, digits, '.', '_' or '-'"))
        }
        var person = Person(id: id, name: id, emails: [], keys: [], roles: [])
        for (field, fieldNode, setting) in fields.mappingEntries(&errors, what: "person \(id)")
          ?? []
        {
          switch field {
          case "name": person.name = setting.string(&errors, what: "\(id).name") ?? id
          case "emails": person.emails = setting.stringList(&errors, what: "\(id).emails") ?? []
          case "keys":
            (person.keys, person.keyValidity) = parseKeys(setting, &errors, owner: id)
          case "roles": person.roles = setting.stringList(&errors, what: "\(id).roles") ?? []
          case "team": person.team = setting.string(&errors, what: "\(id).team")
          case "pgp":
            for item in setting.sequenceItems(&errors, what: "\(id).pgp") ?? [] {
              guard let text = item.string(&errors, what: "\(id).pgp") else { continue }
              if let fingerprint = Person.pgpFingerprint(text) {
                person.pgpKeys.append(fingerprint)
              } else {
                errors.append(
                  item.error(
                    "\(id).pgp: \"\(text)\" is not an OpenPGP fingerprint (40 hex digits, as `gpg --fingerprint` shows them)"
                  ))
              }
            }
          default:
            errors.append(
              fieldNode.error(
                "unknown field \"\(field)\" for \(id); known: name, emails, keys, roles, team, pgp")
            )
          }
        }
        for email in person.emails {
          let canonical = EmailAddress.canonical(email)
          if let owner = emailOwners[canonical], owner != id {
            errors.append(fields.error("email \(email) belongs to both \(owner) and \(id)"))
          }
          emailOwners[canonical] = id
        }
        for key in person.keys + person.pgpKeys {
          if let owner = keyOwners[key], owner != id {
            errors.append(
              fields.error("a key of \(id) is also registered for \(owner); one key, one person"))
          }
          keyOwners[key] = id
        }
        persons.append(person)
      }
    }
    for builder in builders {
      if persons.contains(where: { $0.id == builder.id }) {
        errors.append(
          InputError(file: file, "builder \(builder.id) has the id of a person; give it its own"))
      }
      for key in builder.keys {
        if let owner = keyOwners[key], owner != builder.id {
          errors.append(
            InputError(
              file: file,
              "a key of builder \(builder.id) is also registered for \(owner); one key, one owner"))
        }
        keyOwners[key] = builder.id
      }
    }
    if !errors.isEmpty { throw InputErrors(errors) }
    return People(persons, mailmap: mailmap, builders: builders)
  }

  /// Why `line` is not a `.mailmap` line git would read, or nil when it is one. The forms are
  /// `Proper Name <commit@email>`, `<proper@email> <commit@email>`,
  /// `Proper Name <proper@email> <commit@email>` and
  /// `Proper Name <proper@email> Commit Name <commit@email>`.
  public static func mailmapLineProblem(_ line: String) -> String? {
    if line.contains(where: \.isNewline) {
      return "a mailmap line must be one line, got \(quoted(line))"
    }
    guard let open = line.firstIndex(of: "<"), let close = line[open...].firstIndex(of: ">"),
      line.index(after: open) < close
    else {
      return
        "\(quoted(line)) is not a mailmap line; write `Proper Name <proper@email> <commit@email>`"
    }
    if line.hasPrefix("#") { return "a mailmap line must not be a comment, got \(quoted(line))" }
    return nil
  }

  public static func render(_ people: People) -> String {
    var lines = ["people:"]
    for person in people.persons {
      lines.append("  \(person.id):")
      lines.append("    name: \(quoted(person.name))")
      lines.append("    emails: [\(person.emails.map(quoted).joined(separator: ", "))]")
      lines.append("    keys:")
      lines.append(contentsOf: person.keys.map { renderKey($0, person.validity(of: $0)) })
      if person.keys.isEmpty { lines[lines.count - 1] = "    keys: []" }
      lines.append("    roles: [\(person.roles.map(quoted).joined(separator: ", "))]")
      if let team = person.team { lines.append("    team: \(quoted(team))") }
      if !person.pgpKeys.isEmpty {
        lines.append("    pgp: [\(person.pgpKeys.map(quoted).joined(separator: ", "))]")
      }
    }
    if !people.mailmap.isEmpty {
      lines.append("mailmap:")
      lines.append(contentsOf: people.mailmap.map { "  - \(quoted($0))" })
    }
    if !people.builders.isEmpty {
      lines.append("builders:")
      for builder in people.builders {
        lines.append("  \(builder.id):")
        lines.append("    name: \(quoted(builder.name))")
        lines.append("    keys: [\(builder.keys.map(quoted).joined(separator: ", "))]")
        if !builder.predicates.isEmpty {
          lines.append(
            "    predicates: [\(builder.predicates.map(quoted).joined(separator: ", "))]")
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `builders: {ci: {name: "CI", keys: ["ssh-ed25519 …"], predicates: [https://slsa.dev/provenance/v1]}}`
  static func parseBuilders(_ value: YAMLValue, _ errors: inout [InputError]) -> [Builder] {
    var builders: [Builder] = []
    for (id, idNode, fields) in value.mappingEntries(&errors, what: "builders") ?? [] {
      if !Person.isValidID(id) {
        errors.append(
          idNode.error(
            "\"\(id)\" is not a valid builder id: use lowercase letters, digits, '.', '_' or '-'"))
      }
      var builder = Builder(id: id, name: id, keys: [])
      for (field, fieldNode, setting) in fields.mappingEntries(&errors, what: "builder \(id)") ?? []
      {
        switch field {
        case "name": builder.name = setting.string(&errors, what: "\(id).name") ?? id
        case "keys":
          for key in setting.stringList(&errors, what: "\(id).keys") ?? [] {
            let normalised = Person.normalisedKey(key)
            if normalised.contains(" ") {
              builder.keys.append(normalised)
            } else {
              errors.append(
                setting.error(
                  "\(id).keys: \"\(key)\" is not an OpenSSH public key (\"ssh-ed25519 AAAA…\")"))
            }
          }
        case "predicates":
          builder.predicates = setting.stringList(&errors, what: "\(id).predicates") ?? []
        default:
          errors.append(
            fieldNode.error(
              "unknown field \"\(field)\" for builder \(id); known: name, keys, predicates"))
        }
      }
      if builder.keys.isEmpty {
        errors.append(fields.error("builder \(id) needs at least one key under `keys:`"))
      }
      builders.append(builder)
    }
    return builders
  }

  /// A key is a string, or a mapping with `key:` and its validity:
  /// `{key: "ssh-ed25519 …", valid_after: 2026-01-01T00:00:00Z, valid_before: …,
  ///   revoked: {at: …, ledger: <governance commit>, reason: "…"}}`.
  static func parseKeys(_ value: YAMLValue, _ errors: inout [InputError], owner id: String) -> (
    [String], [String: KeyValidity]
  ) {
    var keys: [String] = []
    var validity: [String: KeyValidity] = [:]
    let items: [YAMLValue] =
      value.scalarText != nil && !value.isNull
      ? [value] : (value.sequenceItems(&errors, what: "\(id).keys") ?? [])
    for item in items {
      var text: String?
      var window = KeyValidity()
      if item.scalarText != nil {
        text = item.string(&errors, what: "\(id).keys")
      } else {
        for (field, fieldNode, setting) in item.mappingEntries(&errors, what: "a key of \(id)")
          ?? []
        {
          switch field {
          case "key": text = setting.string(&errors, what: "\(id).keys.key")
          case "valid_after": window.validAfter = time(setting, &errors, what: "valid_after")
          case "valid_before": window.validBefore = time(setting, &errors, what: "valid_before")
          case "revoked":
            var at: Date?
            var ledger: String?
            var reason = ""
            for (name, nameNode, part) in setting.mappingEntries(&errors, what: "revoked") ?? [] {
              switch name {
              case "at": at = time(part, &errors, what: "revoked.at")
              case "ledger": ledger = part.string(&errors, what: "revoked.ledger")
              case "reason": reason = part.string(&errors, what: "revoked.reason") ?? ""
              default:
                errors.append(
                  nameNode.error("unknown field \"\(name)\" in revoked; known: at, ledger, reason"))
              }
            }
            if let at, let ledger {
              window.revoked = KeyValidity.Revocation(at: at, ledger: ledger, reason: reason)
            } else {
              errors.append(
                setting.error(
                  "revoked needs `at:` (a time) and `ledger:` (the governance commit it was made on)"
                ))
            }
          default:
            errors.append(
              fieldNode.error(
                "unknown field \"\(field)\" for a key; known: key, valid_after, valid_before, revoked"
              ))
          }
        }
      }
      guard let text else {
        if item.scalarText == nil {
          errors.append(item.error("a key of \(id) needs `key: \"ssh-ed25519 AAAA…\"`"))
        }
        continue
      }
      let key = Person.normalisedKey(text)
      guard key.contains(" ") else {
        errors.append(
          item.error("\(id).keys: \"\(key)\" is not an OpenSSH public key (\"ssh-ed25519 AAAA…\")"))
        continue
      }
      if let after = window.validAfter, let before = window.validBefore, before <= after {
        errors.append(item.error("\(id).keys: valid_before must be later than valid_after"))
      }
      keys.append(key)
      if !window.isUnrestricted { validity[key] = window }
    }
    return (keys, validity)
  }

  private static func time(_ value: YAMLValue, _ errors: inout [InputError], what: String) -> Date?
  {
    guard let text = value.string(&errors, what: what) else { return nil }
    guard let date = Timestamp.parse(text) else {
      errors.append(
        value.error(
          "\(what) must be an RFC 3339 time such as 2026-12-01T00:00:00Z, got \"\(text)\""))
      return nil
    }
    return date
  }

  static func renderKey(_ key: String, _ validity: KeyValidity) -> String {
    guard !validity.isUnrestricted else { return "      - \(quoted(key))" }
    var parts = ["key: \(quoted(key))"]
    if let after = validity.validAfter {
      parts.append("valid_after: \(quoted(Timestamp.format(after)))")
    }
    if let before = validity.validBefore {
      parts.append("valid_before: \(quoted(Timestamp.format(before)))")
    }
    if let revoked = validity.revoked {
      parts.append(
        "revoked: {at: \(quoted(Timestamp.format(revoked.at))), ledger: \(quoted(revoked.ledger)), reason: \(quoted(revoked.reason))}"
      )
    }
    return "      - {\(parts.joined(separator: ", "))}"
  }

  /// YAML double-quoted scalars accept JSON string escapes. Characters YAML may not hold raw
  /// (C0 and C1 controls, DEL, non-characters) or would fold as line breaks (NEL, LS, PS) are escaped.
  static func quoted(_ text: String) -> String {
    // Printable ASCII without quote or backslash (nearly every id, email and key) needs no escape.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
      return "\"" + text + "\""
    }
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case _
      where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value):
        result += String(format: "\\u%04x", scalar.value)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
