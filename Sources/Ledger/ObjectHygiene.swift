import GitKit

/// Objects that git and libgit2 (and so git-govern) could read two ways, refused in the
/// governance branch whether or not the server runs `receive.fsckObjects`:
/// - a tree with two entries of one name (git's and libgit2's lookups may find either, so
///   the record the server verified need not be the one a clone reads);
/// - a people line (`author`, `committer`) that git and libgit2 read differently
///   (`IdentityLine`);
/// - a second root: a commit without parents other than the governance root, which a merge
///   would bring in with everything in its tree unchecked (records are checked where they
///   are new to every parent).
struct ObjectHygiene {
  let repository: Repository
  /// The entries of trees read for earlier commits, by tree id: a check of a run of commits
  /// passes one in, so that a commit's parent trees (read as new for the commit before) are
  /// not read and parsed again.
  var trees = SubtreeMemo()

  /// The parsed entries of recently read trees. Bounded: a run of commits needs only the last
  /// commit's.
  final class SubtreeMemo {
    private var entries: [OID: [RawTreeEntry]] = [:]

    func remember(_ tree: OID, _ parsed: [RawTreeEntry]) {
      if entries.count >= 256 { entries.removeAll(keepingCapacity: true) }
      entries[tree] = parsed
    }

    func entries(of tree: OID, in repository: Repository) -> [RawTreeEntry] {
      if let known = entries[tree] { return known }
      return (try? RawTreeEntry.parse(repository.rawObject(tree).bytes)) ?? []
    }
  }

  /// The subtrees of the tree a commit's parent had at some path, looked up by name. A commit
  /// changes a tree in one or two places, so the entry at the same position (or one off, after
  /// an entry was added or removed) is nearly always the one; only a tree that changed in many
  /// places is indexed by name, once.
  private struct EarlierSubtrees {
    let entries: [RawTreeEntry]
    private var misses = 0
    private var byName: [ArraySlice<UInt8>: OID]?

    init(_ entries: [RawTreeEntry]) { self.entries = entries }

    mutating func subtree(named name: ArraySlice<UInt8>, near position: Int) -> OID? {
      // The same position first: with two entries of one name (refused with the commit that
      // brought them), the one compared is the one at the same place.
      for guess in [position, position - 1, position + 1] where entries.indices.contains(guess) {
        let entry = entries[guess]
        if entry.name == name { return entry.isTree ? entry.oid : nil }
      }
      if byName == nil {
        misses += 1
        if misses <= 8 {
          return entries.first { $0.name == name && $0.isTree }?.oid
        }
        var index: [ArraySlice<UInt8>: OID] = [:]
        for entry in entries where entry.isTree && index[entry.name] == nil {
          index[entry.name] = entry.oid
        }
        byName = index
      }
      return byName?[name]
    }
  }

  /// Every such problem of the governance commit `oid`, each a sentence naming it; `root` is
  /// the governance root commit (the records' `repo`).
  func problems(ofGovernanceCommit oid: OID, root: String) throws -> [String] {
    let label = "governance commit \(oid.hex.prefix(10))"
    var problems = try repository.identityProblems(ofCommit: oid).map { "\(label): \($0)" }
    let commit = try repository.commit(oid)
    if commit.parents.isEmpty, oid.hex != root {
      problems.append(
        "\(label) is a root commit, but the governance branch has one root (\(root.prefix(10))); "
          + "a history that starts elsewhere is not the governance history")
    }
    for parent in commit.parents.dropFirst()
    where try parent.hex != root && repository.parentIDs(of: parent).isEmpty {
      problems.append(
        "\(label) merges \(parent.hex.prefix(10)), the root of another history: its history does not start at the governance root \(root.prefix(10))"
      )
    }
    let parentTree = try commit.parents.first.map { try repository.tree(ofCommit: $0) }
    try duplicateNames(in: commit.tree, before: parentTree, path: "", into: &problems, label: label)
    return problems
  }

  /// Names that occur twice (or that no checkout could hold) in `tree` and in each subtree
  /// that differs from the one at the same path in `before`: an unchanged subtree was checked
  /// with the commit that brought it.
  private func duplicateNames(
    in tree: OID, before: OID?, path: String, into problems: inout [String], label: String
  ) throws {
    guard tree != before else { return }
    let bytes = try repository.rawObject(tree).bytes
    let entries: [RawTreeEntry]
    do {
      entries = try RawTreeEntry.parse(bytes)
    } catch {
      problems.append(
        "\(label): the tree \(path.isEmpty ? "at the root" : path) cannot be read: \(error)")
      return
    }
    var earlier = EarlierSubtrees(before.map { trees.entries(of: $0, in: repository) } ?? [])
    trees.remember(tree, entries)
    // Names in strictly increasing byte order are all different; git's own order (a tree's
    // name compared as if it ended in "/") is nearly always that too. Any other tree is
    // checked name by name.
    let distinct = zip(entries, entries.dropFirst()).allSatisfy {
      $0.name.lexicographicallyPrecedes($1.name)
    }
    var seen = Set<ArraySlice<UInt8>>()
    for (position, entry) in entries.enumerated() {
      func shown() -> String {
        let name = String(decoding: entry.name, as: UTF8.self)
        return path.isEmpty ? name : "\(path)/\(name)"
      }
      if !distinct, !seen.insert(entry.name).inserted {
        problems.append(
          "\(label): its tree holds two entries named \(shown()); git and libgit2 may each read a different one"
        )
      }
      if RawTreeEntry.isRefusedByGit(entry.name) {
        problems.append("\(label): its tree holds an entry named \"\(shown())\", which git refuses")
      }
      guard entry.isTree else { continue }
      let previous = earlier.subtree(named: entry.name, near: position)
      guard previous != entry.oid else { continue }
      try duplicateNames(
        in: entry.oid, before: previous, path: shown(), into: &problems, label: label)
    }
  }
}

/// One entry of a tree object as stored, `<octal mode> <name>\0<20-byte id>`, its mode and
/// name slices of the tree's bytes.
struct RawTreeEntry {
  var mode: ArraySlice<UInt8>
  var name: ArraySlice<UInt8>
  var oid: OID

  /// Read as libgit2 reads a mode (octal digits, leading zeros allowed).
  var isTree: Bool {
    mode.count <= 7 && mode.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
      && mode.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) } == 0o40000
  }

  /// `""`, `.`, `..` and `.git` in any case: names git refuses in a tree. Compared as bytes,
  /// since every entry of every changed tree of the history is asked.
  static func isRefusedByGit(_ name: ArraySlice<UInt8>) -> Bool {
    let dot = UInt8(ascii: ".")
    switch name.count {
    case 0: return true
    case 1: return name.first == dot
    case 2: return name.allSatisfy { $0 == dot }
    case 4:
      return name.first == dot
        && zip(name.dropFirst(), "git".utf8).allSatisfy { ($0 | 0x20) == $1 }
    default: return false
    }
  }

  static func parse(_ bytes: [UInt8]) throws -> [RawTreeEntry] {
    var entries: [RawTreeEntry] = []
    var cursor = 0
    while cursor < bytes.count {
      guard let space = bytes[cursor...].firstIndex(of: UInt8(ascii: " ")),
        let nul = bytes[space...].firstIndex(of: 0), nul + 21 <= bytes.count,
        let oid = OID(bytes: bytes[(nul + 1)..<(nul + 21)])
      else { throw LedgerError("a tree entry at byte \(cursor) is not \"<mode> <name>\\0<id>\"") }
      entries.append(
        RawTreeEntry(mode: bytes[cursor..<space], name: bytes[(space + 1)..<nul], oid: oid))
      cursor = nul + 21
    }
    return entries
  }
}

extension ReleaseRange {
  /// The commits of the range whose people lines git and libgit2 could read differently,
  /// each a sentence naming the commit, what is wrong and the fix: separation of duties cannot
  /// tell who wrote such a commit, so the gate blocks on it.
  public func identityProblems(_ repository: Repository) throws -> [String] {
    Self.identityProblems(of: try firstAppearances(repository))
  }

  /// The identity problems of commits read by `firstAppearances` (which keeps every commit
  /// that has one).
  static func identityProblems(of appearances: [(OID, CommitIdentities)]) -> [String] {
    appearances.flatMap { oid, commit in
      commit.identityProblems.map { identityProblem(oid, $0) }
    }
  }

  static func identityProblem(_ commit: OID, _ problem: String) -> String {
    "commit \(commit.hex.prefix(10)) in the release range cannot be attributed: \(problem). "
      + "Who wrote it decides who may approve; rewrite it with one plain identity "
      + "(git rebase --exec 'git commit --amend --no-edit --reset-author') and request the release of the new commit"
  }
}
