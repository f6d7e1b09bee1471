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
    guard try catalog.exists(release) else {
      throw UsageError(
        "there is no release \"\(release)\" on \(session.ledger.ref); `git govern status <rev>` finds a commit's releases"
      )
    }
    let judged = try catalog.judge(release, now: now, pusher: Pusher.onClient(session))
    return ReleaseLookup(
      records: judged.records, request: judged.request, target: judged.target, facts: judged.facts)
  }
}
