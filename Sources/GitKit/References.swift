internal import Clibgit2

extension Repository {
  /// The object a reference points to, following symbolic references
  /// (`git_reference_name_to_id`); nil when the reference (or a symbolic target) is absent.
  /// Annotated tags give the tag object, not the commit: see `peelToCommit`.
  /// An invalid name is an error (`.invalidSpec`).
  public func referenceTarget(_ name: String) throws -> OID? {
    var out = git_oid()
    let found = try gitCallAllowingNotFound("git_reference_name_to_id('\(name)')") {
      git_reference_name_to_id(&out, pointer, name)
    }
    return found ? OID(out) : nil
  }

  /// The ref that an update of `name` moves, as git's ref update follows symbolic refs:
  /// `name` itself when it is a direct ref or absent, else the name at the end of its chain
  /// of symbolic refs (which need not exist yet). A chain longer than git follows (5) is an
  /// error, as it is for git.
  public func referenceMoved(byUpdating name: String) throws -> String {
    var current = name
    for _ in 0...5 {
      guard
        let ref = try acquireIfFound(
          "git_reference_lookup('\(current)')", parent: handle, release: git_reference_free,
          { git_reference_lookup($0, pointer, current) })
      else { return current }
      guard let next = ref.with({ git_reference_symbolic_target($0).map { String(cString: $0) } })
      else { return current }
      current = next
    }
    throw GitError.invalid(
      "symbolic refs nested more than 5 deep", operation: "referenceMoved(byUpdating: \(name))")
  }

  /// What HEAD resolves to; nil on an unborn branch (or a missing HEAD). Other failures,
  /// e.g. a corrupt HEAD, are thrown.
  public var headTarget: OID? {
    get throws {
      var out = git_oid()
      git_error_clear()
      let rc = git_reference_name_to_id(&out, pointer, "HEAD")
      if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EUNBORNBRANCH.rawValue {
        git_error_clear()
        return nil
      }
      if rc < 0 { throw GitError.fromLast(rc, operation: "git_reference_name_to_id('HEAD')") }
      return OID(out)
    }
  }

  /// Tag (possibly nested) → its commit; commit → itself; trees and blobs → an error
  /// (`.invalidSpec` or `.peel`); unknown OID → `.notFound`.
  public func peelToCommit(_ oid: OID) throws -> OID {
    var raw = oid.raw
    let object = try acquire(
      "git_object_lookup \(oid.hex)", parent: handle, release: git_object_free
    ) {
      handle in git_object_lookup(handle, pointer, &raw, GIT_OBJECT_ANY)
    }
    let peeled = try object.with { obj in
      try acquire(
        "git_object_peel \(oid.hex) to commit", parent: handle, release: git_object_free
      ) { peeled in git_object_peel(peeled, obj, GIT_OBJECT_COMMIT) }
    }
    return peeled.with { OID(git_object_id($0)) }
  }

  /// `git rev-parse <spec>^{commit}`: "HEAD", "main~2", "v1.0", a (short) object id, ...
  /// (`git_revparse_single`, then peeled to a commit).
  public func resolveRevision(_ spec: String) throws -> OID {
    let object = try acquire(
      "git_revparse_single('\(spec)')", parent: handle, release: git_object_free
    ) {
      git_revparse_single($0, pointer, spec)
    }
    let peeled = try object.with { obj in
      try acquire("peel '\(spec)' to a commit", parent: handle, release: git_object_free) {
        git_object_peel($0, obj, GIT_OBJECT_COMMIT)
      }
    }
    return peeled.with { OID(git_object_id($0)) }
  }

  /// All references under refs/ (HEAD is not included), or those matching `glob`
  /// (libgit2's wildmatch: `*` also matches '/', so "refs/tags/*" includes "refs/tags/a/b").
  /// Symbolic references are resolved; dangling ones are skipped. Sorted by name.
  public func references(glob: String? = nil) throws -> [(name: String, target: OID)] {
    var result: [(name: String, target: OID)] = []
    try forEachReference(glob: glob) { owned in
      let name = owned.with { String(gitString: git_reference_name($0)) }
      // A direct reference already holds its target. git_reference_resolve would look it up
      // again by name (a stat of the loose file and of packed-refs per reference: 20,000
      // system calls for a push among 10,000 tags).
      if let direct = owned.with({ git_reference_target($0) }) {
        result.append((name: name, target: OID(direct)))
        return
      }
      let resolved = try owned.with { ref in
        try acquireIfFound(
          "git_reference_resolve('\(name)')", parent: handle, release: git_reference_free
        ) {
          git_reference_resolve($0, ref)
        }
      }
      guard let resolved, let target = resolved.with({ git_reference_target($0) }) else {
        return
      }
      result.append((name: name, target: OID(target)))
    }
    return result.sorted { $0.name < $1.name }
  }

  /// Calls `body` with each reference under refs/ (or matching `glob`), as libgit2's reference
  /// iterator yields them, unresolved; each handle is owned, so `body` need not free it.
  private func forEachReference(glob: String?, _ body: (OpaqueHandle) throws -> Void) throws {
    let iterator = try acquire(
      "git_reference_iterator_new\(glob.map { "('\($0)')" } ?? "")", parent: handle,
      release: git_reference_iterator_free
    ) { out in
      if let glob { return git_reference_iterator_glob_new(out, pointer, glob) }
      return git_reference_iterator_new(out, pointer)
    }
    try iterator.with { iter in
      while true {
        var ref: OpaquePointer? = nil
        git_error_clear()
        let rc = git_reference_next(&ref, iter)
        if rc == GIT_ITEROVER.rawValue { break }
        if rc < 0 { throw GitError.fromLast(rc, operation: "git_reference_next") }
        guard let ref else { continue }
        try body(OpaqueHandle(ref, parent: handle, release: git_reference_free))
      }
    }
  }

  /// Compare-and-swap update of the direct reference `name` to `new`; never overwrites blindly.
  /// - `old == nil` (or `.zero`): the reference must not exist yet; if it does (or someone
  ///   creates it first) → `.exists`.
  /// - otherwise it must currently point at `old` (checked under the ref lock by libgit2's
  ///   `git_reference_create_matching`); if it moved or vanished → `.modified`.
  /// A held lock file gives `.locked`. `message` goes to the reflog (when reflogs are on).
  /// Refused inside a pre-receive quarantine (see `quarantinePath`).
  public func updateReference(_ name: String, to new: OID, expecting old: OID?, message: String)
    throws
  {
    let operation = "update reference '\(name)'"
    try refuseInQuarantine(operation)
    var newRaw = new.raw
    var ref: OpaquePointer? = nil
    defer { if let ref { git_reference_free(ref) } }
    guard let old, !old.isZero else {
      try gitCall("\(operation) (must not exist)") {
        git_reference_create(&ref, pointer, name, &newRaw, 0, message)
      }
      return
    }
    var oldRaw = old.raw
    git_error_clear()
    let rc = git_reference_create_matching(&ref, pointer, name, &newRaw, 1, &oldRaw, message)
    if rc == GIT_ENOTFOUND.rawValue {
      // libgit2 reports a vanished reference as "not found": the swap was lost all the same.
      let detail = String(gitString: git_error_last()?.pointee.message)
      throw GitError(
        code: .modified, errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
        message: "reference '\(name)' does not exist, expected it at \(old.hex) (\(detail))",
        operation: operation)
    }
    if rc < 0 { throw GitError.fromLast(rc, operation: "\(operation) (expecting \(old.hex))") }
  }

  /// Deletes `name` only if it still points at `old` (lookup, compare, then
  /// `git_reference_delete`, which re-checks under the lock). Otherwise `.modified`
  /// (also when it no longer exists). Refused inside a pre-receive quarantine.
  public func deleteReference(_ name: String, expecting old: OID) throws {
    let operation = "delete reference '\(name)'"
    try refuseInQuarantine(operation)
    guard
      let ref = try acquireIfFound(
        "git_reference_lookup('\(name)')", parent: handle, release: git_reference_free,
        {
          git_reference_lookup($0, pointer, name)
        })
    else {
      throw GitError(
        code: .modified, errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
        message: "reference '\(name)' does not exist, expected it at \(old.hex)",
        operation: operation)
    }
    try ref.with { ref in
      guard git_reference_type(ref) == GIT_REFERENCE_DIRECT, let target = git_reference_target(ref),
        OID(target) == old
      else {
        let current = git_reference_target(ref).map { OID($0).hex } ?? "a symbolic target"
        throw GitError(
          code: .modified, errorClass: Int32(GIT_ERROR_REFERENCE.rawValue),
          message: "reference '\(name)' points at \(current), expected \(old.hex)",
          operation: operation)
      }
      try gitCall(operation) { git_reference_delete(ref) }
    }
  }
}

extension Repository {
  /// The ref `name` names when it is a symbolic ref (`HEAD` → `refs/heads/main`); nil when it
  /// is a direct ref or absent.
  public func symbolicTarget(of name: String) throws -> String? {
    guard
      let ref = try acquireIfFound(
        "git_reference_lookup('\(name)')", parent: handle, release: git_reference_free,
        { git_reference_lookup($0, pointer, name) })
    else { return nil }
    return ref.with { git_reference_symbolic_target($0).map { String(cString: $0) } }
  }

  /// Every symbolic ref under refs/ with the name it points at (dangling ones too), sorted by
  /// name. `references()` resolves them, so it cannot tell them apart.
  public func symbolicReferences() throws -> [(name: String, target: String)] {
    var result: [(name: String, target: String)] = []
    try forEachReference(glob: nil) { owned in
      owned.with { ref in
        guard let target = git_reference_symbolic_target(ref) else { return }
        result.append((String(gitString: git_reference_name(ref)), String(cString: target)))
      }
    }
    return result.sorted { $0.name < $1.name }
  }
}
