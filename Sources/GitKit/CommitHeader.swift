import Foundation

/// Parents and people of a commit read straight from its stored bytes, as libgit2's commit
/// parser reads them, for the plain header git writes: `tree`, `parent`s, one `author`, then
/// `committer`, with SHA-1 ids and a `<seconds> <±hhmm>` time. Anything else (a second
/// `author` line, a missing time, another id length) gives nil, and the caller asks libgit2,
/// which decides; so the two never disagree. The audit reads 100,000 commits this way
/// without building a libgit2 commit object for each.
enum CommitHeader {
  static func identities(_ bytes: UnsafeRawBufferPointer) -> CommitIdentities? {
    var cursor = 0
    func line(after prefix: StaticString) -> Range<Int>? {
      let length = prefix.utf8CodeUnitCount
      guard cursor + length <= bytes.count,
        memcmp(bytes.baseAddress! + cursor, prefix.utf8Start, length) == 0,
        let end = bytes[(cursor + length)...].firstIndex(of: UInt8(ascii: "\n"))
      else { return nil }
      defer { cursor = end + 1 }
      return (cursor + length)..<end
    }
    guard bytes.count > 0, let tree = line(after: "tree "), OID(hexDigits: bytes[tree]) != nil
    else { return nil }
    var parents: [OID] = []
    while let parent = line(after: "parent ") {
      guard let oid = OID(hexDigits: bytes[parent]) else { return nil }
      parents.append(oid)
    }
    guard let authorLine = line(after: "author "), let author = signature(bytes[authorLine]),
      let committerLine = line(after: "committer "),
      let committer = signature(bytes[committerLine])
    else { return nil }
    return CommitIdentities(
      parents: parents, author: author, committer: committer,
      identityProblems: IdentityLine.problems(inHeaderOf: bytes))
  }

  /// `Name <address> 1700000000 +0100`: the address between the last `<` and the last `>`,
  /// the name before that `<` and its space. Only names and addresses that libgit2 would not
  /// trim (its trimming differs between versions) and a time zone it would keep are read here.
  private static func signature(_ line: Slice<UnsafeRawBufferPointer>) -> Signature? {
    guard let open = line.lastIndex(of: UInt8(ascii: "<")),
      let close = line.lastIndex(of: UInt8(ascii: ">")), open < close, open > line.startIndex,
      line[open - 1] == UInt8(ascii: " ")
    else { return nil }
    let name = line[..<(open - 1)]
    let email = line[(open + 1)..<close]
    guard isUntrimmed(name), isUntrimmed(email) else { return nil }
    // After `>`: a space, the seconds, a space, a sign and four digits, and nothing else.
    let when = line[(close + 1)...]
    guard when.count >= 8, when.first == UInt8(ascii: " ") else { return nil }
    let zone = when.suffix(5)
    guard when[zone.startIndex - 1] == UInt8(ascii: " "),
      zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
      let offset = decimal(zone.dropFirst()),
      let seconds = decimal(when[(when.startIndex + 1)..<(zone.startIndex - 1)]),
      seconds <= 9_999_999_999_999
    else { return nil }
    let hours = offset / 100
    let minutes = offset % 100
    guard hours <= 14, minutes <= 59 else { return nil }
    let sign = zone.first == UInt8(ascii: "-") ? -1 : 1
    return Signature(
      name: String(decoding: UnsafeRawBufferPointer(rebasing: name), as: UTF8.self),
      email: String(decoding: UnsafeRawBufferPointer(rebasing: email), as: UTF8.self),
      time: Date(timeIntervalSince1970: TimeInterval(seconds)),
      offsetMinutes: sign * (hours * 60 + minutes))
  }

  /// Not empty, no NUL, and neither end a byte that some libgit2 version trims (whitespace,
  /// control characters, `.,:;<>"\'`).
  private static func isUntrimmed(_ text: Slice<UnsafeRawBufferPointer>) -> Bool {
    func isTrimmed(_ byte: UInt8) -> Bool {
      switch byte {
      case 0...32, UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"),
        UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "\\"),
        UInt8(ascii: "'"):
        return true
      default: return false
      }
    }
    guard let first = text.first, let last = text.last, !isTrimmed(first), !isTrimmed(last)
    else { return false }
    return !text.contains(0)
  }

  private static func decimal(_ digits: Slice<UnsafeRawBufferPointer>) -> Int? {
    guard !digits.isEmpty, digits.count <= 18 else { return nil }
    var value = 0
    for byte in digits {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }
}
