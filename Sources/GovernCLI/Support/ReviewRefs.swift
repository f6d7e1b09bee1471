import Foundation
import GitKit
import Governance
import Ledger

/// The client's side of review refs (`refs/govern/review/<release>`, see `ReviewRef`):
/// `request` makes one, `sync` publishes them once the records naming them are on the
/// remote, and `approve` fetches the one it needs when this clone lacks the commit.
enum ReviewRefs {
  /// Points `refs/govern/review/<release>` at the requested commit, in this clone.
  static func make(for release: String, at target: OID, in repository: Repository) throws {
    try repository.updateReference(
      ReviewRef.name(of: release), to: target, expecting: nil,
      message: "git-govern: review ref of \(release)")
  }

  /// Pushes every local review ref; the server takes each whose release it holds. Called after
  /// the governance branch landed, so the server knows the releases they name. A refusal is a
  /// warning, not a failed sync: the records are on the server either way.
  static func publish(to remote: String, in repository: Repository) throws -> String? {
    guard try !repository.references(glob: ReviewRef.prefix + "*").isEmpty else { return nil }
    let pushed = try Subprocess.git(
      ["push", "--quiet", "--no-verify", remote, "\(ReviewRef.prefix)*:\(ReviewRef.prefix)*"])
    guard pushed.status != 0 else { return nil }
    return
      "could not publish the review refs (\(ReviewRef.prefix)*) to \(remote), so approvers cannot fetch those commits yet; git said: "
      + pushed.errors.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Brings the commit `release` asks approval for into this clone from the remote's review
  /// ref, when it is not here. What was fetched is checked again by the caller: only the
  /// signed request says which commit is meant.
  static func fetchCommit(
    of release: String, session: Session, state: GovernanceState, remote: String
  ) throws {
    guard let request = ReleaseCatalog(state: state).request(of: release),
      let target = OID(hex: request.record.target), !session.repository.objectExists(target)
    else { return }  // an unknown release or unreadable request is the lookup's to report
    let ref = ReviewRef.name(of: release)
    Message.note(
      "Fetching \(target.hex.prefix(10)), the commit \(release) asks approval for, from \(remote) (\(ref))."
    )
    let fetched = try Subprocess.git(["fetch", "--quiet", remote, "+\(ref):\(ref)"])
    guard session.repository.objectExists(target) else {
      let said = fetched.errors.trimmingCharacters(in: .whitespacesAndNewlines)
      throw UsageError(
        "the commit \(release) asks approval for (\(target.hex.prefix(10))) is not in this clone, and \(remote) has no \(ref) holding it"
          + (said.isEmpty ? "" : " (git said: \(said))")
          + "; \(request.record.actor), who requested it, publishes it with `git govern sync`")
    }
  }
}
