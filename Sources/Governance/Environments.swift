/// Environments and their promotion order (`environments:` of policy.yml): protected refs
/// grouped by where a release runs, each after the one it must pass through first.
public struct Environment: Sendable, Equatable {
  public var name: String
  public var refs: [RefPattern]
  /// The environment a release must have reached before this one, if any.
  public var after: String?
  /// Seconds the same tree must have been in `after` (by the server's receipt) before it may
  /// come here.
  public var soak: Int = 0

  public init(name: String, refs: [RefPattern], after: String? = nil, soak: Int = 0) {
    (self.name, self.refs, self.after, self.soak) = (name, refs, after, soak)
  }

  public func holds(_ ref: String) -> Bool { refs.contains { $0.matches(ref) } }

  /// `staging (refs/heads/staging)`, for messages.
  public var described: String {
    "\(name) (\(refs.map(\.text).joined(separator: ", ")))"
  }
}

public struct Environments: Sendable, Equatable {
  /// In the policy's order; the parser refuses unknown `after` names and cycles.
  public var list: [Environment] = []

  public init(_ list: [Environment] = []) { self.list = list }

  public var isEmpty: Bool { list.isEmpty }

  public subscript(name: String) -> Environment? { list.first { $0.name == name } }

  /// The environment `ref` belongs to: the first whose patterns match it.
  public func environment(of ref: String) -> Environment? { list.first { $0.holds(ref) } }

  /// The environment a release to `ref` must have reached first, with `ref`'s own.
  public func promotion(to ref: String) -> (environment: Environment, earlier: Environment)? {
    guard let environment = environment(of: ref), let after = environment.after,
      let earlier = self[after]
    else { return nil }
    return (environment, earlier)
  }
}
