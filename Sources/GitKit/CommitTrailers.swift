import Foundation

/// A `Co-authored-by: Name <address>` trailer of a commit message: a claim, like the author.
public struct CoAuthor: Sendable, Hashable {
  public var name: String
  public var email: String

  public init(name: String, email: String) {
    self.name = name
    self.email = email
  }
}

/// The trailers of a commit message that name people, read from the raw commit's bytes.
///
/// The trailer block is the message's last paragraph, when it is not its first (the subject)
/// and its lines are trailers (`Token: value`, continued by indented lines), or at least a
/// quarter of them are; git's `interpret-trailers` also wants one of git's own trailers for the
/// quarter, which is left out here: a trailer counted that git would not count only names one
/// more contributor.
enum CommitTrailers {
  /// The co-authors a raw commit's message names (without the `commit <size>\0` prefix).
  static func coAuthors(inCommit bytes: UnsafeRawBufferPointer) -> [CoAuthor] {
    // The headers end at the first empty line; no header line is empty.
    guard let base = bytes.baseAddress else { return [] }
    var index = 0
    while index + 1 < bytes.count,
      let hit = memchr(base + index, Int32(newline), bytes.count - index - 1)
    {
      let position = base.distance(to: UnsafeRawPointer(hit))
      if bytes[position + 1] == newline { return coAuthors(inMessage: bytes, from: position + 2) }
      index = position + 1
    }
    return []
  }

  /// The co-authors of a message alone (what `git_commit_message_raw` gives).
  static func coAuthors(inMessage message: UnsafeRawBufferPointer) -> [CoAuthor] {
    coAuthors(inMessage: message, from: 0)
  }

  private static let newline = UInt8(ascii: "\n")

  private static func coAuthors(inMessage bytes: UnsafeRawBufferPointer, from start: Int)
    -> [CoAuthor]
  {
    // Most messages hold no colon, so no trailer: nothing more to read.
    guard start < bytes.count,
      memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: ":")), bytes.count - start) != nil
    else { return [] }
    // The last paragraph's lines, walking back from the end over trailing blank lines.
    var lines: [Range<Int>] = []
    var end = bytes.count
    var sawBlankAbove = false
    while end > start {
      var lineEnd = end
      if bytes[lineEnd - 1] == newline { lineEnd -= 1 }
      var lineStart = lineEnd
      while lineStart > start, bytes[lineStart - 1] != newline { lineStart -= 1 }
      let line = lineStart..<lineEnd
      end = lineStart
      if isBlank(bytes, line) {
        if lines.isEmpty { continue }  // trailing blank lines
        sawBlankAbove = true
        break
      }
      lines.append(line)
    }
    // A message of one paragraph is all subject and body: no trailers.
    guard sawBlankAbove, !lines.isEmpty else { return [] }
    lines.reverse()
    var trailers = 0
    var others = 0
    for line in lines {
      if bytes[line.lowerBound] == UInt8(ascii: " ") || bytes[line.lowerBound] == UInt8(ascii: "\t")
      {
        continue  // continues the line above
      }
      if separator(bytes, line) != nil { trailers += 1 } else { others += 1 }
    }
    guard trailers > 0, others == 0 || 4 * trailers >= trailers + others else { return [] }
    var found: [CoAuthor] = []
    for line in lines {
      guard let colon = separator(bytes, line),
        token(bytes, line.lowerBound..<colon).lowercased() == "co-authored-by",
        let coAuthor = person(bytes, (colon + 1)..<line.upperBound)
      else { continue }
      found.append(coAuthor)
    }
    return found
  }

  private static func isBlank(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> Bool {
    line.allSatisfy {
      bytes[$0] == UInt8(ascii: " ") || bytes[$0] == UInt8(ascii: "\t") || bytes[$0] == 0x0d
    }
  }

  /// The index of the `:` of a `Token: value` line, the token being letters, digits and `-`
  /// (spaces may stand before the colon).
  private static func separator(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> Int? {
    var index = line.lowerBound
    while index < line.upperBound, isTokenByte(bytes[index]) { index += 1 }
    guard index > line.lowerBound else { return nil }
    while index < line.upperBound, bytes[index] == UInt8(ascii: " ") { index += 1 }
    return index < line.upperBound && bytes[index] == UInt8(ascii: ":") ? index : nil
  }

  private static func isTokenByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
  }

  private static func token(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
    String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
      .trimmingCharacters(in: .whitespaces)
  }

  /// `Name <address>` (or a bare address): the address between the last `<` and `>`.
  private static func person(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> CoAuthor? {
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
      let email = String(text[text.index(after: open)..<close]).trimmingCharacters(
        in: .whitespaces)
      guard !email.isEmpty else { return nil }
      return CoAuthor(
        name: String(text[..<open]).trimmingCharacters(in: .whitespaces), email: email)
    }
    guard text.contains("@"), !text.contains(" ") else { return nil }
    return CoAuthor(name: "", email: text)
  }
}
