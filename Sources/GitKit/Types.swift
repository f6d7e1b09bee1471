internal import Clibgit2
import Foundation

/// An author or committer line: name, email, time (whole seconds) and UTC offset.
public struct Signature: Sendable, Equatable, Hashable {
  public var name: String
  public var email: String
  /// Always whole seconds (git stores seconds); the initialiser truncates.
  public var time: Date
  /// Minutes east of UTC, e.g. 120 for +0200.
  public var offsetMinutes: Int

  public init(name: String, email: String, time: Date, offsetMinutes: Int = 0) {
    self.name = name
    self.email = email
    self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
    self.offsetMinutes = offsetMinutes
  }

  /// The current time with the local time zone's offset.
  public static func now(name: String, email: String) -> Signature {
    let date = Date()
    return Signature(
      name: name, email: email, time: date,
      offsetMinutes: TimeZone.current.secondsFromGMT(for: date) / 60)
  }

  /// Seconds since the epoch as git stores them.
  public var seconds: Int64 { Int64(time.timeIntervalSince1970) }

  init(_ raw: UnsafePointer<git_signature>) {
    let s = raw.pointee
    self.init(
      name: String(gitString: s.name), email: String(gitString: s.email),
      time: Date(timeIntervalSince1970: TimeInterval(s.when.time)),
      offsetMinutes: Int(s.when.offset))
  }

  /// A libgit2 signature owned by a handle; validates name/email like git does
  /// (no '<', '>' or newlines).
  func makeHandle() throws -> CHandle<UnsafeMutablePointer<git_signature>> {
    var out: UnsafeMutablePointer<git_signature>? = nil
    try gitCall("git_signature_new(\(name) <\(email)>)") {
      git_signature_new(&out, name, email, git_time_t(seconds), Int32(offsetMinutes))
    }
    return CHandle(out!, release: git_signature_free)
  }
}

public enum ObjectKind: Sendable, Hashable {
  case commit, tree, blob, tag

  init?(_ type: git_object_t) {
    switch type {
    case GIT_OBJECT_COMMIT: self = .commit
    case GIT_OBJECT_TREE: self = .tree
    case GIT_OBJECT_BLOB: self = .blob
    case GIT_OBJECT_TAG: self = .tag
    default: return nil
    }
  }

  var gitType: git_object_t {
    switch self {
    case .commit: return GIT_OBJECT_COMMIT
    case .tree: return GIT_OBJECT_TREE
    case .blob: return GIT_OBJECT_BLOB
    case .tag: return GIT_OBJECT_TAG
    }
  }
}

/// A commit's fields, copied out of libgit2 (the C object is freed at once).
/// The parents and people of a commit (`Repository.identities(ofCommit:)`).
public struct CommitIdentities: Sendable, Hashable {
  public var parents: [OID]
  public var author: Signature
  public var committer: Signature
  /// Why git and libgit2 could read the people of this commit differently
  /// (`IdentityLine.problems`); empty for a commit as git writes it.
  public var identityProblems: [String] = []
  /// The people its message's `Co-authored-by:` trailers name.
  public var coAuthors: [CoAuthor] = []
}

public struct Commit: Sendable, Hashable {
  public var oid: OID
  public var tree: OID
  public var parents: [OID]
  public var author: Signature
  public var committer: Signature
  /// The raw message exactly as stored (`git_commit_message_raw`: no leading-newline trimming).
  public var message: String

  public init(
    oid: OID, tree: OID, parents: [OID], author: Signature, committer: Signature, message: String
  ) {
    self.oid = oid
    self.tree = tree
    self.parents = parents
    self.author = author
    self.committer = committer
    self.message = message
  }

  /// The first line of the message.
  public var summary: String {
    let trimmed = message.drop(while: { $0 == "\n" })
    return String(trimmed.prefix(while: { $0 != "\n" }))
  }
}

/// One entry of a tree.
public struct TreeEntry: Sendable, Hashable {
  public static let modeBlob: Int32 = 0o100644
  public static let modeExecutable: Int32 = 0o100755
  public static let modeLink: Int32 = 0o120000
  public static let modeTree: Int32 = 0o040000
  public static let modeGitlink: Int32 = 0o160000

  public var name: String
  public var oid: OID
  /// `.blob` for files and links, `.tree`, `.commit` for gitlinks (submodules).
  public var kind: ObjectKind?
  /// 0o100644, 0o100755, 0o120000 (link), 0o040000 (tree), 0o160000 (gitlink).
  public var fileMode: Int32

  public init(name: String, oid: OID, kind: ObjectKind?, fileMode: Int32) {
    self.name = name
    self.oid = oid
    self.kind = kind
    self.fileMode = fileMode
  }

  init(_ entry: OpaquePointer) {
    self.init(
      name: String(gitString: git_tree_entry_name(entry)),
      oid: OID(git_tree_entry_id(entry)),
      kind: ObjectKind(git_tree_entry_type(entry)),
      fileMode: Int32(bitPattern: git_tree_entry_filemode(entry).rawValue))
  }
}

/// A change for `Repository.createTree`. Paths are '/'-separated and relative to the root
/// ("a/b/c.json"); missing directories are created, emptied directories disappear.
public enum TreeUpdate: Sendable, Hashable {
  case upsertBlob(path: String, blob: OID, executable: Bool = false)
  /// Removing a path that does not exist in the base tree is a no-op.
  case remove(path: String)

  public var path: String {
    switch self {
    case .upsertBlob(let path, _, _), .remove(let path): return path
    }
  }
}

/// Order of a `RevisionWalk`.
public enum WalkOrder: Sendable, Hashable {
  /// Parents never before children (`GIT_SORT_TOPOLOGICAL`).
  case topological
  /// Committer time, newest first (`GIT_SORT_TIME`).
  case time
  /// libgit2's default order (`GIT_SORT_NONE`; roughly reverse chronological, unspecified).
  case none

  var gitSort: UInt32 {
    switch self {
    case .topological: return GIT_SORT_TOPOLOGICAL.rawValue
    case .time: return GIT_SORT_TIME.rawValue
    case .none: return GIT_SORT_NONE.rawValue
    }
  }
}
