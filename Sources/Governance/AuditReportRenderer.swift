import Foundation

/// Renders an ``AuditReport`` for people: `text` for a terminal, `markdown` for an auditor to
/// paste into a ticket or wiki, `html` for one self-contained page (no scripts, no external
/// resources) that prints well. The JSON form is the report's own `Codable` shape.
///
/// Every renderer is pure: the same report always gives the same bytes, whatever the clock,
/// locale or time zone of the machine.
public enum AuditReportRenderer {}

// MARK: - Shared helpers for the three formats

extension AuditReportRenderer {
  /// The first 12 characters of an object id, as an auditor would type it back into git.
  static func shortID(_ oid: String) -> String {
    let trimmed = visible(oid, newlines: " ")
    if trimmed.isEmpty { return "(none)" }
    return String(trimmed.prefix(12))
  }

  /// `1 release`, `2 releases`.
  static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))"
  }

  /// Characters that would let a hostile record rewrite a terminal, a table or the reading
  /// order: C0/C1 controls (except newline), DEL, and the bidirectional overrides and isolates.
  /// They are shown as `\u{…}` escapes; line breaks become `newlines`.
  static func visible(_ text: String, newlines: String = "\n") -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var previousWasCR = false
    for scalar in text.unicodeScalars {
      defer { previousWasCR = scalar == "\r" }
      switch scalar.value {
      case 0x0A:
        if !previousWasCR { out += newlines }
      case 0x0D:
        out += newlines
      case 0x09:
        out += " "
      case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default:
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Findings grouped by severity, errors first, then warnings, then any other severity by
  /// name; within a group the audit's own order is kept.
  static func groupedBySeverity(_ findings: [AuditFinding]) -> [(
    severity: String, findings: [AuditFinding]
  )] {
    var groups: [String: [AuditFinding]] = [:]
    for finding in findings { groups[finding.severity, default: []].append(finding) }
    return groups.keys.sorted {
      severityRank($0) < severityRank($1) || (severityRank($0) == severityRank($1) && $0 < $1)
    }
    .map { ($0, groups[$0]!) }
  }

  static func severityRank(_ severity: String) -> Int {
    switch severity {
    case "error": return 0
    case "warning": return 1
    default: return 2
    }
  }

  /// `clean: 12 releases, 240 records verified` or `3 findings (2 errors, 1 warning)`.
  static func summaryLine(_ report: AuditReport) -> String {
    if report.findings.isEmpty {
      return
        "clean: \(count(report.releases.count, "release")), \(count(report.record_count, "record")) verified"
    }
    return "\(count(report.findings.count, "finding")) (\(severityBreakdown(report.findings)))"
  }

  /// `2 errors, 1 warning`.
  static func severityBreakdown(_ findings: [AuditFinding]) -> String {
    groupedBySeverity(findings).map { group in
      count(group.findings.count, visible(group.severity, newlines: " "))
    }.joined(separator: ", ")
  }

  /// The rule a release was judged by, what it required and what it got, in one line:
  /// `"default": 1 approval required, 1 counted (carol); role security: 1 required, 0 counted`.
  static func ruleText(_ rule: RuleApplied) -> String {
    var text =
      "\"\(rule.name)\": \(rule.approvals_required) approval\(rule.approvals_required == 1 ? "" : "s") required, "
      + "\(rule.approvals_counted) counted"
      + (rule.approved_by.isEmpty ? "" : " (\(rule.approved_by.joined(separator: ", ")))")
    for role in rule.roles {
      text += "; role \(role.role): \(role.required) required, \(role.counted) counted"
    }
    return text
  }

  /// The people who approved a release, once each, in the order they first approved, with
  /// every role they approved under.
  static func approvers(_ release: ReleaseLineage) -> [(by: String, roles: [String])] {
    var order: [String] = []
    var roles: [String: [String]] = [:]
    for step in release.steps where step.kind == "approval" {
      if roles[step.by] == nil {
        order.append(step.by)
        roles[step.by] = []
      }
      for role in step.roles where !roles[step.by]!.contains(role) { roles[step.by]!.append(role) }
    }
    return order.map { ($0, roles[$0]!) }
  }
}

// MARK: - Time axis

/// A linear time axis for the HTML timeline and freeze calendar. The timeline's axis spans the
/// releases (freezes are shaded where they overlap it: the audit lists freezes weeks ahead,
/// which would squeeze the releases into a corner); the calendar's spans releases and freezes.
/// With no instants there is no axis; with one (or all equal) the domain is widened to an hour
/// around it, so nothing divides by zero. Times that do not parse are left out.
struct AuditTimeAxis: Equatable {
  let start: Date
  let end: Date

  /// Every instant in the report: releases, their steps, and freezes.
  init?(_ report: AuditReport) {
    let freezes = report.freezes.flatMap { [$0.from, $0.until] }.compactMap(Timestamp.parse)
    self.init(Self.releaseDates(report) + freezes)
  }

  /// The releases' instants, or, when no release has one, the freezes'.
  init?(releasesOf report: AuditReport) {
    let dates = Self.releaseDates(report)
    if dates.isEmpty { self.init(report) } else { self.init(dates) }
  }

  private static func releaseDates(_ report: AuditReport) -> [Date] {
    var dates: [Date] = []
    for release in report.releases {
      dates += [release.requested_at, release.pushed_at].compactMap { $0.flatMap(Timestamp.parse) }
      dates += release.steps.compactMap { Timestamp.parse($0.at) }
    }
    return dates
  }

  init?(_ dates: [Date]) {
    guard let low = dates.min(), let high = dates.max() else { return nil }
    var span = high.timeIntervalSince(low)
    if !(span > 0) || !span.isFinite {
      self.start = low.addingTimeInterval(-1800)
      self.end = low.addingTimeInterval(1800)
      return
    }
    // A little room at each end so markers at the extremes are not cut in half.
    span *= 0.02
    self.start = low.addingTimeInterval(-span)
    self.end = high.addingTimeInterval(span)
  }

  var span: TimeInterval { end.timeIntervalSince(start) }

  /// Where `date` falls, 0…100 (clamped).
  func percent(_ date: Date) -> Double {
    let span = self.span
    guard span > 0 else { return 50 }
    let value = date.timeIntervalSince(start) / span * 100
    return min(100, max(0, value))
  }

  /// Ticks at round UTC instants (whole days, hours, minutes… whichever step gives at most
  /// `maximum` of them inside the axis), each labelled as precisely as its step needs.
  func ticks(maximum: Int = 6) -> [(percent: Double, label: String)] {
    let minute = 60.0
    let hour = 3600.0
    let day = 86_400.0
    let steps: [TimeInterval] = [
      1, 5, 15, 30, minute, 5 * minute, 15 * minute, 30 * minute, hour, 3 * hour, 6 * hour,
      12 * hour, day, 2 * day,
      7 * day, 14 * day, 28 * day, 91 * day, 182 * day, 364 * day,
    ]
    let span = self.span
    guard span > 0, maximum >= 1 else { return [] }
    let step =
      steps.first { (span / $0).rounded(.down) < Double(maximum) }
      ?? (span / Double(maximum) / (364 * day)).rounded(.up) * 364 * day
    let first = (start.timeIntervalSince1970 / step).rounded(.up) * step
    var ticks: [(percent: Double, label: String)] = []
    var instant = first
    while instant <= end.timeIntervalSince1970, ticks.count < maximum + 1 {
      let date = Date(timeIntervalSince1970: instant)
      let stamp = Timestamp.format(date)  // 2026-11-22T04:32:25Z
      let label =
        step >= day
        ? String(stamp.prefix(10))
        : step >= minute
          ? String(stamp.prefix(16)).replacingOccurrences(of: "T", with: " ")
          : String(stamp.prefix(19)).replacingOccurrences(of: "T", with: " ")
      ticks.append((percent(date), label))
      instant += step
    }
    return ticks
  }
}
