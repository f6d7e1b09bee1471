extension AuditReportRenderer {
  /// The report for a terminal: a header line, the findings grouped by severity, a compact
  /// line per release, and a one-line summary at the end. Plain text, no colour codes; control
  /// characters in recorded values are shown as escapes, never passed to the terminal.
  public static func text(_ report: AuditReport) -> String {
    var lines: [String] = []

    var header =
      "audit of repository \(shortID(report.repository)) at governance tip \(shortID(report.governance_tip)): "
      + "\(count(report.commit_count, "commit")) and \(count(report.record_count, "record")) verified, "
      + "generated \(one(report.generated))"
    if let since = report.since { header += ", since \(one(since))" }
    lines.append(header)
    lines.append("")

    if report.findings.isEmpty {
      lines.append("findings: none")
    } else {
      for group in groupedBySeverity(report.findings) {
        let title = one(group.severity)
        let heading =
          switch group.severity {
          case "error": "errors"
          case "warning": "warnings"
          default: title
          }
        lines.append("\(heading) (\(group.findings.count)):")
        for finding in group.findings {
          var subject = [finding.release, finding.ref].compactMap { $0 }.map(one).joined(
            separator: " ")
          if subject.isEmpty, let commit = finding.commit { subject = shortID(commit) }
          let prefix = "  [\(one(finding.check))]" + (subject.isEmpty ? "" : " \(subject)") + ": "
          lines.append(prefix + indented(finding.message, by: 4))
        }
      }
    }
    lines.append("")

    if report.releases.isEmpty {
      lines.append("releases: none")
    } else {
      lines.append("releases (\(report.releases.count)):")
      let rows = report.releases.map { release -> [String] in
        let approvers = approvers(release).map { approver in
          approver.roles.isEmpty
            ? one(approver.by)
            : "\(one(approver.by)) (\(approver.roles.map(one).joined(separator: ", ")))"
        }
        return [
          one(release.release),
          one(release.ref),
          one(release.state),
          "requested \(one(release.requested_at))",
          release.pushed_at.map { "pushed \(one($0))" } ?? "not pushed",
          "approvers: " + (approvers.isEmpty ? "none" : approvers.joined(separator: ", ")),
        ]
      }
      lines += aligned(rows, pad: 5).map { "  " + $0 }
    }
    lines.append("")
    if let controls = report.controls {
      lines += controlsText(controls)
      lines.append("")
    }
    lines.append(summaryLine(report))
    return lines.joined(separator: "\n") + "\n"
  }

  /// A value on one line.
  private static func one(_ text: String) -> String { visible(text, newlines: " ") }

  /// A message whose continuation lines are indented under the first.
  private static func indented(_ text: String, by width: Int) -> String {
    visible(text, newlines: "\n" + String(repeating: " ", count: width))
  }

  /// Columns padded so the first `pad` columns line up (each column at most 48 wide; a longer
  /// value pushes only its own row).
  private static func aligned(_ rows: [[String]], pad: Int) -> [String] {
    var widths = [Int](repeating: 0, count: pad)
    for row in rows {
      for column in 0..<min(pad, row.count) {
        widths[column] = max(widths[column], min(48, row[column].count))
      }
    }
    return rows.map { row in
      row.enumerated().map { column, value in
        column < pad && column < row.count - 1
          ? value + String(repeating: " ", count: max(0, widths[column] - value.count)) : value
      }.joined(separator: "  ")
    }
  }
}
