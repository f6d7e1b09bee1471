internal import Clibgit2
import Foundation

/// Every error thrown by GitKit is a `GitError`.
///
/// It is built from `git_error_last()` immediately after the failing libgit2 call, so
/// `message` and `errorClass` belong to that call. `operation` names what GitKit was doing
/// (usually the libgit2 function, sometimes with the object or reference involved). Users read
/// `description`, which leaves the function out; `GIT_GOVERN_TRACE` puts it back, for debugging.
public struct GitError: Error, CustomStringConvertible, Sendable, Equatable {
  /// libgit2's `git_error_code`, with the codes GitKit callers branch on named.
  public enum Code: Sendable, Hashable {
    /// `GIT_ENOTFOUND`: object, reference, path or repository not found.
    case notFound
    /// `GIT_EEXISTS`: e.g. a reference that must not exist yet already exists.
    case exists
    /// `GIT_EMODIFIED`: a compare-and-swap lost (the reference moved or vanished).
    case modified
    /// `GIT_EAMBIGUOUS`: e.g. an ambiguous short object id.
    case ambiguous
    /// `GIT_EUNBORNBRANCH`: HEAD points at a branch without commits.
    case unbornBranch
    /// `GIT_ELOCKED`: a lock file (e.g. `refs/heads/x.lock`) is held by someone else.
    case locked
    /// `GIT_EOWNER`: the repository is owned by another user (safe.directory check).
    case owner
    /// `GIT_EINVALIDSPEC`: malformed name or revision spec, or an impossible peel.
    case invalidSpec
    /// `GIT_EPEEL`: the object cannot be peeled to the requested kind.
    case peel
    /// `GIT_EINVALID` and GitKit's own input validation errors.
    case invalid
    /// `GIT_EBAREREPO`: the operation needs a work tree.
    case bareRepository
    /// Any other libgit2 code (e.g. `-1` = `GIT_ERROR`, generic failure).
    case other(Int32)

    public init(rawCode: Int32) {
      switch rawCode {
      case GIT_ENOTFOUND.rawValue: self = .notFound
      case GIT_EEXISTS.rawValue: self = .exists
      case GIT_EMODIFIED.rawValue: self = .modified
      case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
      case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
      case GIT_ELOCKED.rawValue: self = .locked
      case GIT_EOWNER.rawValue: self = .owner
      case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
      case GIT_EPEEL.rawValue: self = .peel
      case GIT_EINVALID.rawValue: self = .invalid
      case GIT_EBAREREPO.rawValue: self = .bareRepository
      default: self = .other(rawCode)
      }
    }

    /// The libgit2 return code this case stands for.
    public var rawCode: Int32 {
      switch self {
      case .notFound: return GIT_ENOTFOUND.rawValue
      case .exists: return GIT_EEXISTS.rawValue
      case .modified: return GIT_EMODIFIED.rawValue
      case .ambiguous: return GIT_EAMBIGUOUS.rawValue
      case .unbornBranch: return GIT_EUNBORNBRANCH.rawValue
      case .locked: return GIT_ELOCKED.rawValue
      case .owner: return GIT_EOWNER.rawValue
      case .invalidSpec: return GIT_EINVALIDSPEC.rawValue
      case .peel: return GIT_EPEEL.rawValue
      case .invalid: return GIT_EINVALID.rawValue
      case .bareRepository: return GIT_EBAREREPO.rawValue
      case .other(let code): return code
      }
    }
  }

  public let code: Code
  /// libgit2's `git_error_t` class (`GIT_ERROR_REFERENCE`, `GIT_ERROR_CONFIG`, ...), 0 if none.
  public let errorClass: Int32
  public let message: String
  public let operation: String

  public init(code: Code, errorClass: Int32, message: String, operation: String) {
    self.code = code
    self.errorClass = errorClass
    self.message = message
    self.operation = operation
  }

  /// Reads `git_error_last()`; call only right after the failing libgit2 call.
  /// `operation` is only worked out once the error has been read.
  static func fromLast(_ rc: Int32, operation: @autoclosure () -> String) -> GitError {
    let code = Code(rawCode: rc)
    guard let last = git_error_last() else {
      return GitError(
        code: code, errorClass: 0, message: "libgit2 error \(rc) (no message)",
        operation: operation())
    }
    let message = String(gitString: last.pointee.message)
    let errorClass = last.pointee.klass
    return GitError(
      code: code, errorClass: errorClass,
      message: message.isEmpty ? "libgit2 error \(rc)" : message, operation: operation())
  }

  /// GitKit's own validation failures (never from libgit2).
  static func invalid(_ message: String, operation: String, errorClass: Int32 = 0) -> GitError {
    GitError(code: .invalid, errorClass: errorClass, message: message, operation: operation)
  }

  /// For `.owner`: the directory to add to `safe.directory`, taken from libgit2's message
  /// ("repository path '/x/' is not owned by current user"). libgit2 keys the allow-list on
  /// the work tree, so a reported `<top>/.git` becomes `<top>`.
  public var unsafeDirectory: String? {
    guard code == .owner, let start = message.firstIndex(of: "'"),
      let end = message[message.index(after: start)...].firstIndex(of: "'")
    else { return nil }
    var path = trimmingTrailingSlash(String(message[message.index(after: start)..<end]))
    if path.hasSuffix("/.git") { path = String(path.dropLast(5)) }
    return path.isEmpty ? nil : path
  }

  /// Set `GIT_GOVERN_TRACE` to see which libgit2 call failed in every message.
  static let tracing = ProcessInfo.processInfo.environment["GIT_GOVERN_TRACE"] != nil

  /// The message with the libgit2 call that failed, whatever `GIT_GOVERN_TRACE` says.
  public var traceDescription: String { "\(operation): \(plainDescription)" }

  public var description: String { Self.tracing ? traceDescription : plainDescription }

  private var plainDescription: String {
    var text = message
    if code == .owner {
      let path = unsafeDirectory ?? "<repository path>"
      text +=
        " (the repository belongs to another user; if you trust it, run"
        + " `git config --global --add safe.directory \(path)`;"
        + " libgit2 1.5 only honours exact paths there, not '*')"
    }
    return text
  }
}
