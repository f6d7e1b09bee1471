/// The PEM-like armour OpenSSH puts around signatures and private keys:
/// a `-----BEGIN <label>-----` line, base64 lines, a `-----END <label>-----` line.
struct SSHArmor: Sendable {
  static let signature = SSHArmor(label: "SSH SIGNATURE") { .malformedSignature($0) }
  static let privateKey = SSHArmor(label: "OPENSSH PRIVATE KEY") { .malformedPrivateKey($0) }

  /// ssh-keygen wraps the base64 body of signatures at 70 characters.
  private static let lineLength = 70

  let label: String
  let makeError: @Sendable (String) -> SignatureError
  let beginLine: String
  let endLine: String

  init(label: String, makeError: @escaping @Sendable (String) -> SignatureError) {
    self.label = label
    self.makeError = makeError
    beginLine = "-----BEGIN \(label)-----"
    endLine = "-----END \(label)-----"
  }

  /// `decode` for the layout ssh-keygen writes: the BEGIN line, base64 lines, the END line,
  /// each ended by a line feed (the last one may lack it), nothing else. Nil for any other
  /// layout, which `decode` then reads or refuses in words; for this one both give the same
  /// bytes, this one without splitting the text into lines.
  func decodeWritten(_ bytes: [UInt8]) -> [UInt8]? {
    bytes.withUnsafeBufferPointer { text in
      var begin = beginLine
      var end = endLine
      return begin.withUTF8 { begin in
        end.withUTF8 { end in
          guard text.count > begin.count, text.starts(with: begin),
            text[begin.count] == UInt8(ascii: "\n")
          else { return nil }
          var body: [UInt8] = []
          body.reserveCapacity(text.count)
          var cursor = begin.count + 1
          while cursor < text.count {
            let lineStart = cursor
            while cursor < text.count, text[cursor] != UInt8(ascii: "\n") { cursor += 1 }
            let line = text[lineStart..<cursor]
            if line.elementsEqual(end) {
              guard cursor >= text.count - 1, !body.isEmpty, body.count % 4 == 0 else { return nil }
              return SSHBase64.decode(body)
            }
            guard !line.isEmpty, line.allSatisfy(SSHBase64.isAlphabetCharacter) else { return nil }
            body.append(contentsOf: line)
            cursor += 1
          }
          return nil
        }
      }
    }
  }

  /// Extracts the binary body. Tolerates LF or CRLF line ends, blank lines and
  /// whitespace around lines; refuses anything else before BEGIN or after END.
  func decode(_ text: String) throws -> [UInt8] {
    let begin = Array(beginLine.utf8)
    let end = Array(endLine.utf8)
    var lines = Array(text.utf8).split(
      separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false
    )
    .map(Self.trimmingWhitespace)[...]
    while let first = lines.first, first.isEmpty { lines.removeFirst() }
    guard let first = lines.popFirst(), first.elementsEqual(begin) else {
      throw makeError("missing \"\(beginLine)\" line at the start")
    }
    guard let endIndex = lines.firstIndex(where: { $0.elementsEqual(end) }) else {
      throw makeError("missing \"\(endLine)\" line")
    }
    guard lines[(endIndex + 1)...].allSatisfy(\.isEmpty) else {
      throw makeError("unexpected text after the \"\(endLine)\" line")
    }
    let body = Array(lines[..<endIndex].joined())
    guard !body.isEmpty else {
      throw makeError("no base64 data between the BEGIN and END lines")
    }
    guard body.allSatisfy(SSHBase64.isAlphabetCharacter) else {
      throw makeError("the body contains characters that are not base64")
    }
    guard body.count % 4 == 0 else {
      throw makeError("the base64 body is truncated (\(body.count) characters)")
    }
    guard let bytes = SSHBase64.decode(body) else {
      throw makeError("the base64 body has misplaced padding")
    }
    return bytes
  }

  func encode(_ bytes: [UInt8]) -> String {
    let base64 = Array(SSHBase64.encode(bytes).utf8)
    var text = beginLine + "\n"
    var start = 0
    while start < base64.count {
      let stop = min(start + Self.lineLength, base64.count)
      text += String(decoding: base64[start..<stop], as: UTF8.self) + "\n"
      start = stop
    }
    return text + endLine + "\n"
  }

  private static func trimmingWhitespace(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    let isWhitespace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    var trimmed = line
    while let first = trimmed.first, isWhitespace(first) { trimmed.removeFirst() }
    while let last = trimmed.last, isWhitespace(last) { trimmed.removeLast() }
    return trimmed
  }
}
