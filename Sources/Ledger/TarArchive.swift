import Foundation

/// The POSIX ustar archive an evidence pack travels in: regular files only, read back by
/// stock `tar -xf`. Written by hand (it is a few header fields) so the pack needs no program
/// beside git-govern to make, and read strictly so a doctored archive is refused, not guessed at.
public enum TarArchive {
  public struct Entry: Sendable, Equatable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
      self.path = path
      self.bytes = bytes
    }
  }

  public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  static let block = 512

  /// Files with mode 0644, owner 0, and `modified` as their time; paths up to 255 bytes.
  public static func write(_ entries: [Entry], modified: Date) throws(Malformed) -> [UInt8] {
    var out: [UInt8] = []
    for entry in entries {
      out += try header(for: entry, modified: modified)
      out += entry.bytes
      out += [UInt8](repeating: 0, count: (block - entry.bytes.count % block) % block)
    }
    out += [UInt8](repeating: 0, count: 2 * block)
    return out
  }

  /// Reads what stock tar writes too: directories are skipped, and long names may come as
  /// GNU `L` entries or pax `path=` headers. Links, devices and the rest are refused.
  public static func read(_ archive: [UInt8]) throws(Malformed) -> [Entry] {
    var entries: [Entry] = []
    var offset = 0
    var longName: String?
    while offset + block <= archive.count {
      let header = Array(archive[offset..<offset + block])
      if header.allSatisfy({ $0 == 0 }) { return entries }
      guard checksum(header) == octal(header[148..<156]) else {
        throw Malformed("the header at byte \(offset) has a wrong checksum")
      }
      guard let size = octal(header[124..<136]) else {
        throw Malformed("\(name(header)) has an unreadable size")
      }
      let start = offset + block
      guard start + size <= archive.count else {
        throw Malformed("\(name(header)) is cut short: the archive ends inside it")
      }
      let bytes = Array(archive[start..<start + size])
      offset = start + (size + block - 1) / block * block
      switch header[156] {
      case UInt8(ascii: "0"), 0:
        entries.append(Entry(path: longName ?? name(header), bytes: bytes))
        longName = nil
      case UInt8(ascii: "5"):
        longName = nil
      case UInt8(ascii: "L"):
        longName = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      case UInt8(ascii: "x"):
        longName = paxPath(bytes) ?? longName
      case UInt8(ascii: "g"):
        continue
      default:
        throw Malformed(
          "\(name(header)) is not a regular file (type \(Character(UnicodeScalar(header[156])))); a pack holds files only"
        )
      }
    }
    throw Malformed("it ends without the two empty blocks that close a tar archive")
  }

  /// The `path` of a pax extended header: records of `<length> <key>=<value>\n`.
  private static func paxPath(_ bytes: [UInt8]) -> String? {
    for record in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      guard let space = record.firstIndex(of: " ") else { continue }
      let field = record[record.index(after: space)...]
      if field.hasPrefix("path=") { return String(field.dropFirst(5)) }
    }
    return nil
  }

  private static func header(for entry: Entry, modified: Date) throws(Malformed) -> [UInt8] {
    let path = Array(entry.path.utf8)
    var prefix: [UInt8] = []
    var name = path
    if path.count > 100 {
      // Split at a slash: up to 155 bytes of directories in `prefix`, the rest in `name`.
      guard
        let slash = path.indices.last(where: {
          path[$0] == UInt8(ascii: "/") && $0 <= 155 && path.count - $0 - 1 <= 100
        })
      else { throw Malformed("\(entry.path) is too long a path for a tar header") }
      prefix = Array(path[..<slash])
      name = Array(path[(slash + 1)...])
    }
    var header = [UInt8](repeating: 0, count: block)
    func put(_ bytes: [UInt8], at offset: Int) {
      header.replaceSubrange(offset..<offset + bytes.count, with: bytes)
    }
    func number(_ value: Int, width: Int) -> [UInt8] {
      let digits = String(value, radix: 8)
      return Array((String(repeating: "0", count: width - 1 - digits.count) + digits).utf8) + [0]
    }
    put(name, at: 0)
    put(number(0o644, width: 8), at: 100)
    put(number(0, width: 8), at: 108)
    put(number(0, width: 8), at: 116)
    put(number(entry.bytes.count, width: 12), at: 124)
    put(number(Int(modified.timeIntervalSince1970), width: 12), at: 136)
    put(Array(repeating: UInt8(ascii: " "), count: 8), at: 148)
    header[156] = UInt8(ascii: "0")
    put(Array("ustar".utf8) + [0] + Array("00".utf8), at: 257)
    put(prefix, at: 345)
    put(number(checksum(header), width: 7) + [UInt8(ascii: " ")], at: 148)
    return header
  }

  /// The sum of the header's bytes with the checksum field read as spaces.
  private static func checksum(_ header: [UInt8]) -> Int {
    header.enumerated().reduce(0) { sum, item in
      sum + ((148..<156).contains(item.offset) ? 32 : Int(item.element))
    }
  }

  private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
    let digits = field.drop { $0 == UInt8(ascii: " ") }.prefix {
      $0 != 0 && $0 != UInt8(ascii: " ")
    }
    guard !digits.isEmpty, digits.allSatisfy({ (48...55).contains($0) }) else { return nil }
    return Int(String(decoding: digits, as: UTF8.self), radix: 8)
  }

  private static func name(_ header: [UInt8]) -> String {
    func text(_ range: Range<Int>) -> String {
      String(decoding: header[range].prefix { $0 != 0 }, as: UTF8.self)
    }
    let prefix = text(345..<500)
    return prefix.isEmpty ? text(0..<100) : prefix + "/" + text(0..<100)
  }
}
