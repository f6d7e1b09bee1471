import Foundation

/// Reads and writes `people.yml`. Writing is deterministic so the same people give the same blob.
public enum PeopleFile {
  public static func parse(_ text: String, file: String = "people.yml") throws(InputErrors) -> People {
    var errors: [InputError] = []
    let root: YAMLValue
    do {
      guard let parsed = try YAMLValue.parse(text, file: file) else {
        throw InputErrors([InputError(file: file, "is empty; it needs a `people:` mapping")])
      }
      root = parsed
    } catch let error as InputError {
      throw InputErrors([error])
    } catch let errors as InputErrors {
      throw errors
    } catch {
      throw InputErrors([InputError(file: file, "\(error)")])
    }
    var persons: [Person] = []
    var emailOwners: [String: String] = [:]
    var keyOwners: [String: String] = [:]
    for (key, keyNode, value) in root.mappingEntries(&errors, what: "people.yml") ?? [] {
      guard key == "people" else {
        errors.append(keyNode.error("unknown section \"\(key)\"; people.yml holds only `people:`"))
        continue
      }
      for (id, idNode, fields) in value.mappingEntries(&errors, what: "people") ?? [] {
        if !Person.isValidID(id) {
          errors.append(idNode.error("\"\(id)\" is not a valid principal: use lowercase letters, digits, '.', '_' or '-'"))
        }
        var person = Person(id: id, name: id, emails: [], keys: [], roles: [])
        for (field, fieldNode, setting) in fields.mappingEntries(&errors, what: "person \(id)") ?? [] {
          switch field {
          case "name": person.name = setting.string(&errors, what: "\(id).name") ?? id
          case "emails": person.emails = setting.stringList(&errors, what: "\(id).emails") ?? []
          case "keys":
            person.keys = (setting.stringList(&errors, what: "\(id).keys") ?? []).map(Person.normalisedKey)
            for key in person.keys where !key.contains(" ") {
              errors.append(setting.error("\(id).keys: \"\(key)\" is not an OpenSSH public key (\"ssh-ed25519 AAAA…\")"))
            }
          case "roles": person.roles = setting.stringList(&errors, what: "\(id).roles") ?? []
          case "team": person.team = setting.string(&errors, what: "\(id).team")
          default:
            errors.append(fieldNode.error("unknown field \"\(field)\" for \(id); known: name, emails, keys, roles, team"))
          }
        }
        for email in person.emails {
          let canonical = EmailAddress.canonical(email)
          if let owner = emailOwners[canonical], owner != id {
            errors.append(fields.error("email \(email) belongs to both \(owner) and \(id)"))
          }
          emailOwners[canonical] = id
        }
        for key in person.keys {
          if let owner = keyOwners[key], owner != id {
            errors.append(fields.error("a key of \(id) is also registered for \(owner); one key, one person"))
          }
          keyOwners[key] = id
        }
        persons.append(person)
      }
    }
    if !errors.isEmpty { throw InputErrors(errors) }
    return People(persons)
  }

  public static func render(_ people: People) -> String {
    var lines = ["people:"]
    for person in people.persons {
      lines.append("  \(person.id):")
      lines.append("    name: \(quoted(person.name))")
      lines.append("    emails: [\(person.emails.map(quoted).joined(separator: ", "))]")
      lines.append("    keys:")
      lines.append(contentsOf: person.keys.map { "      - \(quoted($0))" })
      if person.keys.isEmpty { lines[lines.count - 1] = "    keys: []" }
      lines.append("    roles: [\(person.roles.map(quoted).joined(separator: ", "))]")
      if let team = person.team { lines.append("    team: \(quoted(team))") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// YAML double-quoted scalars accept JSON string escapes. Characters YAML may not hold raw
  /// (C0 and C1 controls, DEL, non-characters) or would fold as line breaks (NEL, LS, PS) are escaped.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value):
        result += String(format: "\\u%04x", scalar.value)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
