internal import Clibgit2
import Foundation

/// A libgit2 repository handle.
///
/// Not `Sendable`: libgit2 objects must not be shared between threads. A task that runs in
/// parallel opens its own `Repository`. Everything it returns (`OID`, `Commit`,
/// `TreeEntry`, `Mailmap`, ...) is a plain `Sendable` value copied out of libgit2.
/// All errors thrown are `GitError`.
public final class Repository {
  let handle: OpaqueHandle
  /// The environment given at open; GIT_CONFIG_PARAMETERS / GIT_CONFIG_COUNT are read from it.
  let environment: [String: String]
  /// `GIT_QUARANTINE_PATH` at open time. Set while git runs a pre-receive hook: pushed objects
  /// are only visible through the quarantine object directory, and reference updates are
  /// refused by GitKit (git refuses them too: the objects would vanish if the push fails).
  public let quarantinePath: String?

  private var odbHandle: OpaqueHandle?
  /// In a shallow clone, newer libgit2 versions cut the parents at the shallow edge: commits
  /// are then read through libgit2 only. Asked once per handle.
  lazy var graftsParents: Bool = isShallow
  /// The object directory and alternates given at open (nil: the repository's own).
  private var objectDirectories: (objects: String, alternates: [String])?
  var configCache: ConfigSnapshot?

  var pointer: OpaquePointer { handle.pointer }

  private init(handle: OpaqueHandle, environment: [String: String]) {
    self.handle = handle
    self.environment = environment
    let quarantine = environment["GIT_QUARANTINE_PATH"] ?? ""
    self.quarantinePath = quarantine.isEmpty ? nil : quarantine
  }

  // MARK: Opening

  /// Opens the repository containing `path`, following git's own discovery rules.
  ///
  /// Implemented with `git_repository_open_ext` plus the environment handling of libgit2's
  /// `GIT_REPOSITORY_OPEN_FROM_ENV` (1.5.1 `_git_repository_open_ext_from_env`), redone here so
  /// that it works with an explicit `path` and an injectable `environment`:
  /// - `GIT_DIR` set (git sets it for hooks and for `git --git-dir=... govern`): that directory
  ///   is the repository, no search; a relative value is taken relative to `path` (as
  ///   `git -C path` does). Otherwise the search goes upward from `path` (through `.git`
  ///   files of linked worktrees and submodules), bounded by `GIT_CEILING_DIRECTORIES`, and
  ///   crosses file systems only if `GIT_DISCOVERY_ACROSS_FILESYSTEM` is true.
  /// - `GIT_OBJECT_DIRECTORY` replaces the object store and `GIT_ALTERNATE_OBJECT_DIRECTORIES`
  ///   (':'-separated) adds alternates: this is how pre-receive hooks see quarantined objects.
  /// - `GIT_WORK_TREE` sets the work tree (libgit2's FROM_ENV flag rejects it; git sets it
  ///   e.g. during `git worktree add`). `GIT_NAMESPACE` is applied to references.
  /// - `GIT_COMMON_DIR` cannot be honoured by libgit2 1.5: it is an error.
  /// - `GIT_INDEX_FILE` is ignored (GitKit never reads the index).
  /// Works for work trees, subdirectories, bare repositories and linked worktrees.
  /// The owner (safe.directory) check stays on; it fails with `.owner`.
  public static func open(
    _ path: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Repository {
    ensureLibgit2()
    func value(_ key: String) -> String? {
      guard let v = environment[key], !v.isEmpty else { return nil }
      return v
    }
    let operation = "open repository at '\(path)'"
    if value("GIT_COMMON_DIR") != nil {
      throw GitError.invalid(
        "GIT_COMMON_DIR is set, which libgit2 1.5 cannot honour; unset it", operation: operation)
    }
    let base = absolutePath(path, relativeTo: FileManager.default.currentDirectoryPath)
    var start = base
    var flags: UInt32 = 0
    var ceiling: String? = nil
    if let gitDir = value("GIT_DIR") {
      start = absolutePath(gitDir, relativeTo: base)
      flags |= GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue | GIT_REPOSITORY_OPEN_NO_DOTGIT.rawValue
    } else {
      ceiling = value("GIT_CEILING_DIRECTORIES")
      if let across = value("GIT_DISCOVERY_ACROSS_FILESYSTEM") {
        var enabled: Int32 = 0
        try gitCall("GIT_DISCOVERY_ACROSS_FILESYSTEM='\(across)'") {
          git_config_parse_bool(&enabled, across)
        }
        if enabled != 0 { flags |= GIT_REPOSITORY_OPEN_CROSS_FS.rawValue }
      }
    }
    let repoHandle: OpaqueHandle
    do {
      repoHandle = try acquire(
        "git_repository_open_ext('\(start)')", release: git_repository_free
      ) { git_repository_open_ext($0, start, flags, ceiling) }
    } catch let error as GitError
      where error.code == .notFound
      && error.message.contains("'safe.directory'")
    {
      // libgit2 1.5 reports a repository of another owner, when no safe.directory is set at
      // all, as that setting not found: it is the owner check that failed.
      throw GitError(
        code: .owner, errorClass: error.errorClass,
        message:
          "repository path '\(start)' is not owned by current user, and no safe.directory lists it",
        operation: error.operation)
    } catch let error as GitError where error.code == .notFound {
      // git's words, not libgit2's "could not find repository at …".
      let message =
        value("GIT_DIR") != nil
        ? "not a git repository: GIT_DIR=\(start)"
        : "not a git repository (or any parent): \(start)"
      throw GitError(
        code: .notFound, errorClass: error.errorClass, message: message,
        operation: error.operation)
    }
    let repo = repoHandle.pointer

    if let workTree = value("GIT_WORK_TREE") {
      let resolved = absolutePath(workTree, relativeTo: base)
      try gitCall("git_repository_set_workdir('\(resolved)') from GIT_WORK_TREE") {
        git_repository_set_workdir(repo, resolved, 0)
      }
    }

    let objects =
      value("GIT_OBJECT_DIRECTORY").map { absolutePath($0, relativeTo: base) }
      ?? trimmingTrailingSlash(String(gitString: git_repository_commondir(repo))) + "/objects"
    let alternates = (value("GIT_ALTERNATE_OBJECT_DIRECTORIES") ?? "").split(separator: ":")
      .map { absolutePath(String($0), relativeTo: base) }
    let odb = try ObjectDatabase.open(objects: objects, alternates: alternates)
    try gitCall("git_repository_set_odb") { git_repository_set_odb(repo, odb.pointer) }
    let opened = Repository(handle: repoHandle, environment: environment)
    opened.objectDirectories = (objects, alternates)
    if let namespace = value("GIT_NAMESPACE") {
      try gitCall("git_repository_set_namespace('\(namespace)')") {
        git_repository_set_namespace(repo, namespace)
      }
    }
    return opened
  }

  /// Another handle on the same repository, with the same object directories and
  /// configuration, for a task on another thread: libgit2 handles are never shared.
  public func reopen() throws -> Repository {
    var environment = self.environment
    environment["GIT_DIR"] = gitDirectory
    environment["GIT_WORK_TREE"] = workingDirectory
    environment["GIT_CEILING_DIRECTORIES"] = nil
    if let objectDirectories {
      environment["GIT_OBJECT_DIRECTORY"] = objectDirectories.objects
      environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = objectDirectories.alternates.joined(
        separator: ":")
    }
    return try Repository.open(gitDirectory, environment: environment)
  }

  /// `git_repository_init`: creates (or reinitialises) a repository at `path`. The initial
  /// branch follows `init.defaultBranch` of the global config (libgit2 default: master).
  /// `environment` is only used for configuration overrides, never to locate the repository.
  public static func create(
    at path: String, bare: Bool,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Repository {
    ensureLibgit2()
    let handle = try acquire("git_repository_init('\(path)')", release: git_repository_free) {
      git_repository_init($0, path, bare ? 1 : 0)
    }
    return Repository(handle: handle, environment: environment)
  }

  // MARK: Properties

  /// The git directory, absolute, without trailing slash (for a linked worktree:
  /// `.git/worktrees/<name>`).
  public var gitDirectory: String {
    trimmingTrailingSlash(String(gitString: git_repository_path(pointer)))
  }

  /// The shared git directory (differs from `gitDirectory` only in linked worktrees).
  public var commonDirectory: String {
    trimmingTrailingSlash(String(gitString: git_repository_commondir(pointer)))
  }

  /// The work tree, absolute, without trailing slash; nil for bare repositories.
  public var workingDirectory: String? {
    guard let dir = git_repository_workdir(pointer) else { return nil }
    return trimmingTrailingSlash(String(gitString: dir))
  }

  public var isBare: Bool { git_repository_is_bare(pointer) == 1 }
  public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

  // MARK: Internal helpers

  /// The object database (cached; owned by one handle).
  func odb() throws -> OpaquePointer {
    if let odbHandle { return odbHandle.pointer }
    let made = try acquire("git_repository_odb", parent: handle, release: git_odb_free) {
      git_repository_odb($0, pointer)
    }
    odbHandle = made
    return made.pointer
  }

  /// Looks an object up with the given type and hands the owned handle to `body`.
  func withObject<R>(
    _ oid: OID, _ kind: ObjectKind, operation: String, _ body: (OpaquePointer) throws -> R
  ) throws -> R {
    var raw = oid.raw
    let object = try acquire(
      "\(operation) \(oid.hex)", parent: handle, release: git_object_free
    ) {
      handle in git_object_lookup(handle, pointer, &raw, kind.gitType)
    }
    return try object.with(body)
  }

  /// Reads an object's stored bytes straight from the object database (no parsed object, no
  /// object cache) and hands them to `body`; refuses an object of another kind as
  /// `git_object_lookup` does.
  func withStoredBytes<R>(
    _ oid: OID, _ kind: ObjectKind, operation: String,
    _ body: (UnsafeRawBufferPointer) throws -> R
  ) throws -> R {
    try withODBObject(oid, operation: operation) { object in
      guard git_odb_object_type(object) == kind.gitType else {
        throw GitError(
          code: .notFound, errorClass: Int32(GIT_ERROR_INVALID.rawValue),
          message: "the requested type does not match the type in the ODB",
          operation: "\(operation) \(oid.hex)")
      }
      return try body(
        UnsafeRawBufferPointer(
          start: git_odb_object_data(object), count: git_odb_object_size(object)))
    }
  }

  /// Reads an object from the object database (`git_odb_read`) and hands the owned handle to
  /// `body`.
  func withODBObject<R>(_ oid: OID, operation: String, _ body: (OpaquePointer) throws -> R)
    throws -> R
  {
    let odb = try odb()
    var raw = oid.raw
    let object = try acquire(
      "\(operation) \(oid.hex)", parent: handle, release: git_odb_object_free
    ) {
      handle in git_odb_read(handle, odb, &raw)
    }
    return try object.with(body)
  }

  /// Refuses reference writes inside a pre-receive quarantine, as git does.
  func refuseInQuarantine(_ operation: String) throws {
    if let quarantinePath {
      throw GitError.invalid(
        "reference updates are forbidden inside a quarantine environment"
          + " (GIT_QUARANTINE_PATH=\(quarantinePath)); git refuses them too",
        operation: operation)
    }
  }
}

/// `path` made absolute against `base` (no normalisation: libgit2 resolves symlinks itself).
func absolutePath(_ path: String, relativeTo base: String) -> String {
  if path.hasPrefix("/") { return path }
  if path == "." || path.isEmpty { return base }
  return base.hasSuffix("/") ? base + path : base + "/" + path
}
