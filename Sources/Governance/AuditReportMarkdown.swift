extension AuditReportRenderer {
  /// The report as GitHub-flavoured Markdown an auditor can paste: a title, a summary table,
  /// the findings, each release's lineage as a table of steps, and the freeze calendar. Every
  /// recorded value is escaped, so a `|` or a line break in a message cannot break a table and
  /// markup in a record is shown, not rendered.
  public static func markdown(_ report: AuditReport) -> String {
    var out: [String] = []
    out.append("# git-govern audit report")
    out.append("")
    out.append("**\(markdownInline(summaryLine(report)))**")
    out.append("")

    var summary: [[String]] = [
      ["Status", markdownCell(report.findings.isEmpty ? "clean" : "findings")],
      ["Repository", markdownCode(report.repository)],
      ["Governance tip", markdownCode(report.governance_tip)],
    ]
    if let since = report.since { summary.append(["Since", markdownCell(since)]) }
    summary += [
      ["Generated", markdownCell(report.generated)],
      ["Commits verified", "\(report.commit_count)"],
      ["Records verified", "\(report.record_count)"],
      ["Releases", "\(report.releases.count)"],
      [
        "Findings",
        report.findings.isEmpty
          ? "0" : "\(report.findings.count) (\(markdownCell(severityBreakdown(report.findings))))",
      ],
      ["Freezes", "\(report.freezes.count)"],
    ]
    out += markdownTable(["Item", "Value"], summary)
    out.append("")

    out.append("## Findings")
    out.append("")
    if report.findings.isEmpty {
      out.append("No findings.")
    } else {
      out += markdownTable(
        ["Check", "Severity", "Release", "Ref", "Message"],
        groupedBySeverity(report.findings).flatMap(\.findings).map { finding in
          [
            markdownCell(finding.check), markdownCell(finding.severity),
            markdownCell(finding.release ?? ""),
            markdownCell(finding.ref ?? ""), markdownCell(finding.message),
          ]
        })
    }
    out.append("")

    if let controls = report.controls { out += controlsMarkdown(controls) }

    out.append("## Releases")
    out.append("")
    if report.releases.isEmpty {
      out.append("No releases.")
      out.append("")
    }
    for release in report.releases {
      var heading = "### " + markdownInline(release.release, heading: true)
      if let title = release.title, !title.isEmpty {
        heading += ": " + markdownInline(title, heading: true)
      }
      out.append(heading)
      out.append("")
      var facts: [(String, String)] = [
        ("Ref", markdownInline(release.ref)),
        ("Target", markdownCode(release.target)),
        ("Type", markdownInline(release.type)),
        ("Risk", markdownInline(release.risk)),
      ]
      if let team = release.team { facts.append(("Team", markdownInline(team))) }
      facts += [
        ("State", markdownInline(release.state)),
        ("Requested", markdownInline(release.requested_at)),
        ("Pushed", release.pushed_at.map { markdownInline($0) } ?? "not pushed"),
      ]
      if let outcome = release.outcome { facts.append(("Outcome", markdownInline(outcome))) }
      if let first = release.first_commit_at {
        facts.append(("First commit", markdownInline(first)))
      }
      if let change = release.change { facts.append(("Change", markdownInline(change))) }
      if let rule = release.rule { facts.append(("Rule", markdownInline(ruleText(rule)))) }
      if let remediation = release.remediation {
        facts.append(("Remediation", markdownInline(remediation)))
      }
      out += facts.map { "- \($0.0): \($0.1)" }
      out.append("")
      if release.steps.isEmpty {
        out.append("No recorded steps.")
      } else {
        out += markdownTable(
          ["Kind", "By", "Roles", "At", "Detail"],
          release.steps.map { step in
            [
              markdownCell(step.kind), markdownCell(step.by),
              markdownCell(step.roles.joined(separator: ", ")),
              markdownCell(step.at), markdownCell(step.detail),
            ]
          })
      }
      out.append("")
    }

    out.append("## Freeze calendar")
    out.append("")
    if report.freezes.isEmpty {
      out.append("No freezes.")
    } else {
      out += markdownTable(
        ["Name", "Kind", "From", "Until", "Time zone", "Reason"],
        report.freezes.map { freeze in
          [
            markdownCell(freeze.name), markdownCell(freeze.kind), markdownCell(freeze.from),
            markdownCell(freeze.until), markdownCell(freeze.timezone),
            markdownCell(freeze.reason ?? ""),
          ]
        })
    }
    out.append("")
    return out.joined(separator: "\n")
  }

  /// A GFM table; empty cells show as an em dash so every row visibly has every column.
  static func markdownTable(_ header: [String], _ rows: [[String]]) -> [String] {
    func row(_ cells: [String]) -> String {
      "| " + cells.map { $0.isEmpty ? "—" : $0 }.joined(separator: " | ") + " |"
    }
    return [row(header), "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
      + rows.map(row)
  }

  /// A value inside a table cell: escaped, line breaks as `<br>`.
  static func markdownCell(_ text: String) -> String {
    markdownEscape(visible(text, newlines: "\n")).replacingOccurrences(of: "\n", with: "<br>")
  }

  /// A value in running text or a heading: escaped, on one line.
  static func markdownInline(_ text: String, heading: Bool = false) -> String {
    var escaped = markdownEscape(visible(text, newlines: " "))
    if heading { escaped = escaped.replacingOccurrences(of: "#", with: "\\#") }
    return escaped
  }

  /// An object id as code when it is plain hex (so it cannot carry markup), escaped otherwise.
  static func markdownCode(_ text: String) -> String {
    if !text.isEmpty,
      text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
    {
      return "`\(text)`"
    }
    return markdownCell(text)
  }

  /// Backslash-escapes the characters that could make a recorded value into a table cell
  /// boundary, HTML, a link, emphasis or code. (Any ASCII punctuation may be escaped in
  /// CommonMark, and the escape is shown as the plain character.)
  static func markdownEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "\\", "|", "<", ">", "`", "*", "[", "]", "&", "~":
        out.append("\\")
        out.append(character)
      default:
        out.append(character)
      }
    }
    return out
  }
}
