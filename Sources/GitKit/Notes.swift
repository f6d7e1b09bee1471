internal import Clibgit2

/// The notes reference GitKit uses unless told otherwise.
public let defaultNotesRef = "refs/notes/governance"

/// "governance" → "refs/notes/governance" (like `git notes --ref`); full names are kept.
func normalizedNotesRef(_ name: String) -> String {
  if name.hasPrefix("refs/") { return name }
  if name.hasPrefix("notes/") { return "refs/" + name }
  return "refs/notes/" + name
}

extension Repository {
  /// The note attached to `target` in `notesRef`, as stored (a note added with
  /// `git notes add -m text` reads "text\n"); nil when there is no note or no notes ref.
  public func note(on target: OID, notesRef: String = defaultNotesRef) throws -> String? {
    let ref = normalizedNotesRef(notesRef)
    var raw = target.raw
    guard
      let note = try acquireIfFound(
        "git_note_read(\(ref), \(target.hex))", parent: handle, release: git_note_free,
        { git_note_read($0, pointer, ref, &raw) })
    else { return nil }
    let blobID = note.with { OID(git_note_id($0)) }
    return String(decoding: try blob(blobID), as: UTF8.self)
  }

  /// Every (annotated object, note blob) pair in `notesRef`; empty when the ref is absent.
  public func notes(notesRef: String = defaultNotesRef) throws -> [(target: OID, noteBlob: OID)] {
    let ref = normalizedNotesRef(notesRef)
    guard
      let iterator = try acquireIfFound(
        "git_note_iterator_new(\(ref))", parent: handle, release: git_note_iterator_free,
        { git_note_iterator_new($0, pointer, ref) })
    else { return [] }
    var result: [(target: OID, noteBlob: OID)] = []
    try iterator.with { it in
      while true {
        var noteID = git_oid()
        var annotated = git_oid()
        git_error_clear()
        let rc = git_note_next(&noteID, &annotated, it)
        if rc == GIT_ITEROVER.rawValue { break }
        if rc < 0 { throw GitError.fromLast(rc, operation: "git_note_next(\(ref))") }
        result.append((target: OID(annotated), noteBlob: OID(noteID)))
      }
    }
    return result.sorted { $0.target < $1.target }
  }

  /// Writes all `notes` as ONE new commit on top of `notesRef` (replacing existing notes for
  /// those targets; for a repeated target the last text wins), then moves the ref with
  /// compare-and-swap against the value read at the start (`.modified` / `.exists` if someone
  /// else moved it meanwhile: re-read and retry). Texts are stored verbatim (git's own notes
  /// end with "\n"). Existing fan-out directories ("ab/cdef...") are respected, new notes go
  /// where git and libgit2 look for them, so `git notes --ref=... show` and
  /// `git log --notes=...` read the result. Returns the new notes commit.
  @discardableResult
  public func setNotes(
    _ notes: [(target: OID, text: String)], notesRef: String = defaultNotesRef,
    author: Signature, message: String
  ) throws -> OID {
    let ref = normalizedNotesRef(notesRef)
    let old = try referenceTarget(ref)
    let parentCommit = try old.map { try peelToCommit($0) }
    let baseTree = try parentCommit.map { try tree(ofCommit: $0) }

    var latest: [OID: String] = [:]
    var order: [OID] = []
    for note in notes {
      if latest.updateValue(note.text, forKey: note.target) == nil { order.append(note.target) }
    }
    var updates: [TreeUpdate] = []
    for target in order {
      let blob = try writeBlob(Array(latest[target]!.utf8))
      updates.append(.upsertBlob(path: try notePath(for: target, in: baseTree), blob: blob))
    }
    let newTree = try createTree(base: baseTree, updates: updates)
    let buffer = try commitBuffer(
      tree: newTree, parents: parentCommit.map { [$0] } ?? [], author: author, committer: author,
      message: message)
    let commit = try createCommit(buffer: buffer, signature: nil)
    try updateReference(ref, to: commit, expecting: old, message: message)
    return commit
  }

  /// Where the note for `target` lives (or should go) in a notes tree: the existing blob if
  /// any, else inside the deepest existing fan-out directory (libgit2's and git's rule).
  private func notePath(for target: OID, in tree: OID?) throws -> String {
    var directory = ""
    var rest = Substring(target.hex)
    guard let tree else { return String(rest) }
    while true {
      if let existing = try entry(atPath: directory + rest, inTree: tree), existing.kind == .blob {
        return directory + rest
      }
      guard rest.count > 2 else { break }
      let fanout = rest.prefix(2)
      guard let sub = try entry(atPath: directory + fanout, inTree: tree), sub.kind == .tree else {
        break
      }
      directory += fanout + "/"
      rest = rest.dropFirst(2)
    }
    return directory + rest
  }
}
