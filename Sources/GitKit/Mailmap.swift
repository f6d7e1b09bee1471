internal import Clibgit2
import Foundation

/// A mailmap, resolved in Swift with git's rules (git 2.39 `mailmap.c`).
///
/// libgit2 1.5 is not used for resolution: it matches emails and names case-sensitively,
/// while git compares both case-insensitively (so `Bob@Example.com` and `bob@example.com`
/// are one person for `git log --use-mailmap` but not for libgit2). The entries live in plain
/// Swift dictionaries, so the value is `Sendable` and cheap to share.
public struct Mailmap: Sendable, Equatable {
  struct Replacement: Sendable, Equatable {
    var name: String?
    var email: String?
  }
  struct Entry: Sendable, Equatable {
    /// Entry for lines matching on email only.
    var simple = Replacement()
    /// Entries for lines matching on name and email; keys are ASCII-lowercased names.
    var byName: [String: Replacement] = [:]
  }
  /// Keys are ASCII-lowercased emails.
  private var entries: [String: Entry] = [:]

  public init() {}

  /// Parses `.mailmap` text.
  public init(parsing text: String) {
    add(parsing: text)
  }

  public var isEmpty: Bool { entries.isEmpty }

  /// Adds the lines of `text`; later lines override earlier ones, as when git reads
  /// `.mailmap`, then `mailmap.blob`, then `mailmap.file`. The forms are
  /// `Proper Name <commit@email>`, `<proper@email> <commit@email>`,
  /// `Proper Name <proper@email> <commit@email>` and
  /// `Proper Name <proper@email> Commit Name <commit@email>`; lines starting with '#' are
  /// comments.
  public mutating func add(parsing text: String) {
    for line in Array(text.utf8).split(
      separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
    {
      if line.first == UInt8(ascii: "#") { continue }
      guard let first = Mailmap.parseNameAndEmail(line, allowEmptyEmail: false),
        let email1 = first.email
      else { continue }
      var name2: String? = nil
      var email2: String? = nil
      if let rest = first.rest, let second = Mailmap.parseNameAndEmail(rest, allowEmptyEmail: true)
      {
        name2 = second.name
        email2 = second.email
      }
      addMapping(newName: first.name, newEmail: email1, oldName: name2, oldEmail: email2)
    }
  }

  /// The canonical name and email for an identity (unchanged when no entry matches).
  /// Emails and names match case-insensitively (ASCII), like git.
  public func resolve(name: String, email: String) -> (name: String, email: String) {
    guard let entry = entries[Mailmap.fold(email)] else { return (name, email) }
    var replacement = entry.simple
    if !entry.byName.isEmpty, let specific = entry.byName[Mailmap.fold(name)] {
      replacement = specific
    }
    if replacement.name == nil && replacement.email == nil { return (name, email) }
    return (replacement.name ?? name, replacement.email ?? email)
  }

  /// `signature` with name and email resolved; time and offset unchanged.
  public func resolve(_ signature: Signature) -> Signature {
    let resolved = resolve(name: signature.name, email: signature.email)
    var result = signature
    result.name = resolved.name
    result.email = resolved.email
    return result
  }

  // MARK: git's parser

  private mutating func addMapping(
    newName: String?, newEmail: String?, oldName: String?, oldEmail: String?
  ) {
    var newEmail = newEmail
    var oldEmail = oldEmail
    if oldEmail == nil {
      oldEmail = newEmail
      newEmail = nil
    }
    guard let key = oldEmail.map(Mailmap.fold) else { return }
    var entry = entries[key] ?? Entry()
    if let oldName {
      entry.byName[Mailmap.fold(oldName)] = Replacement(name: newName, email: newEmail)
    } else {
      if let newName { entry.simple.name = newName }
      if let newEmail { entry.simple.email = newEmail }
    }
    entries[key] = entry
  }

  /// git's `parse_name_and_email`: "  Name  <email> rest" → ("Name", "email", " rest").
  private static func parseNameAndEmail(_ buffer: ArraySlice<UInt8>, allowEmptyEmail: Bool)
    -> (name: String?, email: String?, rest: ArraySlice<UInt8>?)?
  {
    guard let left = buffer.firstIndex(of: UInt8(ascii: "<")),
      let right = buffer[(left + 1)...].firstIndex(of: UInt8(ascii: ">"))
    else { return nil }
    if !allowEmptyEmail && left + 1 == right { return nil }
    var start = buffer.startIndex
    while start < left && isSpace(buffer[start]) { start += 1 }
    var end = left  // exclusive
    while end > start && isSpace(buffer[end - 1]) { end -= 1 }
    let name = start < end ? String(decoding: buffer[start..<end], as: UTF8.self) : nil
    let email = String(decoding: buffer[(left + 1)..<right], as: UTF8.self)
    let rest = buffer[(right + 1)...]
    return (name, email, rest.isEmpty ? nil : rest)
  }

  private static func isSpace(_ c: UInt8) -> Bool {
    c == 0x20 || (c >= 0x09 && c <= 0x0d)
  }

  /// ASCII-only case folding (git uses strcasecmp).
  static func fold(_ text: String) -> String {
    String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 + 0x20 : $0 }, as: UTF8.self)
  }
}

extension Repository {
  /// The repository's mailmap, read like git: the work tree's `.mailmap` (not in bare
  /// repositories; a symlink is ignored, as git does since 2.32), then the blob named by
  /// `mailmap.blob` (default `HEAD:.mailmap` in bare repositories), then the file named by
  /// `mailmap.file` ("~/" expanded; relative to the current directory). Missing sources are
  /// skipped; configuration errors are thrown. Empty when nothing is configured.
  /// Separation of duties never reads it: whoever writes the code can write these; it reads
  /// only the mailmap lines people.yml carries.
  public func mailmap() throws -> Mailmap {
    var map = Mailmap()
    if !isBare, let work = workingDirectory,
      let text = readMailmapFile(work + "/.mailmap", refuseSymlink: true)
    {
      map.add(parsing: text)
    }
    if let spec = try configString("mailmap.blob") ?? (isBare ? "HEAD:.mailmap" : nil),
      let bytes = try? blobBytes(revision: spec)
    {
      map.add(parsing: String(decoding: bytes, as: UTF8.self))
    }
    if var path = try configString("mailmap.file"), !path.isEmpty {
      if path.hasPrefix("~/"),
        let home = environment["HOME"] ?? ProcessInfo.processInfo.environment["HOME"]
      {
        path = home + String(path.dropFirst(1))
      }
      if let text = readMailmapFile(path, refuseSymlink: false) { map.add(parsing: text) }
    }
    return map
  }

  private func readMailmapFile(_ path: String, refuseSymlink: Bool) -> String? {
    if refuseSymlink,
      let type = try? FileManager.default.attributesOfItem(atPath: path)[.type]
        as? FileAttributeType,
      type == .typeSymbolicLink
    {
      return nil
    }
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  /// The content of the blob `revision` names ("HEAD:.mailmap", an id, ...).
  func blobBytes(revision: String) throws -> [UInt8] {
    let object = try acquire(
      "git_revparse_single('\(revision)')", parent: handle, release: git_object_free
    ) {
      git_revparse_single($0, pointer, revision)
    }
    let blob = try object.with { obj in
      try acquire("peel '\(revision)' to a blob", parent: handle, release: git_object_free) {
        git_object_peel($0, obj, GIT_OBJECT_BLOB)
      }
    }
    return blob.with { blob in
      let size = Int(git_blob_rawsize(blob))
      guard size > 0, let data = git_blob_rawcontent(blob) else { return [] }
      return Array(UnsafeRawBufferPointer(start: data, count: size))
    }
  }
}
