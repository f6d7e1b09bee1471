import Foundation
import GitKit
import Ledger

/// When the client's pre-push hook would block a protected push, it fetches the remote's
/// governance branch and judges again: the server judges with its records, so an approval
/// pushed since this clone last synced must count here too, and a clone that cannot see the
/// remote must say so instead of reporting "has 0 approvals" as if that were the server's view.
/// A push the local records allow fetches nothing (the server checks it again anyway).
///
/// What is fetched is a claim until it proves: the local branch moves to it only when it is a
/// fast-forward whose governance state loads (signatures and change chain verified), by a
/// compare-and-swap. `govern.fetchBeforePush=false` turns the fetch off.
struct GovernanceRefresh {
  enum Outcome: Equatable {
    /// The local branch holds what the remote has (or the remote has none to compare).
    case current
    /// The remote had newer records; the local branch was fast-forwarded to them.
    case fastForwarded
    /// This clone has records the remote lacks: the server judges without them.
    case localAhead
    /// Each side has records the other lacks.
    case diverged
    /// Not fetched (offline, refused, or turned off), with why.
    case notFetched(String)
  }

  let session: Session
  let remote: String
  /// A hook must not hang a push on a network that does not answer.
  static let timeoutSeconds = 20

  func run() -> Outcome {
    let setting = (try? session.repository.configString("govern.fetchbeforepush"))?.lowercased()
    if let setting, ["false", "no", "off", "0"].contains(setting) {
      return .notFetched("govern.fetchBeforePush is \(setting)")
    }
    do {
      guard let incoming = try fetch() else { return .current }
      return try compare(incoming)
    } catch {
      return .notFetched("\(error)")
    }
  }

  /// Whether this clone has governance commits the remote did not have at the last fetch (by
  /// the remote-tracking ref alone: no network).
  func hasUnpublishedRecords() -> Bool {
    guard (try? session.repository.configString("remote.\(remote).url")) != nil,
      let local = try? session.ledger.localTip(),
      let tracking = try? session.repository.referenceTarget(
        Synchronizer(session: session, remote: remote).trackingRef
      ).map(session.repository.peelToCommit)
    else { return false }
    return local != tracking
      && !((try? session.repository.isDescendant(tracking, of: local)) ?? true)
  }

  /// The remote's governance tip, in `refs/remotes/<remote>/governance` for a named remote
  /// (as `sync` keeps it), else in FETCH_HEAD; nil when the remote has no governance branch.
  private func fetch() throws -> OID? {
    let ledgerRef = session.ledger.ref
    // git passes the remote's name, or the URL when the push named one.
    let named = (try? session.repository.configString("remote.\(remote).url")) != nil
    let tracking = Synchronizer(session: session, remote: remote).trackingRef
    let fetched = try Subprocess.git(
      ["fetch", "--quiet", remote, named ? "+\(ledgerRef):\(tracking)" : ledgerRef],
      timeout: Self.timeoutSeconds)
    if fetched.status != 0 {
      let said = fetched.errors.trimmingCharacters(in: .whitespacesAndNewlines)
      if said.contains("couldn't find remote ref") { return nil }
      throw LedgerError(
        fetched.status == 124
          ? "\(remote) did not answer within \(Self.timeoutSeconds) s"
          : "git fetch \(remote) failed: \(said)")
    }
    let repository = try Repository.open(FileManager.default.currentDirectoryPath)
    if named { return try repository.referenceTarget(tracking).map(repository.peelToCommit) }
    // FETCH_HEAD is git's note of what it fetched, not a ref libgit2 reads; git reads it.
    let fetchHead = try Subprocess.git(["rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}"])
    return OID(hex: fetchHead.output.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  private func compare(_ incoming: OID) throws -> Outcome {
    let repository = try Repository.open(FileManager.default.currentDirectoryPath)
    let ledger = Ledger(repository: repository, ref: session.ledger.ref)
    guard let local = try ledger.localTip() else { return .current }
    if local == incoming { return .current }
    if try repository.isDescendant(local, of: incoming) { return .localAhead }
    guard try repository.isDescendant(incoming, of: local) else { return .diverged }
    _ = try GovernanceState.load(LedgerSnapshot(repository: repository, commit: incoming))
    try ledger.move(to: incoming, expecting: local, message: "pre-push: \(remote)'s newer records")
    return .fastForwarded
  }

  /// What the hook says about it, if anything; `blocked` tells whether the push was refused.
  func note(_ outcome: Outcome, blocked: Bool) -> String? {
    switch outcome {
    case .current: return nil
    case .fastForwarded:
      return "git-govern: took \(remote)'s newer governance records before checking"
    case .localAhead:
      return
        "git-govern: this clone has governance records \(remote) does not have yet, and the server judges without them: publish them first with `git govern sync`"
    case .diverged:
      return
        "git-govern: this clone's governance branch and \(remote)'s each have records the other lacks; judged with this clone's. Merge them with `git govern sync`, then push again"
    case .notFetched(let why):
      return blocked
        ? "git-govern: could not fetch \(remote)'s governance branch (\(why)), so approvals given since your last sync are not seen here: run `git govern sync`, then push again"
        : nil
    }
  }
}
