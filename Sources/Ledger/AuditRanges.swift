import GitKit
import Governance

/// The commits each release brought, worked out for every release in one pass over history.
///
/// A release's range is what its target reaches and no earlier release of the same protected
/// pattern reached: what the gate measured when it was pushed, since the earlier releases
/// were then the refs the push was compared with. Releases are taken in the order they were
/// requested; each commit is visited once per pattern, so the cost follows the history, not
/// releases × history (walking each release's range separately, hiding every other tag, did).
struct AuditRanges {
  struct Release {
    var id: String
    var target: OID
    var group: String
    var created: String
  }

  private(set) var ranges: [String: Result<[OID], LedgerError>] = [:]

  init(_ releases: [Release], commits: inout CommitCatalog, repository: Repository) throws {
    var reached: [String: Set<OID>] = [:]
    for release in releases.sorted(by: { ($0.created, $0.id) < ($1.created, $1.id) }) {
      var range: [OID] = []
      var pending = [release.target]
      var overLimit = false
      while let commit = pending.popLast() {
        guard reached[release.group, default: []].insert(commit).inserted else { continue }
        range.append(commit)
        if range.count > LedgerLimits.rangeCommits {
          overLimit = true
          break
        }
        pending += try commits.identities(commit, in: repository).parents
      }
      ranges[release.id] =
        overLimit
        ? .failure(
          LedgerError(
            "the release range of \(release.target.hex.prefix(10)) holds more than \(LedgerLimits.rangeCommits) commits, more than git-govern scans for separation of duties"
          ))
        : .success(range)
    }
  }
}
