internal import Clibgit2

/// A revision walk (`git_revwalk`): a single-pass `Sequence` of commit ids.
///
/// It is its own iterator and keeps its repository alive. The walk ends (`next()` returns
/// nil) at `GIT_ITEROVER` *or on an error*; an error is never dropped: it is stored in
/// `failure`, and a failed walk stays failed. Either iterate and then check `failure`, or use
/// the throwing forms `nextCommit()` / `collect()`:
///
///     for oid in walk { ... }
///     if let error = walk.failure { throw error }
///     // or
///     let oids = try walk.collect()
///
/// Not `Sendable` (it drives a libgit2 object of a non-thread-safe repository).
public final class RevisionWalk: Sequence, IteratorProtocol {
  public let repository: Repository
  private let walker: OpaqueHandle
  /// The error that ended the walk early, if any.
  public private(set) var failure: GitError?
  private var finished = false

  init(repository: Repository, walker: OpaqueHandle) {
    self.repository = repository
    self.walker = walker
  }

  /// The next commit; nil when the walk is over *or failed* (then `failure` is set).
  public func next() -> OID? {
    do { return try nextCommit() } catch { return nil }
  }

  /// The next commit, nil at the end; throws the error that ended the walk (again on every
  /// later call).
  public func nextCommit() throws -> OID? {
    if let failure { throw failure }
    if finished { return nil }
    var out = git_oid()
    git_error_clear()
    let rc = walker.with { git_revwalk_next(&out, $0) }
    if rc == GIT_ITEROVER.rawValue {
      git_error_clear()
      finished = true
      return nil
    }
    if rc < 0 {
      let error = GitError.fromLast(rc, operation: "git_revwalk_next")
      failure = error
      throw error
    }
    return OID(out)
  }

  /// All remaining commits; throws if the walk fails at any point.
  public func collect() throws -> [OID] {
    var result: [OID] = []
    while let oid = try nextCommit() { result.append(oid) }
    return result
  }
}

extension Repository {
  /// Commits reachable from `tips` but not from `hiding` (`git rev-list tips ^hiding`).
  /// Tags among the tips are peeled. Unknown or non-commit tips/hidden ids are thrown here,
  /// at creation. `hidingWhereCommits` are hidden too where they name a commit or a tag of
  /// one, and passed over otherwise (an object this repository lacks, a tag of a tree), as
  /// `git rev-list --not --tags` does: libgit2 peels each once, where peeling them first
  /// read every one of 10,000 tags twice. `reverse` flips the order (e.g. oldest first);
  /// `firstParent` follows only first parents (`--first-parent`).
  public func walk(
    from tips: [OID], hiding: [OID] = [], hidingWhereCommits: [OID] = [],
    order: WalkOrder = .topological, reverse: Bool = false, firstParent: Bool = false
  ) throws -> RevisionWalk {
    let walker = try acquire("git_revwalk_new", parent: handle, release: git_revwalk_free) {
      git_revwalk_new($0, pointer)
    }
    try walker.with { w in
      let sort = order.gitSort | (reverse ? GIT_SORT_REVERSE.rawValue : 0)
      try gitCall("git_revwalk_sorting") { git_revwalk_sorting(w, sort) }
      if firstParent {
        try gitCall("git_revwalk_simplify_first_parent") { git_revwalk_simplify_first_parent(w) }
      }
      for tip in tips {
        var raw = tip.raw
        try gitCall("git_revwalk_push \(tip.hex)") { git_revwalk_push(w, &raw) }
      }
      for hidden in hiding {
        var raw = hidden.raw
        try gitCall("git_revwalk_hide \(hidden.hex)") { git_revwalk_hide(w, &raw) }
      }
      let notACommit = [GIT_ENOTFOUND, GIT_EINVALIDSPEC, GIT_EPEEL].map(\.rawValue)
      // Once each: libgit2 reads an object for every hide, even one it has seen (a tag's
      // target is often an earlier release's too).
      var seen = Set(hiding)
      for hidden in hidingWhereCommits where seen.insert(hidden).inserted {
        var raw = hidden.raw
        git_error_clear()
        let rc = git_revwalk_hide(w, &raw)
        if rc < 0, !notACommit.contains(rc) {
          throw GitError.fromLast(rc, operation: "git_revwalk_hide \(hidden.hex)")
        }
      }
    }
    return RevisionWalk(repository: self, walker: walker)
  }

  /// Whether `commit` is a strict descendant of `ancestor`. A commit is *not* its own
  /// descendant: check equality separately for "fast-forward".
  ///
  /// It walks only what `commit` has and `ancestor` lacks (for a push, the range it brings):
  /// `ancestor` is reachable exactly when one of those commits has it as a parent.
  /// `git_graph_descendant_of` searches for merge bases instead, which took 12 ms on a
  /// 100,000-commit history to confirm a 50-commit fast-forward.
  public func isDescendant(_ commit: OID, of ancestor: OID) throws -> Bool {
    guard commit != ancestor else { return false }
    let walk = try walk(from: [commit], hiding: [ancestor], order: .none)
    while let oid = try walk.nextCommit() {
      if try parentIDs(of: oid).contains(ancestor) { return true }
    }
    return false
  }

  /// The parents of a commit, without reading its signatures or message.
  public func parentIDs(of oid: OID) throws -> [OID] {
    try withObject(oid, .commit, operation: "git_commit_lookup") { commit in
      (0..<git_commit_parentcount(commit)).compactMap {
        git_commit_parent_id(commit, $0).map { OID($0.pointee) }
      }
    }
  }

  /// The best common ancestor, nil when the histories are unrelated.
  public func mergeBase(_ a: OID, _ b: OID) throws -> OID? {
    var out = git_oid()
    var one = a.raw
    var two = b.raw
    let found = try gitCallAllowingNotFound("git_merge_base(\(a.hex), \(b.hex))") {
      git_merge_base(&out, pointer, &one, &two)
    }
    return found ? OID(out) : nil
  }
}
