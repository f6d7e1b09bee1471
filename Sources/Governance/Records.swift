/// The genesis record: which policy and people the governance branch started with.
public struct RepositoryRecord: GovernanceRecord, Equatable {
  public static let recordKind = "repository"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  /// Blob OIDs of the first `policy.yml` and `people.yml`.
  public var policy: String
  public var people: String
  /// The protected refs and the commits they pointed at when governance began, signed by the
  /// first admin: what was released before governance, which the audit does not call a
  /// bypass. (Commit dates are only their writers' claim.) Absent in branches made before
  /// git-govern wrote it.
  public var baseline: [String: String]?
  /// The commit `init --baseline <rev>` named: it and everything it reaches were released
  /// before governance, so no release's range holds them (an existing repository's first
  /// release would otherwise bring its whole history, and everyone who ever committed would
  /// count as its author). Signed with the genesis record, so it is part of the proven state;
  /// absent when init was not given one.
  public var baseline_commit: String?

  public init(
    _ by: RecordAuthorship, policy: String, people: String, baseline: [String: String]? = nil,
    baselineCommit: String? = nil
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    self.policy = policy
    self.people = people
    self.baseline = baseline
    self.baseline_commit = baselineCommit
  }
}

/// A request to release commit `target` to `ref`.
public struct ReleaseRequest: ReleaseBoundRecord, Equatable {
  public static let recordKind = "request"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var target: String
  public var tree: String
  public var ref: String
  public var type: ReleaseType
  public var risk: Risk
  public var change: String?
  public var title: String?
  /// The open incident this release fixes; it may go out while that incident blocks the rest.
  public var incident: String?

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    type: ReleaseType,
    risk: Risk, change: String? = nil, title: String? = nil, incident: String? = nil
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.type, self.risk, self.change, self.title, self.incident) = (
      type, risk, change, title, incident
    )
  }
}

/// A signed approval of one release, for its exact commit, tree and ref, under one policy.
public struct Approval: ReleaseBoundRecord, Equatable {
  public static let recordKind = "approval"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var target: String
  public var tree: String
  public var ref: String
  /// Blob OID of the `policy.yml` in force when it was signed.
  public var policy: String
  public var comment: String?
  /// The principal in whose place the signer approves, under a `Delegation` from them; nil
  /// for an approval in the signer's own name.
  public var on_behalf_of: String?

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    policy: String,
    comment: String? = nil, onBehalfOf: String? = nil
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref, self.policy) = (
      release, target, tree, ref, policy
    )
    self.comment = comment
    self.on_behalf_of = onBehalfOf
  }
}

/// A signed rejection: the release is blocked while it stands.
public struct Rejection: ReleaseBoundRecord, Equatable {
  public static let recordKind = "rejection"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var target: String
  public var tree: String
  public var ref: String
  public var policy: String
  public var reason: String

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    policy: String,
    reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref, self.policy) = (
      release, target, tree, ref, policy
    )
    self.reason = reason
  }
}

/// A signed change of `policy.yml` or `people.yml`: from the blob `base` to the blob `blob`.
/// It is in force once enough `policy-admin`s, as counted by the policy and people in force
/// before it (`policy`, `people`), have signed it; the proposer's record is the first signature.
public struct ChangeProposal: GovernanceRecord, Equatable {
  public static let recordKind = "change"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var file: String
  public var blob: String
  public var base: String
  public var policy: String
  public var people: String
  public var summary: String

  public init(
    _ by: RecordAuthorship, file: String, blob: String, base: String, policy: String,
    people: String,
    summary: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.file, self.blob, self.base, self.policy, self.people, self.summary) = (
      file, blob, base, policy, people, summary
    )
  }
}
