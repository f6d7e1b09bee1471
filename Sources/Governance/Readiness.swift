/// One line of a readiness verdict.
public struct Check: Sendable, Equatable, Codable {
  public enum Status: String, Sendable, Codable { case pass, warn, blocker }
  public var name: String
  public var status: Status
  public var message: String

  public init(_ name: String, _ status: Status, _ message: String) {
    self.name = name
    self.status = status
    self.message = message
  }
}

/// Whether a release may go to its ref now, and why.
public struct Readiness: Sendable, Equatable {
  public enum Status: String, Sendable, Codable {
    case ready
    case readyWithWarnings = "ready_with_warnings"
    case blocked
  }
  public var release: String
  public var target: String
  public var ref: String
  public var checks: [Check]

  public init(release: String, target: String, ref: String, checks: [Check]) {
    self.release = release
    self.target = target
    self.ref = ref
    self.checks = checks
  }

  public var blockers: [Check] { checks.filter { $0.status == .blocker } }
  public var warnings: [Check] { checks.filter { $0.status == .warn } }

  public var status: Status {
    if !blockers.isEmpty { return .blocked }
    return warnings.isEmpty ? .ready : .readyWithWarnings
  }
}
