import Foundation
import GitKit
import Governance
import Ledger

/// Brings the governance branch in line with a remote: fetch, merge (records are separate
/// files, so a merge only unions them; the merge commit is signed), push; when the push loses
/// a race, again, until it lands. Nothing of either side is lost. The server's notes are
/// fetched, never pushed.
struct Synchronizer {
  let session: Session
  let remote: String
  static let attempts = 8

  var ledgerRef: String { session.ledger.ref }
  var trackingRef: String {
    "refs/remotes/\(remote)/"
      + (ledgerRef.hasPrefix("refs/heads/")
        ? String(ledgerRef.dropFirst("refs/heads/".count)) : ledgerRef)
  }
  static let notesRef = "refs/notes/governance"
  var remoteNotesRef: String { "refs/notes/remotes/\(remote)/governance" }

  /// Returns what happened, in words.
  func run(key: String?) throws -> String {
    _ = try git(["remote", "get-url", remote], what: "find remote \(remote)")
    var lastFailure = ""
    for attempt in 1...Self.attempts {
      try fetch()
      let merged = try merge(key: key)
      let pushed = try git(
        ["push", "--quiet", "--no-verify", remote, "\(ledgerRef):\(ledgerRef)"], what: "push",
        allowFailure: true)
      if pushed.status == 0 {
        if let problem = try ReviewRefs.publish(
          to: remote, in: Repository.open(FileManager.default.currentDirectoryPath))
        {
          Message.note("warning: \(problem)")
        }
        try syncNotes()
        try takeServerReceipts()
        return merged
          + (attempt > 1
            ? " (after \(attempt - 1) race\(attempt == 2 ? "" : "s") with other pushes)" : "")
      }
      lastFailure = pushed.errors
      usleep(UInt32.random(in: 20_000...120_000) * UInt32(attempt))
    }
    throw LedgerError(
      "could not push \(ledgerRef) to \(remote) after \(Self.attempts) attempts; git said: \(lastFailure)"
    )
  }

  /// The server's post-receive adds its receipts (of pushes, and of when it accepted records)
  /// right after a push; bring them home, so the next command starts from the server's tip.
  private func takeServerReceipts() throws {
    _ = try git(
      ["fetch", "--quiet", remote, "+\(ledgerRef):\(trackingRef)"], what: "fetch",
      allowFailure: true)
    let repository = try Repository.open(FileManager.default.currentDirectoryPath)
    let ledger = Ledger(repository: repository, ref: ledgerRef)
    guard let local = try ledger.localTip(),
      let incoming = try repository.referenceTarget(trackingRef).map(repository.peelToCommit),
      incoming != local, try repository.isDescendant(incoming, of: local)
    else { return }
    _ = try GovernanceState.load(LedgerSnapshot(repository: repository, commit: incoming))
    try ledger.move(to: incoming, expecting: local, message: "sync: the server's receipts")
  }

  private func fetch() throws {
    let specs = ["+\(ledgerRef):\(trackingRef)", "+\(Self.notesRef):\(remoteNotesRef)"]
    // A remote without a governance branch or notes yet is not an error.
    for spec in specs {
      _ = try git(["fetch", "--quiet", remote, spec], what: "fetch", allowFailure: true)
    }
  }

  /// Merges the remote-tracking governance branch into the local one.
  private func merge(key: String?) throws -> String {
    let repository = try Repository.open(FileManager.default.currentDirectoryPath)
    let ledger = Ledger(repository: repository, ref: ledgerRef)
    let local = try ledger.localTip()
    let incoming = try repository.referenceTarget(trackingRef).map {
      try repository.peelToCommit($0)
    }
    switch (local, incoming) {
    case (nil, nil):
      throw LedgerError.noGovernanceBranch(ledgerRef)
    case (nil, let incoming?):
      try ledger.move(to: incoming, expecting: nil, message: "sync: take \(remote)'s")
      return "took \(remote)'s governance branch"
    case (_?, nil):
      return "nothing to fetch; pushed the local governance branch"
    case (let local?, let incoming?):
      if local == incoming { return "already in step with \(remote)" }
      if try repository.isDescendant(local, of: incoming) {
        return "pushed local records to \(remote)"
      }
      if try repository.isDescendant(incoming, of: local) {
        _ = try GovernanceState.load(LedgerSnapshot(repository: repository, commit: incoming))
        try ledger.move(to: incoming, expecting: local, message: "sync: fast-forward")
        return "fast-forwarded to \(remote)'s records"
      }
      return try mergeCommit(
        repository: repository, ledger: ledger, local: local, incoming: incoming, key: key)
    }
  }

  private func mergeCommit(
    repository: Repository, ledger: Ledger, local: OID, incoming: OID, key: String?
  ) throws -> String {
    guard let base = try repository.mergeBase(local, incoming) else {
      throw LedgerError(
        "the local \(ledgerRef) and \(remote)'s share no history; they are different governance branches"
      )
    }
    let ours = try repository.changes(
      from: repository.tree(ofCommit: base), to: repository.tree(ofCommit: local))
    let theirs = Dictionary(
      try repository.changes(
        from: repository.tree(ofCommit: base), to: repository.tree(ofCommit: incoming)
      ).map { ($0.path, $0) },
      uniquingKeysWith: { first, _ in first })
    var updates: [TreeUpdate] = []
    for change in ours {
      if let other = theirs[change.path], other.new?.oid != change.new?.oid {
        throw LedgerError(
          "both sides changed \(change.path) differently (here and on \(remote)); a policy-admin must settle it: "
            + "take \(remote)'s (git govern sync after `git branch -f governance \(trackingRef)`) and sign the change again"
        )
      }
      if let entry = change.new {
        updates.append(
          .upsertBlob(
            path: change.path, blob: entry.oid,
            executable: entry.fileMode == TreeEntry.modeExecutable))
      } else {
        updates.append(.remove(path: change.path))
      }
    }
    let tree = try repository.createTree(
      base: repository.tree(ofCommit: incoming), updates: updates)
    let state = try GovernanceState.load(LedgerSnapshot(repository: repository, commit: incoming))
    let (_, author) = try session.actor(in: state, key: key)
    let now = Date()
    let person = GitKit.Signature(name: author.name, email: author.email, time: now)
    let buffer = try repository.commitBuffer(
      tree: tree, parents: [local, incoming], author: person, committer: person,
      message: "git-govern: sync with \(remote)\n")
    let signature = try author.signer.sign(
      Array(buffer.utf8), namespace: LedgerPaths.commitNamespace)
    let merge = try repository.createCommit(buffer: buffer, signature: signature)
    _ = try GovernanceState.load(LedgerSnapshot(repository: repository, commit: merge))
    try ledger.move(to: merge, expecting: local, message: "sync: merge \(remote)")
    return "merged \(remote)'s records with the local ones (signed merge \(merge.hex.prefix(10)))"
  }

  /// Notes are derived from the records and written by the server only (its pre-receive
  /// refuses them from anyone else): they are fetched and merged here, never pushed.
  private func syncNotes() throws {
    let repository = try Repository.open(FileManager.default.currentDirectoryPath)
    guard let theirs = try repository.referenceTarget(remoteNotesRef) else { return }
    guard let ours = try repository.referenceTarget(Self.notesRef) else {
      try repository.updateReference(
        Self.notesRef, to: theirs, expecting: nil, message: "sync notes")
      return
    }
    if ours == theirs { return }
    _ = try git(
      ["notes", "--ref=governance", "merge", "--quiet", "-s", "cat_sort_uniq", remoteNotesRef],
      what: "merge notes", allowFailure: true)
  }

  @discardableResult
  private func git(_ arguments: [String], what: String, allowFailure: Bool = false) throws -> (
    status: Int32, output: String, errors: String
  ) {
    let result = try Subprocess.git(arguments)
    if result.status != 0, !allowFailure {
      throw LedgerError(
        "git \(what) failed: \(result.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return result
  }
}
