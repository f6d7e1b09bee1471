internal import Clibgit2
import Foundation

/// The object database GitKit opens for a repository: the objects directory and its
/// alternates, as git reads them, without the commit-graph file.
///
/// libgit2 1.5 loads `objects/info/commit-graph` on the first history walk and checksums the
/// whole file with SHA-1 (6 MB, about 15 ms, for 100,000 commits) before using it, so every
/// hook run paid a cost that grows with the length of history. The walks GitKit makes are
/// bounded by the range a push brings, so they are faster without the graph.
enum ObjectDatabase {
  /// How deep `info/alternates` may chain, as in git and libgit2.
  static let alternatesDepth = 5

  static func open(objects: String, alternates: [String]) throws -> OpaqueHandle {
    let odb = try acquire("git_odb_new", release: git_odb_free) { git_odb_new($0) }
    var added = Set<String>()
    try add(objects, to: odb, alternate: false, depth: 0, added: &added)
    for alternate in alternates {
      try add(alternate, to: odb, alternate: true, depth: 1, added: &added)
    }
    return odb
  }

  private static func add(
    _ directory: String, to odb: OpaqueHandle, alternate: Bool, depth: Int, added: inout Set<String>
  ) throws {
    let key = (directory as NSString).standardizingPath
    guard depth <= alternatesDepth, added.insert(key).inserted else { return }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      // git names a missing alternate but goes on; the main object directory must exist.
      if alternate { return }
      throw GitError.invalid(
        "object directory '\(directory)' does not exist", operation: "open object database")
    }
    try gitCall("add object directory '\(directory)'") {
      gitkit_odb_add_objects_directory(odb.pointer, directory, alternate ? 1 : 0)
    }
    let list = directory + "/info/alternates"
    guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { return }
    for line in text.split(whereSeparator: \.isNewline) {
      let entry = line.trimmingCharacters(in: .whitespaces)
      guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
      try add(
        absolutePath(entry, relativeTo: directory), to: odb, alternate: true, depth: depth + 1,
        added: &added)
    }
  }
}
