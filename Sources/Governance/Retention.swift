import Foundation

/// A record of a release's retention folder (`retention/<release>/`): a review, its decision
/// or a legal hold. Each names its release, so one misplaced in another release's folder is
/// told apart.
public protocol RetentionRecord: GovernanceRecord {
  /// The release whose retention it is about.
  var release: String { get }
  /// How a message names it, up to its release: "a retention review of".
  static var described: String { get }
}

/// A request to review how long a release's records and artifacts are kept: to delete them
/// once their retention ends, or to keep them longer. It decides nothing until someone else,
/// holding a `retention.review` role, approves it (`RetentionDecision`).
public struct RetentionReview: RetentionRecord, Equatable {
  public enum Action: String, Codable, Sendable {
    case delete
    case extend
  }

  public static let recordKind = "retention-review"
  public static let described = "a retention review of"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var action: Action
  /// With `extend`: the new end of retention, RFC 3339.
  public var retain_until: String?
  public var reason: String

  public init(
    _ by: RecordAuthorship, release: String, action: Action, retainUntil: String?, reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.action, self.retain_until, self.reason) = (
      release, action, retainUntil, reason
    )
  }
}

/// The answer to a retention review, by a holder of a `retention.review` role other than the
/// person who asked.
public struct RetentionDecision: RetentionRecord, Equatable {
  public enum Outcome: String, Codable, Sendable {
    case approved
    case rejected
  }

  public static let recordKind = "retention-decision"
  public static let described = "a retention decision on"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  /// The file name of the review it answers, in the same folder.
  public var review: String
  public var outcome: Outcome
  public var note: String?

  public init(
    _ by: RecordAuthorship, release: String, review: String, outcome: Outcome, note: String?
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.review, self.outcome, self.note) = (release, review, outcome, note)
  }
}

/// A legal hold set on, or lifted from, a release's records and artifacts, by a holder of a
/// `retention.hold` role. While one is in force nothing of the release may be deleted,
/// whatever its retention says.
public struct LegalHold: RetentionRecord, Equatable {
  public enum Action: String, Codable, Sendable {
    case set
    case lift
  }

  public static let recordKind = "legal-hold"
  public static let described = "a legal hold on"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var action: Action
  /// With `lift`: what it lifts, the file names of hold records in the same folder, or
  /// `closeout` for the hold the closeout set. Naming them keeps the outcome independent of
  /// the order in which records were made (their times are their signers' claims).
  public var lifts: [String]?
  public var reason: String

  public static let closeoutHold = "closeout"

  public init(
    _ by: RecordAuthorship, release: String, action: Action, lifts: [String]? = nil,
    reason: String
  ) {
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.action, self.lifts, self.reason) = (release, action, lifts, reason)
  }
}

/// `retention:` in policy.yml: who approves retention reviews and who sets and lifts holds.
public struct RetentionRoles: Sendable, Equatable {
  public var review: [String] = ["policy-admin"]
  public var hold: [String] = ["policy-admin"]
  public init() {}
}
