/// A fast reader for `people.yml` exactly as `PeopleFile.render` writes it (below `init`'s
/// comment header), which is how git govern itself writes the file. A people.yml with
/// hundreds of people took most of the hook's time through the YAML parser; this reads the
/// same file as bytes, line by line. Keys with a validity window or a revocation are read too:
/// one revoked key, in a file of hundreds of people, sent the whole file through YAML.
///
/// It never decides anything the YAML reader would decide differently: it accepts a text only
/// if rendering what it read gives back the very same bytes, and only if every check the YAML
/// reader makes passes. Anything else (comments, another layout, keys with validity windows,
/// an error) returns nil, and the caller reads the file with the YAML reader.
extension PeopleFile {
  static func parseCanonical(_ text: String) -> People? {
    let bytes = Array(text.utf8)
    var lines = bytes.split(separator: newline, omittingEmptySubsequences: false)[...]
    // The comment header `init` writes above the people.
    let header = lines.prefix { $0.first == UInt8(ascii: "#") }
    lines = lines.dropFirst(header.count)
    guard lines.popFirst()?.elementsEqual("people:".utf8) == true,
      lines.popLast()?.isEmpty == true
    else { return nil }
    var persons: [Person] = []
    var emailOwners: [String: String] = [:]
    var keyOwners: [String: String] = [:]
    var mailmap: [String] = []
    while let line = lines.popFirst() {
      if line.elementsEqual("mailmap:".utf8) {
        while let item = lines.popFirst() {
          guard item.starts(with: mailmapItemPrefix),
            let text = unquoted(item.dropFirst(mailmapItemPrefix.count)),
            mailmapLineProblem(text) == nil
          else { return nil }
          mailmap.append(text)
        }
        guard !mailmap.isEmpty else { return nil }
        break
      }
      guard let id = personHeader(line), Person.isValidID(id),
        let name = field("name", lines.popFirst()).flatMap(unquoted),
        let emails = field("emails", lines.popFirst()).flatMap(unquotedList)
      else { return nil }
      var keys: [String] = []
      var validity: [String: KeyValidity] = [:]
      guard let keysLine = lines.popFirst() else { return nil }
      if keysLine.elementsEqual("    keys:".utf8) {
        while let line = lines.first, line.starts(with: keyItemPrefix) {
          lines.removeFirst()
          guard let (key, window) = keyItem(line.dropFirst(keyItemPrefix.count)),
            Person.normalisedKey(key) == key, key.contains(" ")
          else { return nil }
          keys.append(key)
          if !window.isUnrestricted { validity[key] = window }
        }
      } else if !keysLine.elementsEqual("    keys: []".utf8) {
        return nil
      }
      guard let roles = field("roles", lines.popFirst()).flatMap(unquotedList) else { return nil }
      var team: String?
      if let value = field("team", lines.first) {
        lines.removeFirst()
        guard let text = unquoted(value) else { return nil }
        team = text
      }
      var pgpKeys: [String] = []
      if let value = field("pgp", lines.first) {
        lines.removeFirst()
        guard let list = unquotedList(value), !list.isEmpty,
          list.allSatisfy({ Person.pgpFingerprint($0) == $0 })
        else { return nil }
        pgpKeys = list
      }
      for email in emails {
        let canonical = EmailAddress.canonical(email)
        if let owner = emailOwners[canonical], owner != id { return nil }
        emailOwners[canonical] = id
      }
      for key in keys + pgpKeys {
        if let owner = keyOwners[key], owner != id { return nil }
        keyOwners[key] = id
      }
      var person = Person(id: id, name: name, emails: emails, keys: keys, roles: roles, team: team)
      person.pgpKeys = pgpKeys
      person.keyValidity = validity
      persons.append(person)
    }
    let people = People(persons, mailmap: mailmap)
    let body = bytes.dropFirst(header.reduce(0) { $0 + $1.count + 1 })
    return body.elementsEqual(render(people).utf8) ? people : nil
  }

  private static let newline = UInt8(ascii: "\n")
  private static let quote = UInt8(ascii: "\"")
  private static let backslash = UInt8(ascii: "\\")
  private static let keyItemPrefix = Array("      - ".utf8)
  private static let mailmapItemPrefix = Array("  - ".utf8)

  /// A key as `renderKey` writes it: `"ssh-ed25519 …"`, or with its validity
  /// `{key: "…", valid_after: "…", valid_before: "…", revoked: {at: "…", ledger: "…", reason: "…"}}`
  /// (each part but `key` optional, in that order), with the checks the YAML reader makes.
  private static func keyItem(_ text: ArraySlice<UInt8>) -> (String, KeyValidity)? {
    guard text.first == UInt8(ascii: "{") else { return unquoted(text).map { ($0, KeyValidity()) } }
    var rest = text.dropFirst()
    /// `<name>: "<text>"` at the front of `rest`, consumed; nil (and `rest` kept) when absent.
    func quotedField(_ name: String) -> String? {
      let prefix = Array("\(name): ".utf8)
      guard rest.starts(with: prefix) else { return nil }
      let value = rest.dropFirst(prefix.count)
      guard value.first == quote, let end = closingQuote(in: value),
        let text = unquoted(value[...end])
      else { return nil }
      rest = value[(end + 1)...]
      return text
    }
    func separator() -> Bool {
      guard rest.starts(with: ", ".utf8) else { return false }
      rest = rest.dropFirst(2)
      return true
    }
    guard let key = quotedField("key") else { return nil }
    var window = KeyValidity()
    while separator() {
      if window.validAfter == nil, window.validBefore == nil, window.revoked == nil,
        let text = quotedField("valid_after")
      {
        guard let date = Timestamp.parse(text) else { return nil }
        window.validAfter = date
      } else if window.validBefore == nil, window.revoked == nil,
        let text = quotedField("valid_before")
      {
        guard let date = Timestamp.parse(text) else { return nil }
        window.validBefore = date
      } else if window.revoked == nil, rest.starts(with: "revoked: {".utf8) {
        rest = rest.dropFirst("revoked: {".utf8.count)
        guard let at = quotedField("at").flatMap(Timestamp.parse), separator(),
          let ledger = quotedField("ledger"), separator(), let reason = quotedField("reason"),
          rest.first == UInt8(ascii: "}")
        else { return nil }
        rest = rest.dropFirst()
        window.revoked = KeyValidity.Revocation(at: at, ledger: ledger, reason: reason)
      } else {
        return nil
      }
    }
    guard rest.elementsEqual("}".utf8), !window.isUnrestricted else { return nil }
    if let after = window.validAfter, let before = window.validBefore, before <= after {
      return nil
    }
    return (key, window)
  }

  /// `  <id>:` → id.
  private static func personHeader(_ line: ArraySlice<UInt8>) -> String? {
    guard line.count > 3, line.starts(with: "  ".utf8), line.last == UInt8(ascii: ":"),
      line[line.startIndex + 2] != UInt8(ascii: " ")
    else { return nil }
    return String(decoding: line.dropFirst(2).dropLast(), as: UTF8.self)
  }

  /// The value after `    <name>: `, or nil when the line is not that field.
  private static func field(_ name: String, _ line: ArraySlice<UInt8>?) -> ArraySlice<UInt8>? {
    let prefix = Array("    \(name): ".utf8)
    guard let line, line.starts(with: prefix) else { return nil }
    return line.dropFirst(prefix.count)
  }

  /// `["a", "b"]` as written by `render`.
  private static func unquotedList(_ text: ArraySlice<UInt8>) -> [String]? {
    guard text.first == UInt8(ascii: "["), text.last == UInt8(ascii: "]") else { return nil }
    var rest = text.dropFirst().dropLast()
    var items: [String] = []
    while !rest.isEmpty {
      guard rest.first == quote, let end = closingQuote(in: rest), let item = unquoted(rest[...end])
      else { return nil }
      items.append(item)
      rest = rest[(end + 1)...]
      if rest.isEmpty { break }
      guard rest.starts(with: ", ".utf8) else { return nil }
      rest = rest.dropFirst(2)
    }
    return items
  }

  private static func closingQuote(in text: ArraySlice<UInt8>) -> Int? {
    var index = text.startIndex + 1
    while index < text.endIndex {
      if text[index] == backslash {
        index += 2
        continue
      }
      if text[index] == quote { return index }
      index += 1
    }
    return nil
  }

  /// A double-quoted scalar with the escapes `quoted` writes; anything else is nil.
  private static func unquoted(_ text: ArraySlice<UInt8>) -> String? {
    guard text.count >= 2, text.first == quote, text.last == quote else { return nil }
    let inner = text.dropFirst().dropLast()
    guard inner.contains(where: { $0 == quote || $0 == backslash }) else {
      return String(validating: inner, as: UTF8.self)
    }
    var result = String.UnicodeScalarView()
    guard let decoded = String(validating: inner, as: UTF8.self) else { return nil }
    var iterator = decoded.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
      switch scalar {
      case "\"": return nil
      case "\\":
        switch iterator.next() {
        case "\"": result.append("\"")
        case "\\": result.append("\\")
        case "n": result.append("\n")
        case "t": result.append("\t")
        case "u":
          var hex = ""
          for _ in 0..<4 { iterator.next().map { hex.unicodeScalars.append($0) } }
          guard hex.count == 4, let value = UInt32(hex, radix: 16),
            let decoded = Unicode.Scalar(value)
          else { return nil }
          result.append(decoded)
        default: return nil
        }
      default: result.append(scalar)
      }
    }
    return String(result)
  }
}
