import Foundation
import GitKit
import Governance
import Ledger

/// A release read for a command: its verified records and the facts for its own commit and ref.
struct ReleaseLookup {
  let records: ReleaseRecords
  let request: Signed<ReleaseRequest>
  let target: OID
  let facts: ReleaseFacts

  static func load(_ release: String, session: Session, state: GovernanceState, now: Date = Date())
    throws -> ReleaseLookup
  {
    let catalog = ReleaseCatalog(state: state)
    guard try catalog.exists(release) else { throw noSuchRelease(release, session: session) }
    // Said before judging, which would fail on the missing object in libgit2's words.
    if let request = catalog.request(of: release), let target = OID(hex: request.record.target),
      !session.repository.objectExists(target)
    {
      throw UsageError(
        "the commit \(release) is for (\(target.hex.prefix(10))) is not in this clone; fetch it with "
          + "`git fetch origin \(ReviewRef.name(of: release))` (git govern approve fetches it itself)"
      )
    }
    let judged = try catalog.judge(release, now: now, pusher: Pusher.onClient(session))
    return ReleaseLookup(
      records: judged.records, request: judged.request, target: judged.target, facts: judged.facts)
  }

  /// The refusal for a release id the governance branch does not hold (a typo, or a release
  /// not fetched yet); an id that is not a release id at all is quoted as given.
  static func noSuchRelease(_ release: String, session: Session) -> UsageError {
    let shown = LedgerPaths.isValidReleaseID(release) ? release : "\"\(release)\""
    return UsageError(
      "no release \(shown) on \(session.ledger.ref); `git govern log` lists the releases, "
        + "`git govern status <rev>` finds a commit's, and `git govern sync` fetches new ones")
  }
}
