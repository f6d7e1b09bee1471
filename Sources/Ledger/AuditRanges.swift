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

  /// Each release's commits, as positions in the commit catalog.
  private(set) var ranges: [String: Result<[Int32], LedgerError>] = [:]

  init(
    _ releases: [Release], releasedBefore: [OID] = [], commits: inout CommitCatalog,
    repository: Repository
  ) throws {
    // What was released before governance (`init --baseline`) is in no group's ranges: every
    // group starts having reached it.
    var before: [Bool] = []
    var pending = releasedBefore.filter { repository.objectExists($0) }.map { commits.place($0) }
    while let commit = pending.popLast() {
      if Int(commit) >= before.count {
        before += repeatElement(false, count: commits.count - before.count)
      }
      guard !before[Int(commit)] else { continue }
      before[Int(commit)] = true
      pending += try commits.entry(at: commit, in: repository).parents
    }
    // What each group's releases reached so far, by catalog position.
    var reached: [String: [Bool]] = [:]
    for release in try Self.inOrder(releases, commits: &commits, repository: repository) {
      var range: [Int32] = []
      var pending = [commits.place(release.target)]
      var overLimit = false
      // Taken out while this release is walked, so the walk neither hashes the group's name
      // for each commit nor copies the marks.
      var groupReached = reached.removeValue(forKey: release.group) ?? before
      defer { reached[release.group] = groupReached }
      while let commit = pending.popLast() {
        if Int(commit) >= groupReached.count {
          // The catalog grew (a commit read here, not from a ref): room for all it holds.
          groupReached += repeatElement(false, count: commits.count - groupReached.count)
        }
        guard !groupReached[Int(commit)] else { continue }
        groupReached[Int(commit)] = true
        range.append(commit)
        if range.count > LedgerLimits.rangeCommits {
          overLimit = true
          break
        }
        pending += try commits.entry(at: commit, in: repository).parents
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

  /// In the order they were requested. Requests made in the same second are ordered by the
  /// depth of their targets in history, so a release of a commit comes before the release of
  /// a descendant of it (released later, or the earlier one would have brought both); only
  /// then by id.
  private static func inOrder(
    _ releases: [Release], commits: inout CommitCatalog, repository: Repository
  ) throws -> [Release] {
    let sameSecond = Dictionary(grouping: releases, by: \.created).filter { $0.value.count > 1 }
    var depths: [OID: Int] = [:]
    for release in sameSecond.values.joined() {
      try depth(of: release.target, in: &depths, commits: &commits, repository: repository)
    }
    return releases.sorted {
      ($0.created, depths[$0.target] ?? 0, $0.id) < ($1.created, depths[$1.target] ?? 0, $1.id)
    }
  }

  /// The length of the longest path from `commit` back to a root (a root is 0), filling
  /// `depths` for every commit on the way. Commits beyond a shallow clone's edge count as roots.
  private static func depth(
    of commit: OID, in depths: inout [OID: Int], commits: inout CommitCatalog,
    repository: Repository
  ) throws {
    var pending = [commit]
    while let next = pending.last {
      if depths[next] != nil {
        pending.removeLast()
        continue
      }
      let parents =
        commits.holds(next) || repository.objectExists(next)
        ? try commits.parents(of: next, in: repository) : []
      let unknown = parents.filter { depths[$0] == nil }
      if unknown.isEmpty {
        depths[next] = parents.map { depths[$0]! + 1 }.max() ?? 0
        pending.removeLast()
      } else {
        pending += unknown
      }
    }
  }
}
