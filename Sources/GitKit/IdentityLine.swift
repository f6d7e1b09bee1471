/// The people lines of a commit or tag header (`author`, `committer`, `tagger`), checked for
/// anything git and libgit2 could read differently. git takes the address between the first
/// `<` and the `>` after it and the time after the last `>`; libgit2 takes the last `<` and
/// the last `>`, and trims what it reads. So `Bob <bob@example.com> <alice@example.com> …`
/// is bob in `git log` and alice to libgit2: who wrote such a commit cannot be told, and
/// separation of duties depends on it.
public enum IdentityLine {
  /// Why the commit or tag whose stored bytes these are has people lines that could be read
  /// two ways (each problem a phrase: `its author line "…" has two '<'`); empty when none.
  /// Only the header is read, up to the blank line before the message; continuation lines
  /// (a signature, a merged tag) are not people lines.
  public static func problems(inHeaderOf object: some Collection<UInt8>) -> [String] {
    var problems: [String] = []
    var counts: [String: Int] = [:]
    var start = object.startIndex
    while start < object.endIndex {
      let end = object[start...].firstIndex(of: UInt8(ascii: "\n")) ?? object.endIndex
      let line = object[start..<end]
      if line.isEmpty { break }
      start = end < object.endIndex ? object.index(after: end) : end
      guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { continue }
      let field = String(decoding: line[..<space], as: UTF8.self)
      guard field == "author" || field == "committer" || field == "tagger" else { continue }
      counts[field, default: 0] += 1
      if counts[field] == 2 {
        problems.append("it has more than one \(field) line")
      }
      if let problem = ambiguity(line[line.index(after: space)...]) {
        problems.append("its \(field) line \"\(printable(line))\" \(problem)")
      }
    }
    return problems
  }

  /// Why the text after `author ` (`Name <address> <seconds> <±hhmm>`) could be read two
  /// ways, or nil when git and libgit2 read the same name, address and time from it.
  public static func ambiguity(_ value: some Collection<UInt8>) -> String? {
    if let byte = value.first(where: { $0 < 32 || $0 == 127 }) {
      return "holds the control byte 0x\(String(byte, radix: 16, uppercase: false))"
    }
    let opens = value.filter { $0 == UInt8(ascii: "<") }.count
    let closes = value.filter { $0 == UInt8(ascii: ">") }.count
    guard opens == 1, closes == 1 else {
      return
        "has \(opens) '<' and \(closes) '>' where one of each is expected, so git and libgit2 read different addresses"
    }
    let bytes = Array(value)
    let open = bytes.firstIndex(of: UInt8(ascii: "<"))!
    let close = bytes.firstIndex(of: UInt8(ascii: ">"))!
    guard open < close else { return "has its '>' before its '<'" }
    let address = bytes[(open + 1)..<close]
    if let first = address.first, let last = address.last, isTrimmed(first) || isTrimmed(last) {
      return "has an address that starts or ends with a character libgit2 trims off"
    }
    // After `>`: a space, the seconds, a space, a sign and four digits, as git writes them.
    let time = bytes[(close + 1)...]
    let parts = time.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, parts[1].allSatisfy(isDigit),
      parts[2].count == 5,
      parts[2].first == UInt8(ascii: "+") || parts[2].first == UInt8(ascii: "-"),
      parts[2].dropFirst().allSatisfy(isDigit)
    else { return "does not end in \"<seconds> <±hhmm>\" after the address" }
    return nil
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// What some libgit2 version trims from either end of an address: whitespace and
  /// `.,:;<>"\'`.
  private static func isTrimmed(_ byte: UInt8) -> Bool {
    byte <= 32 || Array(".,:;<>\"\\'".utf8).contains(byte)
  }

  /// The line for a message: control bytes as `\xNN`, at most 200 bytes.
  static func printable(_ line: some Collection<UInt8>) -> String {
    var bytes: [UInt8] = []
    for byte in line.prefix(200) {
      if byte < 32 || byte == 127 {
        bytes += Array(("\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)).utf8)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
