internal import Clibgit2
import Foundation

extension Repository {
  // MARK: Any object

  /// Whether the object database (including alternates/quarantine) has `oid`.
  public func objectExists(_ oid: OID) -> Bool {
    guard let odb = try? odb() else { return false }
    var raw = oid.raw
    return git_odb_exists(odb, &raw) == 1
  }

  /// The object's kind, read from its header only.
  public func kind(of oid: OID) throws -> ObjectKind {
    let odb = try odb()
    var raw = oid.raw
    var size = 0
    var type = GIT_OBJECT_INVALID
    try gitCall("git_odb_read_header \(oid.hex)") {
      git_odb_read_header(&size, &type, odb, &raw)
    }
    guard let kind = ObjectKind(type) else {
      throw GitError.invalid(
        "unexpected object type \(type.rawValue)", operation: "kind(of: \(oid.hex))")
    }
    return kind
  }

  /// The object's content exactly as stored, without the "<kind> <size>\0" header
  /// (`git_odb_read`). For commits and tags this is the byte sequence that a signature
  /// covers once its header is removed; parse it yourself (GitKit deliberately does not use
  /// `git_commit_extract_signature`).
  public func rawObject(_ oid: OID) throws -> (kind: ObjectKind, bytes: [UInt8]) {
    try withODBObject(oid, operation: "git_odb_read") { obj in
      guard let kind = ObjectKind(git_odb_object_type(obj)) else {
        throw GitError.invalid("unexpected object type", operation: "rawObject(\(oid.hex))")
      }
      let size = git_odb_object_size(obj)
      guard size > 0, let data = git_odb_object_data(obj) else { return (kind, []) }
      return (kind, Array(UnsafeRawBufferPointer(start: data, count: size)))
    }
  }

  /// An object's size in bytes, read from its header without loading it
  /// (`git_odb_read_header`), so callers can refuse oversized objects before reading them.
  public func objectSize(_ oid: OID) throws -> Int {
    let odb = try odb()
    var raw = oid.raw
    var size = 0
    var type = GIT_OBJECT_ANY
    try gitCall("git_odb_read_header \(oid.hex)") { git_odb_read_header(&size, &type, odb, &raw) }
    return size
  }

  // MARK: Blobs

  public func blob(_ oid: OID) throws -> [UInt8] {
    try withStoredBytes(oid, .blob, operation: "git_odb_read (blob)") { Array($0) }
  }

  public func writeBlob(_ bytes: [UInt8]) throws -> OID {
    var out = git_oid()
    _ = try bytes.withUnsafeBytes { buffer in
      try gitCall("git_blob_create_from_buffer") {
        git_blob_create_from_buffer(&out, pointer, buffer.baseAddress, buffer.count)
      }
    }
    return OID(out)
  }

  // MARK: Commits

  /// The commit's fields, copied; the libgit2 object is freed before returning.
  public func commit(_ oid: OID) throws -> Commit {
    try withObject(oid, .commit, operation: "git_commit_lookup") { commit in
      let parentCount = git_commit_parentcount(commit)
      var parents: [OID] = []
      parents.reserveCapacity(Int(parentCount))
      for i in 0..<parentCount {
        guard let parent = git_commit_parent_id(commit, i) else {
          throw GitError.invalid("missing parent \(i)", operation: "commit(\(oid.hex))")
        }
        parents.append(OID(parent))
      }
      return Commit(
        oid: oid, tree: OID(git_commit_tree_id(commit)), parents: parents,
        author: Signature(git_commit_author(commit)),
        committer: Signature(git_commit_committer(commit)),
        message: String(gitString: git_commit_message_raw(commit)))
    }
  }

  /// Parents, author and committer of a commit, without its message: what history scans need.
  public func identities(ofCommit oid: OID) throws -> CommitIdentities {
    if !graftsParents,
      let read = try withStoredBytes(
        oid, .commit, operation: "git_odb_read (commit)",
        { bytes in
          CommitHeader.identities(bytes).map {
            var commit = $0
            commit.coAuthors = CommitTrailers.coAuthors(inCommit: bytes)
            return commit
          }
        })
    {
      return read
    }
    return try identitiesParsedByLibgit2(ofCommit: oid)
  }

  /// `identities(ofCommit:)` as libgit2's commit parser reads them.
  func identitiesParsedByLibgit2(ofCommit oid: OID) throws -> CommitIdentities {
    var commit = try withObject(oid, .commit, operation: "git_commit_lookup") { commit in
      CommitIdentities(
        parents: (0..<git_commit_parentcount(commit)).compactMap {
          git_commit_parent_id(commit, $0).map { OID($0.pointee) }
        },
        author: Signature(git_commit_author(commit)),
        committer: Signature(git_commit_committer(commit)),
        coAuthors: git_commit_message_raw(commit).map { message in
          CommitTrailers.coAuthors(
            inMessage: UnsafeRawBufferPointer(start: message, count: strlen(message)))
        } ?? [])
    }
    commit.identityProblems = try identityProblems(ofCommit: oid)
    return commit
  }

  /// Why the people lines of a commit's stored header could be read two ways
  /// (`IdentityLine.problems`), read in place: no copy of the object, and the check runs
  /// specialized for these bytes rather than generically from another module.
  public func identityProblems(ofCommit oid: OID) throws -> [String] {
    try withStoredBytes(
      oid, .commit, operation: "git_odb_read (commit)", IdentityLine.problems(inHeaderOf:))
  }

  /// The root tree of a commit.
  public func tree(ofCommit oid: OID) throws -> OID {
    try withObject(oid, .commit, operation: "git_commit_lookup") { OID(git_commit_tree_id($0)) }
  }

  /// The commit object text for the given fields (`git_commit_create_buffer`), ready to be
  /// signed. Tree and parents must exist. `message` is stored verbatim: add the trailing
  /// newline git would add yourself.
  public func commitBuffer(
    tree: OID, parents: [OID], author: Signature, committer: Signature, message: String
  ) throws -> String {
    let authorHandle = try author.makeHandle()
    let committerHandle = try committer.makeHandle()
    var treeRaw = tree.raw
    let treeHandle = try acquire(
      "git_tree_lookup \(tree.hex)", parent: handle, release: git_tree_free
    ) {
      git_tree_lookup($0, pointer, &treeRaw)
    }
    let parentHandles = try parents.map { parent in
      var raw = parent.raw
      return try acquire(
        "git_commit_lookup \(parent.hex)", parent: handle, release: git_commit_free
      ) {
        git_commit_lookup($0, pointer, &raw)
      }
    }
    var buffer = git_buf()
    defer { git_buf_dispose(&buffer) }
    _ = try withExtendedLifetime((authorHandle, committerHandle, treeHandle, parentHandles)) {
      var parentPointers: [OpaquePointer?] = parentHandles.map { $0.pointer }
      try gitCall("git_commit_create_buffer") {
        git_commit_create_buffer(
          &buffer, pointer, authorHandle.pointer, committerHandle.pointer, nil, message,
          treeHandle.pointer, parentPointers.count, &parentPointers)
      }
    }
    guard let text = buffer.ptr else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: text, count: buffer.size), as: UTF8.self)
  }

  /// Writes the commit `buffer` (from `commitBuffer`), inserting `signature` as the
  /// `field` header (`git_commit_create_with_signature`); nil writes it unsigned through the
  /// same call. Tree and parents are validated. One trailing newline of `signature` is
  /// dropped: libgit2 appends its own, and would otherwise store an extra " " line that git
  /// never writes. Does not move any reference.
  public func createCommit(buffer: String, signature: String?, field: String = "gpgsig") throws
    -> OID
  {
    var out = git_oid()
    var sig = signature
    if let s = sig, s.hasSuffix("\n") { sig = String(s.dropLast()) }
    if let s = sig, s.isEmpty {
      throw GitError.invalid("empty signature", operation: "createCommit")
    }
    try gitCall("git_commit_create_with_signature") {
      git_commit_create_with_signature(&out, pointer, buffer, sig, field)
    }
    return OID(out)
  }

  // MARK: Trees

  public func treeEntries(_ tree: OID) throws -> [TreeEntry] {
    try withObject(tree, .tree, operation: "git_tree_lookup") { tree in
      let count = git_tree_entrycount(tree)
      var entries: [TreeEntry] = []
      entries.reserveCapacity(count)
      for i in 0..<count {
        guard let entry = git_tree_entry_byindex(tree, i) else { continue }
        entries.append(TreeEntry(entry))
      }
      return entries
    }
  }

  /// The entries that differ between two trees (nil: the empty tree), paired by name in
  /// tree order: (old, nil) removed, (nil, new) added, (old, new) changed in id or mode. Equal
  /// entries are skipped inside libgit2, without making strings of their names, so comparing
  /// two versions of a 10,000-entry tree costs little more than its changes.
  public func differingEntries(from old: OID?, to new: OID?) throws -> [(
    old: TreeEntry?, new: TreeEntry?
  )] {
    func entries(_ tree: OID?, _ body: (OpaquePointer?) throws -> [(TreeEntry?, TreeEntry?)])
      throws -> [(TreeEntry?, TreeEntry?)]
    {
      guard let tree else { return try body(nil) }
      return try withObject(tree, .tree, operation: "git_tree_lookup", body)
    }
    let pairs = try entries(old) { before in
      try entries(new) { after in
        let beforeCount = before.map(git_tree_entrycount) ?? 0
        let afterCount = after.map(git_tree_entrycount) ?? 0
        var result: [(TreeEntry?, TreeEntry?)] = []
        var i = 0
        var j = 0
        while i < beforeCount || j < afterCount {
          let a = i < beforeCount ? git_tree_entry_byindex(before, i) : nil
          let b = j < afterCount ? git_tree_entry_byindex(after, j) : nil
          guard let a else {
            result.append((nil, b.map(TreeEntry.init)))
            j += 1
            continue
          }
          guard let b else {
            result.append((TreeEntry(a), nil))
            i += 1
            continue
          }
          let order = git_tree_entry_cmp(a, b)
          if order < 0 {
            result.append((TreeEntry(a), nil))
            i += 1
          } else if order > 0 {
            result.append((nil, TreeEntry(b)))
            j += 1
          } else {
            if git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) == 0
              || git_tree_entry_filemode(a) != git_tree_entry_filemode(b)
            {
              result.append((TreeEntry(a), TreeEntry(b)))
            }
            i += 1
            j += 1
          }
        }
        return result
      }
    }
    return pairs.map { (old: $0.0, new: $0.1) }
  }

  /// The entry at a '/'-separated `path` (`git_tree_entry_bypath`); nil when absent.
  public func entry(atPath path: String, inTree tree: OID) throws -> TreeEntry? {
    try withObject(tree, .tree, operation: "git_tree_lookup") { tree in
      guard
        let entry = try acquireIfFound(
          "git_tree_entry_bypath('\(path)')", parent: handle, release: git_tree_entry_free,
          { entry in git_tree_entry_bypath(entry, tree, path) })
      else { return nil }
      return entry.with { TreeEntry($0) }
    }
  }

  /// A new tree: `base` (nil = empty) with `updates` applied (`git_tree_create_updated`).
  /// Never touches the index or work tree. Intermediate directories are created and emptied
  /// ones removed. When several updates name the same path the last one wins; removing a path
  /// that does not exist is a no-op. Replacing a file with a directory or vice versa fails.
  public func createTree(base: OID?, updates: [TreeUpdate]) throws -> OID {
    // libgit2 rejects duplicate paths and fails on removing absent entries.
    var lastIndex: [String: Int] = [:]
    for (i, update) in updates.enumerated() { lastIndex[update.path] = i }
    var effective: [TreeUpdate] = []
    for (i, update) in updates.enumerated() where lastIndex[update.path] == i {
      if case .remove(let path) = update {
        guard let base, try entry(atPath: path, inTree: base) != nil else { continue }
      }
      effective.append(update)
    }

    let baseHandle: OpaqueHandle? = try base.map { base in
      var raw = base.raw
      return try acquire(
        "git_tree_lookup \(base.hex)", parent: handle, release: git_tree_free
      ) {
        git_tree_lookup($0, pointer, &raw)
      }
    }
    if effective.isEmpty, let base { return base }

    // C strings must outlive the call.
    let paths = effective.map { strdup($0.path) }
    defer { for path in paths { free(path) } }
    var rawUpdates: [git_tree_update] = []
    for (update, path) in zip(effective, paths) {
      var item = git_tree_update()
      item.path = UnsafePointer(path)
      switch update {
      case .upsertBlob(_, let blob, let executable):
        item.action = GIT_TREE_UPDATE_UPSERT
        item.id = blob.raw
        item.filemode = executable ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
      case .remove:
        item.action = GIT_TREE_UPDATE_REMOVE
      }
      rawUpdates.append(item)
    }
    var out = git_oid()
    _ = try withExtendedLifetime(baseHandle) {
      try gitCall("git_tree_create_updated") {
        git_tree_create_updated(&out, pointer, baseHandle?.pointer, rawUpdates.count, &rawUpdates)
      }
    }
    return OID(out)
  }

  /// Writes (if needed) and returns the empty tree, 4b825dc642cb6eb9a060e54bf8d69288fbee4904.
  public func emptyTree() throws -> OID {
    let builder = try acquire(
      "git_treebuilder_new", parent: handle, release: git_treebuilder_free
    ) {
      git_treebuilder_new($0, pointer, nil)
    }
    var out = git_oid()
    _ = try builder.with { b in
      try gitCall("git_treebuilder_write") { git_treebuilder_write(&out, b) }
    }
    return OID(out)
  }
}
