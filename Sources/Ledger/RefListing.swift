import Foundation
import GitKit
import Governance

/// The refs as one run listed them, for every release the run judges: the audit judges a
/// receipted push per release against the same refs, and lists them once instead of once per
/// release.
///
/// It also knows, per protected pattern, which commits lie strictly below the tip of a ref
/// matching it (worked out once, by one walk). A new ref's range hides every other ref of its
/// pattern; when its target is below one of them, as every release tagged before the latest
/// tags is in an audit, the range is empty: known from that set, where a revision walk per
/// release read each of the other tips again (10,000 tags: 10,000 commits read per release).
public final class RefListing: @unchecked Sendable {
  public let references: [(name: String, target: OID)]
  private let lock = NSLock()
  private var below: [RefPattern: Set<OID>] = [:]

  public init(_ references: [(name: String, target: OID)]) { self.references = references }

  /// Whether `target` is reachable from a ref matching `pattern` other than `ref`: then the
  /// range of a new `ref` at `target` is empty. False also when this cannot tell cheaply
  /// (`ref` already points elsewhere), and the range is walked.
  func isHidden(_ target: OID, ref: String, pattern: RefPattern, in repository: Repository) throws
    -> Bool
  {
    // The ref's own tip counts among the tips below which the set was made; a commit is never
    // below itself, so when the ref points at the target, a tip above the target is another ref's.
    let own = references.first { $0.name == ref }.flatMap {
      try? repository.peelToCommit($0.target)
    }
    guard own == nil || own == target || !pattern.matches(ref) else { return false }
    return try commitsBelowTips(matching: pattern, in: repository).contains(target)
  }

  /// The commits reachable from the parents of the tips of the refs matching `pattern`.
  private func commitsBelowTips(matching pattern: RefPattern, in repository: Repository) throws
    -> Set<OID>
  {
    lock.lock()
    defer { lock.unlock() }
    if let known = below[pattern] { return known }
    let tips = Set(
      references.filter { pattern.matches($0.name) }.compactMap {
        try? repository.peelToCommit($0.target)
      })
    var parents: [OID] = []
    for tip in tips { parents += try repository.identities(ofCommit: tip).parents }
    var commits = Set<OID>()
    if !parents.isEmpty {
      let walk = try repository.walk(from: Array(Set(parents)), order: .none)
      while let oid = try walk.nextCommit() { commits.insert(oid) }
    }
    below[pattern] = commits
    return commits
  }
}
