import Foundation
import GitKit
import Governance

/// The governance branch of one repository: where signed records are read from and added to.
/// It never touches the work tree or the index.
public final class Ledger {
  public let repository: Repository
  public let ref: String

  public init(repository: Repository, ref: String) {
    self.repository = repository
    self.ref = ref
  }

  /// The governance commit to read: the local branch, or in a fresh clone that has none yet,
  /// a remote-tracking copy (`refs/remotes/origin/governance` first).
  public func tip() throws -> OID? {
    if let local = try localTip() { return local }
    guard ref.hasPrefix("refs/heads/") else { return nil }
    let branch = String(ref.dropFirst("refs/heads/".count))
    let tracking = try repository.references(glob: "refs/remotes/*/\(branch)").sorted {
      ($0.name == "refs/remotes/origin/\(branch)" ? 0 : 1, $0.name) < (
        $1.name == "refs/remotes/origin/\(branch)" ? 0 : 1, $1.name
      )
    }
    guard let first = tracking.first else { return nil }
    return try repository.peelToCommit(first.target)
  }

  /// The local branch itself, which writes move by compare-and-swap.
  public func localTip() throws -> OID? {
    guard let target = try repository.referenceTarget(ref) else { return nil }
    return try repository.peelToCommit(target)
  }

  public func snapshot() throws -> LedgerSnapshot {
    guard let tip = try tip() else { throw LedgerError.noGovernanceBranch(ref) }
    return try LedgerSnapshot(repository: repository, commit: tip)
  }

  /// The governance branch as it stood at `instant`: the newest commit on its first-parent
  /// line made at or before then. For what-if questions (`--at`): a commit's time is its
  /// writer's claim, so no gate on a server ever asks this.
  public func snapshot(asOf instant: Date) throws -> LedgerSnapshot {
    guard var commit = try tip() else { throw LedgerError.noGovernanceBranch(ref) }
    while try repository.commit(commit).committer.time > instant {
      guard let parent = try repository.commit(commit).parents.first else {
        throw LedgerError(
          "\(ref) did not exist yet at \(Timestamp.format(instant)); governance began at \(Timestamp.format(try repository.commit(commit).committer.time))"
        )
      }
      commit = parent
    }
    return try LedgerSnapshot(repository: repository, commit: commit)
  }
}

/// The governance tree as of one commit.
public struct LedgerSnapshot {
  public let repository: Repository
  public let commit: OID
  public let tree: OID

  public init(repository: Repository, commit: OID) throws {
    self.repository = repository
    self.commit = commit
    self.tree = try repository.tree(ofCommit: commit)
  }

  /// The blob at `path`, or nil when there is none. A path that is a tree, a symlink or a
  /// submodule is an error: records are plain files, read from the object store only.
  public func blobID(at path: String) throws -> OID? {
    guard let entry = try repository.entry(atPath: path, inTree: tree) else { return nil }
    return try Self.plainFile(entry, at: path)
  }

  /// The blob of an entry found at `path`; an error unless it is a plain file.
  static func plainFile(_ entry: TreeEntry, at path: String) throws -> OID {
    guard entry.fileMode == TreeEntry.modeBlob || entry.fileMode == TreeEntry.modeExecutable else {
      throw LedgerError(
        "\(path) in the governance branch is not a plain file (mode \(String(entry.fileMode, radix: 8)))"
      )
    }
    return entry.oid
  }

  public func file(at path: String) throws -> [UInt8]? {
    guard let oid = try blobID(at: path) else { return nil }
    return try file(oid, at: path)
  }

  /// The blob `oid` found at `path`, refused over the size limit for such a file.
  public func file(_ oid: OID, at path: String) throws -> [UInt8] {
    let size = try repository.objectSize(oid)
    let limit = LedgerLimits.fileBytes(for: path)
    guard size <= limit else {
      throw LedgerError(
        "\(path) is \(size) bytes, over the \(limit)-byte limit for such a file; it was not read")
    }
    return try repository.blob(oid)
  }

  /// The entries of the directory at `path`; empty when it does not exist.
  public func entries(in path: String) throws -> [TreeEntry] {
    guard let entry = try repository.entry(atPath: path, inTree: tree) else { return [] }
    guard entry.fileMode == 0o040000 else {
      throw LedgerError("\(path) in the governance branch should be a directory")
    }
    return try repository.treeEntries(entry.oid)
  }
}
