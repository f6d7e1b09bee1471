import Foundation

/// Delivery and control figures over a set of releases, overall and per team. How each is
/// computed is stated on its property; medians and p90 use the nearest-rank method.
public struct ReleaseMetrics: Codable, Sendable, Equatable {
  public struct Figures: Codable, Sendable, Equatable {
    /// Releases requested in the period.
    public var releases: Int
    /// Releases with at least one push receipt, or whose ref holds them.
    public var pushed: Int
    /// Request to the last approval or exception signature, in seconds, over releases that have one.
    public var approval_cycle_median: Int?
    public var approval_cycle_p90: Int?
    /// Author time of the oldest commit in the range to the first push, in seconds, over pushed releases.
    public var lead_time_median: Int?
    public var lead_time_p90: Int?
    /// Releases with an emergency exception, and that count over all releases.
    public var emergencies: Int
    public var emergency_rate: Double?
    /// Exception records of any kind.
    public var exceptions: Int
    /// Closeouts by outcome; rollback rate = rolled-back / closeouts that deployed, rolled back or failed;
    /// change-failure rate = (rolled-back + failed) / the same.
    public var closeouts: [String: Int]
    public var rollback_rate: Double?
    public var change_failure_rate: Double?
    /// Open obligations past their deadline.
    public var overdue_obligations: Int
  }

  public var from: String?
  public var until: String?
  public var overall: Figures
  public var teams: [String: Figures]

  public static func compute(_ report: AuditReport, from: Date?, until: Date?) -> ReleaseMetrics {
    let selected = report.releases.filter { release in
      guard let requested = Timestamp.parse(release.requested_at) else { return false }
      return (from.map { requested >= $0 } ?? true) && (until.map { requested < $0 } ?? true)
    }
    let overdue = report.findings.filter { $0.check == "obligations" && $0.severity == "error" }
    var teams: [String: Figures] = [:]
    for (team, releases) in Dictionary(grouping: selected, by: { $0.team ?? "(no team)" }) {
      let ids = Set(releases.map(\.release))
      teams[team] = figures(
        releases, overdue: overdue.filter { ids.contains($0.release ?? "") }.count)
    }
    return ReleaseMetrics(
      from: from.map(Timestamp.format), until: until.map(Timestamp.format),
      overall: figures(selected, overdue: overdue.count),
      teams: teams)
  }

  static func figures(_ releases: [ReleaseLineage], overdue: Int) -> Figures {
    var cycles: [Int] = []
    var leads: [Int] = []
    var emergencies = 0
    var exceptions = 0
    var outcomes: [String: Int] = [:]
    for release in releases {
      guard let requested = Timestamp.parse(release.requested_at) else { continue }
      let signatures = release.steps.filter { $0.kind == "approval" || $0.kind == "exception" }
        .compactMap { Timestamp.parse($0.at) }
      if let last = signatures.max() { cycles.append(Int(last.timeIntervalSince(requested))) }
      if let pushed = release.pushed_at.flatMap(Timestamp.parse),
        let first = release.first_commit_at.flatMap(Timestamp.parse)
      {
        leads.append(Int(pushed.timeIntervalSince(first)))
      }
      let releaseExceptions = release.steps.filter { $0.kind == "exception" }
      exceptions += releaseExceptions.count
      if releaseExceptions.contains(where: { $0.detail.hasPrefix("emergency") }) {
        emergencies += 1
      }
      if let outcome = release.outcome { outcomes[outcome, default: 0] += 1 }
    }
    let deployments =
      (outcomes["deployed"] ?? 0) + (outcomes["rolled-back"] ?? 0) + (outcomes["failed"] ?? 0)
    return Figures(
      releases: releases.count, pushed: releases.filter { $0.pushed_at != nil }.count,
      approval_cycle_median: percentile(cycles, 50), approval_cycle_p90: percentile(cycles, 90),
      lead_time_median: percentile(leads, 50), lead_time_p90: percentile(leads, 90),
      emergencies: emergencies,
      emergency_rate: releases.isEmpty ? nil : Double(emergencies) / Double(releases.count),
      exceptions: exceptions,
      closeouts: outcomes,
      rollback_rate: deployments == 0
        ? nil : Double(outcomes["rolled-back"] ?? 0) / Double(deployments),
      change_failure_rate: deployments == 0
        ? nil
        : Double((outcomes["rolled-back"] ?? 0) + (outcomes["failed"] ?? 0)) / Double(deployments),
      overdue_obligations: overdue)
  }

  /// Nearest rank: the smallest value with at least p% of the values at or below it.
  public static func percentile(_ values: [Int], _ p: Int) -> Int? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let rank = Int((Double(p) / 100 * Double(sorted.count)).rounded(.up))
    return sorted[max(rank, 1) - 1]
  }
}
