import GitKit
import Governance

/// The paths a release changes: what differs between the range's base and the target. The
/// base is every commit a range commit has as a parent outside the range (one for a linear
/// range; more when it merges in history released elsewhere, each compared, so a path
/// counts as changed if any base lacks it as the target has it). A range that holds a root
/// commit has no base: all the target's files are changed.
enum ReleasePaths {
  /// Past this many bases the paths are not worked out (nil): the release is then not
  /// standard, which fails closed.
  static let maximumBases = 64

  static func changed(_ repository: Repository, range: ReleaseRange, target: OID) throws
    -> [String]?
  {
    let inRange = Set(range.commits)
    var bases: [OID] = []
    var seen = Set<OID>()
    var hasRoot = false
    for oid in range.commits {
      let parents = try range.identities?[oid]?.parents ?? repository.commit(oid).parents
      if parents.isEmpty { hasRoot = true }
      for parent in parents where !inRange.contains(parent) && seen.insert(parent).inserted {
        bases.append(parent)
      }
      if bases.count > maximumBases { return nil }
    }
    let targetTree = try repository.tree(ofCommit: target)
    var baseTrees: [OID?] = try bases.map { try repository.tree(ofCommit: $0) }
    if hasRoot || range.commits.isEmpty && bases.isEmpty { baseTrees.append(nil) }
    var paths = Set<String>()
    for tree in baseTrees {
      for change in try repository.changes(from: tree, to: targetTree) { paths.insert(change.path) }
    }
    return paths.sorted()
  }
}
