/// Tells addresses apart as a reader would not: two addresses with the same skeleton look the
/// same on a screen (`аlice@example.com` with a Cyrillic `а` is `alice@example.com` to the
/// eye). A small part of Unicode's confusables (UTS #39): the Cyrillic and Greek letters that
/// look like Latin ones, full-width forms, case, and characters that show as nothing.
public enum Confusables {
  /// The text as it looks: letters folded to the Latin letter they resemble, lowercased.
  public static func skeleton(_ text: String) -> String {
    var folded = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !invisible.contains(scalar.value) {
      var value = scalar.value
      // Full-width ASCII (U+FF01…U+FF5E) is ASCII to the eye.
      if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
      if let latin = capitals[value] { value = latin }
      folded.append(Unicode.Scalar(value) ?? scalar)
    }
    var result = String.UnicodeScalarView()
    for scalar in String(folded).lowercased().unicodeScalars {
      result.append(small[scalar.value].flatMap(Unicode.Scalar.init) ?? scalar)
    }
    return String(result)
  }

  /// Characters that show as nothing: zero-width spaces and joiners, the soft hyphen, the
  /// word joiner and the byte-order mark.
  private static let invisible: Set<UInt32> = [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

  /// Capitals that look like Latin capitals, folded before lowercasing: a Greek `Η` looks like
  /// `H`, though its small letter `η` does not look like `h`.
  private static let capitals: [UInt32: UInt32] = latin([
    // Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    // Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
  ])

  /// Small letters that look like Latin small letters, folded after lowercasing.
  private static let small: [UInt32: UInt32] = latin([
    // Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "к": "k", "ӓ": "ä", "ё": "ë",
    "ї": "ï",
    // Greek
    "α": "a", "ο": "o", "ρ": "p", "ι": "i", "κ": "k", "ν": "v", "υ": "u", "χ": "x", "ϲ": "c",
    "ϳ": "j", "γ": "y",
    // Latin letters that pass for others
    "ı": "i", "ɑ": "a", "ɡ": "g", "ſ": "s", "ℓ": "l",
  ])

  private static func latin(_ table: [Character: Character]) -> [UInt32: UInt32] {
    Dictionary(
      uniqueKeysWithValues: table.map {
        ($0.key.unicodeScalars.first!.value, $0.value.unicodeScalars.first!.value)
      })
  }
}

extension People {
  /// Registered addresses that look like `email` but are not it (see `Confusables`), with
  /// their people; empty for an address that is registered itself.
  public func lookalikes(of email: String) -> [(person: Person, email: String)] {
    let canonical = EmailAddress.canonical(email)
    guard person(email: canonical) == nil else { return [] }
    let skeleton = Confusables.skeleton(canonical)
    var found: [(person: Person, email: String)] = []
    for person in persons {
      for registered in person.emails
      where Confusables.skeleton(EmailAddress.canonical(registered)) == skeleton {
        found.append((person, registered))
      }
    }
    return found
  }
}
