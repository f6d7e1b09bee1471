import Foundation

/// A duty an emergency opens (post-deploy validation evidence, a retrospective review by
/// someone other than the requester), with its deadline and the record that discharged it:
/// a warning while open, an audit finding once overdue or discharged late.
public struct Obligation: Sendable {
  public enum Kind: Sendable, Equatable {
    case validation
    case review
  }

  public var kind: Kind
  public var due: Date
  /// The record that discharged it: its signer, its claimed time and, for a review, its outcome.
  public var discharged: (by: String, at: String, outcome: String?)?

  public init(kind: Kind, due: Date, discharged: (by: String, at: String, outcome: String?)?) {
    self.kind = kind
    self.due = due
    self.discharged = discharged
  }

  /// Still open at `instant`, after its deadline.
  public func isOverdue(at instant: Date) -> Bool { discharged == nil && due < instant }

  /// Discharged after its deadline (by the discharging record's own time).
  public var cameLate: Bool {
    guard let at = discharged.flatMap({ Timestamp.parse($0.at) }) else { return false }
    return at > due
  }

  /// What the audit calls it when it came late.
  public var lateName: String {
    kind == .validation ? "validation evidence" : "the retrospective review"
  }
}
