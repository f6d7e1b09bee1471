/// A record whose signature verified, with the person whose registered key made it.
public struct Signed<R: GovernanceRecord>: Sendable {
  public var record: R
  public var path: String
  public var signer: Person

  public init(record: R, path: String, signer: Person) {
    self.record = record
    self.path = path
    self.signer = signer
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
  public var exceptions: [Signed<ReleaseException>] = []
  public var evidence: [Signed<Evidence>] = []
  public var reviews: [Signed<ReleaseReview>] = []
  /// Server receipts of pushes of this release (the trusted timeline).
  public var receipts: [Signed<PushReceipt>] = []
  /// Who is pushing now, as the forge says, when it says.
  public var pusher: String?
  /// Freezes declared with `freeze add` that may be in force (the policy's own come with it).
  public var adHocFreezes: [AdHocFreeze] = []
  /// Incidents open now, by id, with their titles.
  public var openIncidents: [String: String] = [:]
  /// What the range's commit signatures showed; nil when they were not read (the policy does
  /// not ask for signed commits).
  public var signatures: RangeSignatures?

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
