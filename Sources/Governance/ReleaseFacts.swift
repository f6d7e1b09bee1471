import Foundation

/// A record whose signature verified, with the person whose registered key made it.
public struct Signed<R: GovernanceRecord>: Sendable {
  public var record: R
  public var path: String
  public var signer: Person
  /// The registered key that made the signature (`"<type> <base64>"`), when known.
  public var key: String?

  public init(record: R, path: String, signer: Person, key: String? = nil) {
    self.record = record
    self.path = path
    self.signer = signer
    self.key = key
  }
}

/// A record that could not be trusted: unreadable, unsigned, badly signed, or signed by a
/// key nobody registered. Each one is a finding; none is skipped silently.
public struct RecordProblem: Error, Sendable, Equatable {
  public var path: String
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }
}

/// Someone who authored, committed, co-authored or signed a commit in the release range.
public struct Contributor: Sendable, Equatable {
  public var commit: String
  /// The address as the commit carries it; for a signer, the key's fingerprint.
  public var email: String
  /// The person the email (or key) resolves to, after people.yml's mailmap, if registered.
  public var person: String?
  public var contribution: Contribution

  public init(
    commit: String, email: String, person: String?,
    contribution: Contribution = .authoredOrCommitted
  ) {
    self.commit = commit
    self.email = email
    self.person = person
    self.contribution = contribution
  }
}

/// How a contributor took part in a commit. Author, committer and `Co-authored-by:` are the
/// commit's claims; a signature is proof, read only when the policy asks for signed commits.
public enum Contribution: String, Sendable, Equatable {
  case authoredOrCommitted = "authored or committed"
  case coAuthored = "co-authored"
  case signed = "signed"
}

/// Everything the evaluator needs to judge one release for one ref update, gathered from
/// the repository by the ledger. The evaluator itself does no I/O.
public struct ReleaseFacts: Sendable {
  public var request: Signed<ReleaseRequest>
  public var approvals: [Signed<Approval>]
  public var rejections: [Signed<Rejection>]
  public var problems: [RecordProblem]
  /// The commit and ref being released, and the tree the commit really has.
  public var target: String
  public var targetTree: String
  public var ref: String
  public var contributors: [Contributor]
  public var rangeSize: Int
  /// Withdrawals of rejections, of this release and of every other release of the same
  /// commit and ref (whose rejections are in `rejections` too: a rejection binds them all).
  public var withdrawals: [Signed<Withdrawal>] = []
  public var exceptions: [Signed<ReleaseException>] = []
  public var evidence: [Signed<Evidence>] = []
  public var reviews: [Signed<ReleaseReview>] = []
  /// Server receipts of pushes of this release (the trusted timeline).
  public var receipts: [Signed<PushReceipt>] = []
  /// With `environments:`, the server's receipts of pushes of this very commit to the refs of
  /// the environment this ref is promoted from (any release's), for the promotion order.
  public var promotionReceipts: [Signed<PushReceipt>] = []
  /// Closeouts of this release: once one counts, the release is over (`ReleaseLifecycle`).
  public var closeouts: [Signed<Closeout>] = []
  /// When the server first accepted a record, by path (its acceptance receipts). A record's
  /// `created` is its signer's claim; where the server's time is known, ages count from it.
  public var acceptedAt: [String: Date] = [:]
  /// The earlier policies approvals and exceptions were made under, by blob: each still
  /// counts where the change since does not touch how this release is judged.
  public var earlierPolicies: [String: Policy] = [:]
  /// Commits of the range whose people lines git and libgit2 could read differently, in
  /// words: nobody can tell who wrote them, so they block.
  public var unattributable: [String] = []
  /// Who is pushing now: on the server, as the forge says (a claim of the forge's, trusted as
  /// the forge's own authentication of the pusher); on a client, the actor. Nil when nobody
  /// says, which `pusher_may_be_sole_approver: false` treats as a block.
  public var pusher: String?
  /// The paths the release changes against the range's base (all files of a first release),
  /// worked out from the commits themselves; gathered only for `standard` requests, nil when not.
  public var changedPaths: [String]?
  /// Calendar records (freezes, incidents) that could not be trusted or did not count: shown
  /// as warnings, never blockers, since anyone could otherwise block every release with a file.
  public var calendarProblems: [RecordProblem] = []
  /// Freezes declared with `freeze add` that may be in force (the policy's own come with it).
  public var adHocFreezes: [AdHocFreeze] = []
  /// Incidents open now, by id, with their titles.
  public var openIncidents: [String: String] = [:]
  /// What the range's commit signatures showed; nil when they were not read (the policy does
  /// not ask for signed commits).
  public var signatures: RangeSignatures?
  /// Delegations that may let an approver stand in for someone else: those of the approvals
  /// made in another's place, and those in force now (offered in the verdict).
  public var delegations = Delegations()
  /// Delegation records that could not be trusted or cannot count: warnings, like calendar
  /// problems; an approval that relies on one does not count.
  public var delegationProblems: [RecordProblem] = []
  /// With `recertify_every` in the policy, the recertifications of every person's roles; nil
  /// when roles do not lapse. Problems with their records are `delegationProblems`' kin:
  /// warnings, never blockers (a record that does not count only lets a role lapse).
  public var recertifications: Recertifications?
  public var recertificationProblems: [RecordProblem] = []

  /// When a record started to count: when the server accepted it, else when its signer says
  /// it was made.
  public func countsFrom(_ path: String, created: String) -> Date? {
    acceptedAt[path] ?? Timestamp.parse(created)
  }

  public init(
    request: Signed<ReleaseRequest>, approvals: [Signed<Approval>], rejections: [Signed<Rejection>],
    problems: [RecordProblem], target: String, targetTree: String, ref: String,
    contributors: [Contributor],
    rangeSize: Int
  ) {
    self.request = request
    self.approvals = approvals
    self.rejections = rejections
    self.problems = problems
    self.target = target
    self.targetTree = targetTree
    self.ref = ref
    self.contributors = contributors
    self.rangeSize = rangeSize
  }
}
