import GitKit

extension RefUpdate {
  /// The updates as the refs they move on this (server) repository. git's receive-pack hands
  /// its hooks the name the pusher wrote; when that is a symbolic ref (`refs/heads/latest` ->
  /// `refs/heads/main`), git then moves, or deletes, the ref it points at. Each update is
  /// judged as that ref, and two that move the same ref the same way are one.
  public static func resolvingSymbolicRefs(_ updates: [RefUpdate], in repository: Repository)
    throws -> [RefUpdate]
  {
    var resolved: [RefUpdate] = []
    for update in updates {
      var moved = update
      let name = try repository.referenceMoved(byUpdating: update.ref)
      if name != update.ref {
        moved.ref = name
        moved.pushedAs = update.ref
      }
      if !resolved.contains(where: {
        $0.ref == moved.ref && $0.old == moved.old && $0.new == moved.new
      }) {
        resolved.append(moved)
      }
    }
    return resolved
  }
}
