/// What `git govern audit` found, in the form every report format is rendered from.
/// The JSON form is the stable machine contract: `status`, `finding_count`, `findings`, and
/// each release's lineage.
public struct AuditReport: Codable, Sendable, Equatable {
  /// `clean` or `findings`.
  public var status: String
  public var finding_count: Int
  public var findings: [AuditFinding]
  public var releases: [ReleaseLineage]
  public var freezes: [FreezeEntry]
  /// When the report was made, RFC 3339.
  public var generated: String
  /// The governance root commit (the repository id every record carries).
  public var repository: String
  public var governance_tip: String
  public var since: String?
  public var commit_count: Int
  public var record_count: Int
  /// The per-control view, with `audit --controls` only.
  public var controls: AuditControls?

  public init(
    findings: [AuditFinding], releases: [ReleaseLineage], freezes: [FreezeEntry], generated: String,
    repository: String,
    governanceTip: String, since: String?, commitCount: Int, recordCount: Int
  ) {
    self.findings = findings
    self.finding_count = findings.count
    self.status = findings.isEmpty ? "clean" : "findings"
    self.releases = releases
    self.freezes = freezes
    self.generated = generated
    self.repository = repository
    self.governance_tip = governanceTip
    self.since = since
    self.commit_count = commitCount
    self.record_count = recordCount
  }
}

/// One thing the audit found wrong: which check, how bad, about which release and ref.
public struct AuditFinding: Codable, Sendable, Equatable {
  /// `error` (a control failed) or `warning` (something is due or about to lapse).
  public var severity: String
  public var check: String
  public var release: String?
  public var ref: String?
  public var commit: String?
  public var message: String

  public init(
    check: String, severity: String = "error", release: String? = nil, ref: String? = nil,
    commit: String? = nil, message: String
  ) {
    self.check = check
    self.severity = severity
    self.release = release
    self.ref = ref
    self.commit = commit
    self.message = message
  }
}

/// Everything recorded about one release, in order: who asked, who approved with which roles
/// and when, exceptions, evidence, reviews, pushes and the closeout.
public struct ReleaseLineage: Codable, Sendable, Equatable {
  /// A check of the gate that blocked the release when it went out, in an auditor's words.
  public struct Blocker: Codable, Sendable, Equatable {
    public var check: String
    public var message: String

    public init(check: String, message: String) {
      self.check = check
      self.message = message
    }
  }

  public struct Step: Codable, Sendable, Equatable {
    /// request, approval, rejection, exception, evidence, review, receipt, closeout
    public var kind: String
    public var by: String
    public var roles: [String]
    public var at: String
    /// A short description: the reason, the evidence kind and hash, the outcome…
    public var detail: String

    public init(kind: String, by: String, roles: [String] = [], at: String, detail: String = "") {
      self.kind = kind
      self.by = by
      self.roles = roles
      self.at = at
      self.detail = detail
    }
  }

  public var release: String
  public var ref: String
  public var target: String
  public var type: String
  public var risk: String
  public var title: String?
  public var team: String?
  /// The lifecycle state (`ReleaseLifecycle`): requested, approved, pushed, closed, cancelled,
  /// withdrawn or rejected.
  public var state: String
  /// The change-record id the request named (`--change`).
  public var change: String?
  /// The approval rule applied, what it required and what it got.
  public var rule: RuleApplied?
  /// For a release that failed a control: what failed and who could have approved, in words
  /// for an auditor (no command to run: what shipped has shipped).
  public var remediation: String?
  /// For a release that went out while not ready: the gate's checks that blocked it then.
  public var blocked_by: [Blocker]?
  public var requested_at: String
  public var pushed_at: String?
  public var outcome: String?
  public var steps: [Step]
  /// The author time of the oldest commit the release brought (for lead time).
  public var first_commit_at: String?

  public init(
    release: String, ref: String, target: String, type: String, risk: String, title: String?,
    team: String?, state: String,
    requestedAt: String, pushedAt: String?, outcome: String?, steps: [Step],
    firstCommitAt: String? = nil, change: String? = nil, rule: RuleApplied? = nil,
    remediation: String? = nil
  ) {
    self.change = change
    self.rule = rule
    self.remediation = remediation
    self.release = release
    self.ref = ref
    self.target = target
    self.type = type
    self.risk = risk
    self.title = title
    self.team = team
    self.state = state
    self.requested_at = requestedAt
    self.pushed_at = pushedAt
    self.outcome = outcome
    self.steps = steps
    self.first_commit_at = firstCommitAt
  }
}

/// A freeze for the report's calendar.
public struct FreezeEntry: Codable, Sendable, Equatable {
  public var name: String
  /// `policy` or `ad-hoc`.
  public var kind: String
  public var from: String
  public var until: String
  public var timezone: String
  public var reason: String?

  public init(
    name: String, kind: String, from: String, until: String, timezone: String, reason: String?
  ) {
    self.name = name
    self.kind = kind
    self.from = from
    self.until = until
    self.timezone = timezone
    self.reason = reason
  }
}
