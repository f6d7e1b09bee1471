import Foundation
import GitKit
import Governance
import Signing

/// A file to add to the governance tree in a commit, or (with no bytes) an index entry to
/// remove. Records are never removed; only derived index entries such as `incidents/open/<id>` are.
public struct LedgerFile: Sendable {
  public var path: String
  public var bytes: [UInt8]?

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
  }

  public static func removal(_ path: String) -> LedgerFile {
    var file = LedgerFile(path: path, bytes: [])
    file.bytes = nil
    return file
  }
}

/// The author of governance commits and the key that signs them and their records.
public struct LedgerAuthor {
  public var name: String
  public var email: String
  public var signer: any SSHMessageSigner

  public init(name: String, email: String, signer: any SSHMessageSigner) {
    self.name = name
    self.email = email
    self.signer = signer
  }

  /// A record's bytes and its detached signature, as the two files that store it.
  public func signedFiles(_ bytes: [UInt8], at path: String) throws -> [LedgerFile] {
    let signature = try signer.sign(bytes, namespace: LedgerPaths.recordNamespace)
    return [
      LedgerFile(path: path, bytes: bytes),
      LedgerFile(path: path + LedgerPaths.signatureSuffix, bytes: Array(signature.utf8)),
    ]
  }

  public func signedFiles<R: GovernanceRecord>(_ record: R, at path: String) throws -> [LedgerFile]
  {
    try signedFiles(CanonicalJSON.encode(record), at: path)
  }
}

extension Ledger {
  /// How many times a lost compare-and-swap is retried before giving up.
  static let attempts = 5

  /// Writes a signed commit holding `files` on top of `parent` (nil: a root commit), without
  /// moving any ref.
  public func writeCommit(
    files: [LedgerFile], parent: OID?, message: String, author: LedgerAuthor, now: Date = Date()
  ) throws -> OID {
    var updates: [TreeUpdate] = []
    for file in files {
      if let bytes = file.bytes {
        updates.append(
          .upsertBlob(path: file.path, blob: try repository.writeBlob(bytes), executable: false))
      } else {
        updates.append(.remove(path: file.path))
      }
    }
    let baseTree = try parent.map { try repository.tree(ofCommit: $0) }
    let tree = try repository.createTree(base: baseTree, updates: updates)
    let person = GitKit.Signature(
      name: author.name, email: author.email, time: now, offsetMinutes: 0)
    let buffer = try repository.commitBuffer(
      tree: tree, parents: parent.map { [$0] } ?? [], author: person, committer: person,
      message: message)
    let signature = try author.signer.sign(
      Array(buffer.utf8), namespace: LedgerPaths.commitNamespace)
    return try repository.createCommit(buffer: buffer, signature: signature)
  }

  /// Adds one signed commit to the governance branch holding the files `build` returns for the
  /// tip it is given (nil for the very first commit). The branch moves by compare-and-swap:
  /// when someone else moved it first, `build` runs again on their tip, so nothing of theirs is
  /// lost and nothing is overwritten. All or nothing: the ref moves only once the commit exists.
  @discardableResult
  public func append(
    message: String, author: LedgerAuthor, now: Date = Date(),
    build: (LedgerSnapshot?) throws -> [LedgerFile]
  ) throws -> OID {
    var lastError: Error?
    for _ in 0..<Self.attempts {
      let expected = try localTip()
      let parent = try expected ?? tip()
      let snapshot = try parent.map { try LedgerSnapshot(repository: repository, commit: $0) }
      let files = try build(snapshot)
      // Nothing to add: no commit, and the branch stays where it is.
      if files.isEmpty, let parent { return parent }
      let commit = try writeCommit(
        files: files, parent: parent, message: message, author: author, now: now)
      do {
        try move(to: commit, expecting: expected, message: message)
        return commit
      } catch let error as GitError where error.code == .modified || error.code == .exists {
        lastError = error
      }
    }
    throw LedgerError(
      "\(ref) kept moving while this command tried to add to it (\(Self.attempts) attempts): \(lastError.map { "\($0)" } ?? ""); run it again"
    )
  }

  /// Moves the governance ref by compare-and-swap.
  public func move(to commit: OID, expecting old: OID?, message: String) throws {
    try repository.updateReference(
      ref, to: commit, expecting: old, message: "git-govern: \(message.prefix(60))")
  }
}
