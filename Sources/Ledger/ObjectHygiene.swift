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
  /// The subtrees of trees read for earlier commits, by tree id: a check of a run of commits
  /// passes one in, so that a commit's parent trees (read as new for the commit before) are
  /// not read and parsed again.
  var trees = SubtreeMemo()

  /// The subtrees (name → id) of recently read trees. Bounded: a run of commits needs only the
  /// last commit's.
  final class SubtreeMemo {
    private var subtrees: [OID: [ArraySlice<UInt8>: OID]] = [:]

    func remember(_ tree: OID, _ entries: [RawTreeEntry]) {
      if subtrees.count >= 256 { subtrees.removeAll(keepingCapacity: true) }
      subtrees[tree] = Self.byName(entries)
    }

    func subtrees(of tree: OID, in repository: Repository) throws -> [ArraySlice<UInt8>: OID] {
      if let known = subtrees[tree] { return known }
      return Self.byName((try? RawTreeEntry.parse(repository.rawObject(tree).bytes)) ?? [])
    }

    private static func byName(_ entries: [RawTreeEntry]) -> [ArraySlice<UInt8>: OID] {
      var result: [ArraySlice<UInt8>: OID] = [:]
      for entry in entries where entry.isTree { result[entry.name] = entry.oid }
      return result
    }
  }

  /// Every such problem of the governance commit `oid`, each a sentence naming it; `root` is
  /// the governance root commit (the records' `repo`).
  func problems(ofGovernanceCommit oid: OID, root: String) throws -> [String] {
    let label = "governance commit \(oid.hex.prefix(10))"
    let raw = try repository.rawObject(oid).bytes
    var problems = IdentityLine.problems(inHeaderOf: raw).map { "\(label): \($0)" }
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
    let previousTrees = try before.map { try trees.subtrees(of: $0, in: repository) } ?? [:]
    trees.remember(tree, entries)
    var seen = Set<ArraySlice<UInt8>>()
    seen.reserveCapacity(entries.count)
    for entry in entries {
      func shown() -> String {
        let name = String(decoding: entry.name, as: UTF8.self)
        return path.isEmpty ? name : "\(path)/\(name)"
      }
      if !seen.insert(entry.name).inserted {
        problems.append(
          "\(label): its tree holds two entries named \(shown()); git and libgit2 may each read a different one"
        )
      }
      if entry.name.isEmpty
        || entry.name.count <= 4
          && [".", "..", ".git"].contains(String(decoding: entry.name, as: UTF8.self).lowercased())
      {
        problems.append("\(label): its tree holds an entry named \"\(shown())\", which git refuses")
      }
      guard entry.isTree, previousTrees[entry.name] != entry.oid else { continue }
      try duplicateNames(
        in: entry.oid, before: previousTrees[entry.name], path: shown(), into: &problems,
        label: label)
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

  static func parse(_ bytes: [UInt8]) throws -> [RawTreeEntry] {
    var entries: [RawTreeEntry] = []
    var cursor = 0
    while cursor < bytes.count {
      guard let space = bytes[cursor...].firstIndex(of: UInt8(ascii: " ")),
        let nul = bytes[space...].firstIndex(of: 0), nul + 21 <= bytes.count,
        let oid = OID(bytes: Array(bytes[(nul + 1)..<(nul + 21)]))
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
