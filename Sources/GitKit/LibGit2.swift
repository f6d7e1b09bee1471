internal import Clibgit2
internal import Clibgit2Startup
import Foundation

// MARK: - Library initialisation

/// `git_libgit2_init()` runs exactly once, the first time any GitKit entry point touches
/// this global (Swift initialises globals lazily and atomically). It is never shut down:
/// the process keeps libgit2 for its whole lifetime.
private let libgit2InitCount: Int32 = {
  let count = git_libgit2_init()
  // Like git, trust the object store's ids instead of rehashing every object on each read
  // (SHA-1DC over a 10,000-entry tree, every time a path under it is looked up): objects are
  // hashed when they enter the repository (index-pack, fsck), and every record and governance
  // commit is verified by its signature anyway.
  _ = gitkit_set_strict_hash_verification(0)
  // Keep large trees (the ledger's `releases/`, `targets/`) in libgit2's object cache once
  // read; by default it caches nothing over 4 KiB, so each path lookup re-read the tree.
  _ = gitkit_set_cache_object_limit(GIT_OBJECT_TREE, 64 << 20)
  // Commits are read once per walk and kept by the callers that need them again (the audit
  // reads 100,000): cached, they pushed the trees out. All caches of the process share one
  // budget (libgit2's default is 256 MiB, and the audit has a handle per core).
  _ = gitkit_set_cache_object_limit(GIT_OBJECT_COMMIT, 0)
  // The budget counts raw object bytes, and a parsed tree holds about twice that: at 4 MiB
  // the full benchmark's audit peaks 55-65 MiB lower than at 16 MiB, and runs as fast (each
  // governance state's trees are read once, and the ledger's large ones still fit).
  _ = gitkit_set_cache_max_size(4 << 20)
  return count
}()

/// How many CA bundles libgit2 asked mbedTLS to load in this process and was refused: one at
/// `git_libgit2_init` where libgit2 uses mbedTLS, none where it uses OpenSSL. See
/// `Clibgit2Startup/skip_ca_bundle.c` for why git-govern never needs them.
var caBundleLoadsRefused: Int { Int(gitkit_ca_bundle_loads_refused()) }

/// Call at every public entry point that can reach libgit2 without a `Repository`.
@inline(__always)
func ensureLibgit2() {
  _ = libgit2InitCount
}

// MARK: - Handle ownership

/// The single owner of one libgit2 handle. Its `deinit` is the only place that frees the
/// handle. `parent` keeps whatever the handle depends on (usually the repository handle)
/// alive until after the handle itself has been freed: a `deinit` body runs before the
/// stored properties are released.
final class CHandle<Pointer> {
  let pointer: Pointer
  private let release: (Pointer) -> Void
  private let parent: AnyObject?

  init(_ pointer: Pointer, parent: AnyObject? = nil, release: @escaping (Pointer) -> Void) {
    self.pointer = pointer
    self.parent = parent
    self.release = release
  }

  deinit { release(pointer) }

  /// Runs `body` with the raw pointer while guaranteeing the owner stays alive.
  @inline(__always)
  func with<R>(_ body: (Pointer) throws -> R) rethrows -> R {
    try withExtendedLifetime(self) { try body(pointer) }
  }
}

typealias OpaqueHandle = CHandle<OpaquePointer>

// MARK: - Calling conventions

/// Clears the thread's libgit2 error, performs `call`, and on a negative result builds a
/// `GitError` from `git_error_last()` right away (before anything else can overwrite it).
/// `operation` is worked out only on failure: the audit makes hundreds of thousands of calls.
@discardableResult
@inline(__always)
func gitCall(_ operation: @autoclosure () -> String, _ call: () -> Int32) throws -> Int32 {
  git_error_clear()
  let rc = call()
  if rc < 0 { throw GitError.fromLast(rc, operation: operation()) }
  return rc
}

/// Like `gitCall`, but a `GIT_ENOTFOUND` result becomes `false` instead of an error.
@inline(__always)
func gitCallAllowingNotFound(
  _ operation: @autoclosure () -> String, _ call: () -> Int32
) throws -> Bool {
  git_error_clear()
  let rc = call()
  if rc == GIT_ENOTFOUND.rawValue {
    git_error_clear()
    return false
  }
  if rc < 0 { throw GitError.fromLast(rc, operation: operation()) }
  return true
}

/// Creates an owned handle from a libgit2 constructor of the form `int f(T **out, ...)`.
@inline(__always)
func acquire(
  _ operation: @autoclosure () -> String, parent: AnyObject? = nil,
  release: @escaping (OpaquePointer?) -> Void,
  _ create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
) throws -> OpaqueHandle {
  var out: OpaquePointer? = nil
  try gitCall(operation()) { create(&out) }
  guard let pointer = out else {
    throw GitError(
      code: .other(-1), errorClass: 0, message: "libgit2 returned no object", operation: operation()
    )
  }
  return OpaqueHandle(pointer, parent: parent, release: { release($0) })
}

/// Like `acquire`, but `GIT_ENOTFOUND` yields `nil`.
@inline(__always)
func acquireIfFound(
  _ operation: @autoclosure () -> String, parent: AnyObject? = nil,
  release: @escaping (OpaquePointer?) -> Void,
  _ create: (UnsafeMutablePointer<OpaquePointer?>) -> Int32
) throws -> OpaqueHandle? {
  var out: OpaquePointer? = nil
  guard try gitCallAllowingNotFound(operation(), { create(&out) }) else { return nil }
  guard let pointer = out else { return nil }
  return OpaqueHandle(pointer, parent: parent, release: { release($0) })
}

// MARK: - Small conversions

extension String {
  /// Copies a possibly-NULL C string; invalid UTF-8 is repaired, never trapped on.
  init(gitString pointer: UnsafePointer<CChar>?) {
    guard let pointer else {
      self = ""
      return
    }
    self = String(
      decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
  }
}

/// Removes trailing slashes (libgit2 returns directories with one), keeping "/" itself.
func trimmingTrailingSlash(_ path: String) -> String {
  var result = path
  while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
  return result
}
