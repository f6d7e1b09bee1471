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
  public static func problems(inHeaderOf object: some BidirectionalCollection<UInt8>) -> [String] {
    // Read for every commit of a history (the audit reads 100,000): nothing is allocated
    // unless there is a problem to tell.
    var problems: [String] = []
    var counts = (author: 0, committer: 0, tagger: 0)
    var start = object.startIndex
    while start < object.endIndex {
      let end = object[start...].firstIndex(of: UInt8(ascii: "\n")) ?? object.endIndex
      let line = object[start..<end]
      if line.isEmpty { break }
      start = end < object.endIndex ? object.index(after: end) : end
      let field: String
      let count: Int
      if line.starts(with: "author ".utf8) {
        (field, counts.author, count) = ("author", counts.author + 1, counts.author + 1)
      } else if line.starts(with: "committer ".utf8) {
        (field, counts.committer, count) = ("committer", counts.committer + 1, counts.committer + 1)
      } else if line.starts(with: "tagger ".utf8) {
        (field, counts.tagger, count) = ("tagger", counts.tagger + 1, counts.tagger + 1)
      } else {
        continue
      }
      if count == 2 { problems.append("it has more than one \(field) line") }
      let value = line.dropFirst(field.utf8.count + 1)
      if let problem = ambiguity(value) {
        problems.append("its \(field) line \"\(printable(line))\" \(problem)")
      }
    }
    return problems
  }

  /// Why the text after `author ` (`Name <address> <seconds> <±hhmm>`) could be read two
  /// ways, or nil when git and libgit2 read the same name, address and time from it.
  public static func ambiguity<Line: BidirectionalCollection<UInt8>>(_ value: Line) -> String? {
    var opens = 0
    var closes = 0
    var open = value.endIndex
    var close = value.endIndex
    var index = value.startIndex
    while index < value.endIndex {
      let byte = value[index]
      if byte < 32 || byte == 127 {
        return "holds the control byte 0x\(byte < 16 ? "0" : "")\(String(byte, radix: 16))"
      }
      if byte == UInt8(ascii: "<") {
        opens += 1
        open = index
      } else if byte == UInt8(ascii: ">") {
        closes += 1
        close = index
      }
      value.formIndex(after: &index)
    }
    guard opens == 1, closes == 1 else {
      return
        "has \(opens) '<' and \(closes) '>' where one of each is expected, so git and libgit2 read different addresses"
    }
    guard open < close else { return "has its '>' before its '<'" }
    let address = value[value.index(after: open)..<close]
    if let first = address.first, let last = address.last, isTrimmed(first) || isTrimmed(last) {
      return "has an address that starts or ends with a character libgit2 trims off"
    }
    // After `>`: a space, the seconds, a space, a sign and four digits, as git writes them.
    let time = value[value.index(after: close)...]
    guard time.first == UInt8(ascii: " "),
      let gap = time.dropFirst().firstIndex(of: UInt8(ascii: " "))
    else { return "does not end in \"<seconds> <±hhmm>\" after the address" }
    let seconds = time[time.index(after: time.startIndex)..<gap]
    let zone = time[time.index(after: gap)...]
    guard !seconds.isEmpty, seconds.allSatisfy(isDigit), zone.count == 5,
      zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
      zone.dropFirst().allSatisfy(isDigit)
    else { return "does not end in \"<seconds> <±hhmm>\" after the address" }
    return nil
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// What some libgit2 version trims from either end of an address: whitespace and
  /// `.,:;<>"\'`.
  private static func isTrimmed(_ byte: UInt8) -> Bool {
    switch byte {
    case 0...32, UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"),
      UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "\\"),
      UInt8(ascii: "'"):
      return true
    default: return false
    }
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
