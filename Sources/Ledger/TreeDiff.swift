import GitKit

/// One path that differs between two trees.
public struct TreeChange: Sendable {
  public enum Kind: Sendable { case added, modified, removed }
  public var path: String
  public var kind: Kind
  public var old: TreeEntry?
  public var new: TreeEntry?
}

extension Repository {
  /// The file-level differences between two trees, descending only into subtrees that differ,
  /// so the cost follows the change, not the size of the tree.
  public func changes(from old: OID?, to new: OID?, prefix: String = "") throws -> [TreeChange] {
    if old == new { return [] }
    var changes: [TreeChange] = []
    for (a, b) in try differingEntries(from: old, to: new) {
      let name = (a ?? b)!.name
      let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
      let aTree = a?.fileMode == TreeEntry.modeTree ? a?.oid : nil
      let bTree = b?.fileMode == TreeEntry.modeTree ? b?.oid : nil
      if aTree != nil || bTree != nil {
        changes += try self.changes(from: aTree, to: bTree, prefix: path)
        // A file replaced by a directory (or the other way round) also changes the file itself.
        if let a, aTree == nil {
          changes.append(TreeChange(path: path, kind: .removed, old: a, new: nil))
        }
        if let b, bTree == nil {
          changes.append(TreeChange(path: path, kind: .added, old: nil, new: b))
        }
        continue
      }
      let kind: TreeChange.Kind = a == nil ? .added : (b == nil ? .removed : .modified)
      changes.append(TreeChange(path: path, kind: kind, old: a, new: b))
    }
    return changes
  }
}
