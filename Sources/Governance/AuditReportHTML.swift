import Foundation

extension AuditReportRenderer {
  /// The report as one self-contained HTML page: inline CSS only, no scripts, no external
  /// resources (a Content-Security-Policy forbids loading any), every recorded value escaped.
  /// Sections: the summary, the findings, with `--controls` the per-control view
  /// (`#controls`), a release timeline (`#timeline`), the freeze calendar (`#freeze-calendar`)
  /// and the approval lineage of each release (`#lineage`).
  /// It prints legibly: light backgrounds, release sections kept on one page where they fit.
  public static func html(_ report: AuditReport) -> String {
    let timelineAxis = AuditTimeAxis(releasesOf: report)
    let calendarAxis = AuditTimeAxis(report)
    var anchors: [String: String] = [:]
    for (index, release) in report.releases.enumerated() where anchors[release.release] == nil {
      anchors[release.release] = "release-\(index + 1)"
    }

    var page = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
      <meta name="generator" content="git-govern">
      <title>git-govern audit report: \(escapeHTML(summaryLine(report)))</title>
      <style>
      \(auditStyleSheet)
      </style>
      </head>
      <body>

      """
    page += htmlSummary(report)
    page += "<main>\n"
    page += htmlFindings(report, anchors: anchors)
    if let controls = report.controls { page += htmlControls(controls, anchors: anchors) }
    page += htmlTimeline(report, axis: timelineAxis, anchors: anchors)
    page += htmlFreezeCalendar(report, axis: calendarAxis)
    page += htmlLineage(report)
    page += "</main>\n"
    page +=
      "<footer>Generated \(escapeHTML(report.generated)) by git-govern audit. \(escapeHTML(summaryLine(report))).</footer>\n"
    page += "</body>\n</html>\n"
    return page
  }

  // MARK: Sections

  private static func htmlSummary(_ report: AuditReport) -> String {
    let clean = report.findings.isEmpty
    var out = "<header class=\"summary\" id=\"summary\">\n<h1>git-govern audit report</h1>\n"
    out += "<p class=\"status \(clean ? "status-clean" : "status-findings")\">"
    out += escapeHTML(summaryLine(report)) + "</p>\n"
    var facts: [(String, String)] = [
      ("Repository", "<code>\(escapeHTML(report.repository))</code>"),
      ("Governance tip", "<code>\(escapeHTML(report.governance_tip))</code>"),
      ("Generated", escapeHTML(report.generated)),
    ]
    if let since = report.since { facts.append(("Since", escapeHTML(since))) }
    facts += [
      ("Commits verified", "\(report.commit_count)"),
      ("Records verified", "\(report.record_count)"),
      ("Releases", "\(report.releases.count)"),
      (
        "Findings",
        clean ? "0" : "\(report.findings.count) (\(escapeHTML(severityBreakdown(report.findings))))"
      ),
      ("Freezes", "\(report.freezes.count)"),
    ]
    out += htmlFacts(facts)
    out += "<nav class=\"toc\"><a href=\"#findings\">Findings</a> "
    if report.controls != nil { out += "<a href=\"#controls\">Controls</a> " }
    out += "<a href=\"#timeline\">Release timeline</a> "
    out +=
      "<a href=\"#freeze-calendar\">Freeze calendar</a> <a href=\"#lineage\">Approval lineage</a></nav>\n"
    out += "</header>\n"
    return out
  }

  private static func htmlFindings(_ report: AuditReport, anchors: [String: String]) -> String {
    var out = "<section id=\"findings\">\n<h2>Findings</h2>\n"
    if report.findings.isEmpty {
      out += "<p class=\"empty\">No findings: every check passed.</p>\n</section>\n"
      return out
    }
    out +=
      "<table class=\"findings\">\n<thead><tr><th>Check</th><th>Severity</th><th>Release</th><th>Ref</th>"
    out += "<th>Message</th></tr></thead>\n<tbody>\n"
    for finding in groupedBySeverity(report.findings).flatMap(\.findings) {
      let severity = severityClass(finding.severity)
      out += "<tr class=\"finding \(severity)\">"
      out += "<td><code>\(escapeHTML(finding.check))</code></td>"
      out += "<td><span class=\"badge \(severity)\">\(escapeHTML(finding.severity))</span></td>"
      if let release = finding.release {
        if let anchor = anchors[release] {
          out += "<td><a href=\"#\(anchor)\">\(escapeHTML(release))</a></td>"
        } else {
          out += "<td>\(escapeHTML(release))</td>"
        }
      } else {
        out += "<td class=\"none\">—</td>"
      }
      out += "<td>" + (finding.ref.map { "<code>\(escapeHTML($0))</code>" } ?? "—") + "</td>"
      var message = escapeHTML(finding.message, keepNewlines: true)
      if let commit = finding.commit {
        message += " <span class=\"commit\">(commit <code>\(escapeHTML(commit))</code>)</span>"
      }
      out += "<td class=\"text\">\(message)</td></tr>\n"
    }
    out += "</tbody>\n</table>\n</section>\n"
    return out
  }

  private static func htmlTimeline(
    _ report: AuditReport, axis: AuditTimeAxis?, anchors: [String: String]
  ) -> String {
    var out = "<section id=\"timeline\" class=\"timeline\">\n<h2>Release timeline</h2>\n"
    if report.releases.isEmpty {
      out += "<p class=\"empty\">No releases in this report.</p>\n</section>\n"
      return out
    }
    out +=
      "<p class=\"legend\"><span class=\"key\"><span class=\"swatch bar\"></span>request to push</span>"
    out += "<span class=\"key\"><span class=\"marker approval\"></span>approval</span>"
    out += "<span class=\"key\"><span class=\"marker rejection\"></span>rejection</span>"
    out += "<span class=\"key\"><span class=\"marker exception\"></span>exception</span>"
    out += "<span class=\"key\"><span class=\"swatch kind-policy\"></span>policy freeze</span>"
    out +=
      "<span class=\"key\"><span class=\"swatch kind-ad-hoc\"></span>ad-hoc freeze</span></p>\n"
    out += "<div class=\"tl\">\n"
    if let axis {
      out +=
        "<div class=\"tl-row tl-axis\"><div class=\"tl-label\">UTC</div><div class=\"tl-track\">"
      let ticks = axis.ticks()
      for tick in ticks {
        // Labels near an edge hang inward so they are not cut off.
        let position = tick.percent < 6 ? " first" : tick.percent > 94 ? " last" : ""
        out +=
          "<span class=\"tick\(position)\" style=\"left:\(percent(tick.percent))\">\(escapeHTML(tick.label))</span>"
      }
      out += "</div></div>\n"
    }
    out += "<div class=\"tl-body\">\n"
    if let axis {
      out += "<div class=\"tl-overlay\" aria-hidden=\"true\">"
      for tick in axis.ticks() {
        out += "<span class=\"gridline\" style=\"left:\(percent(tick.percent))\"></span>"
      }
      for freeze in report.freezes {
        guard let span = window(freeze, on: axis) else { continue }
        out += "<span class=\"freeze-shade \(freezeClass(freeze.kind))\" "
        out += "style=\"left:\(percent(span.left));width:\(percent(span.width))\"></span>"
      }
      out += "</div>\n"
    }
    for release in report.releases {
      out += "<div class=\"tl-row release-row\">"
      out +=
        "<div class=\"tl-label\"><a href=\"#\(anchors[release.release] ?? "lineage")\">\(escapeHTML(release.release))</a>"
      out += "<span class=\"ref\">\(escapeHTML(release.ref))</span></div>"
      out += "<div class=\"tl-track\">"
      out += releaseBar(release, axis: axis)
      out += "</div></div>\n"
    }
    out += "</div>\n</div>\n</section>\n"
    return out
  }

  /// The bar from the request to the push (or the last recorded step), with its markers;
  /// a release with no time that parses gets an unplaced bar saying so.
  private static func releaseBar(_ release: ReleaseLineage, axis: AuditTimeAxis?) -> String {
    let id = escapeHTML(release.release)
    let state = stateClass(release.state)
    let stepDates = release.steps.compactMap { Timestamp.parse($0.at) }
    let start = Timestamp.parse(release.requested_at) ?? stepDates.min()
    let end = release.pushed_at.flatMap(Timestamp.parse) ?? stepDates.max() ?? start
    var title =
      "\(release.release) \(release.ref): \(release.state), requested \(release.requested_at)"
    title += release.pushed_at.map { ", pushed \($0)" } ?? ", not pushed"
    guard let axis, let start, let end else {
      return
        "<span class=\"release-bar unplaced \(state)\" data-release=\"\(id)\" title=\"\(escapeHTML(title))\">"
        + "time not recorded</span>"
    }
    let left = axis.percent(min(start, end))
    let width = max(0, axis.percent(max(start, end)) - left)
    var out =
      "<span class=\"release-bar \(state)\" data-release=\"\(id)\" title=\"\(escapeHTML(title))\" "
    out += "style=\"left:\(percent(left));width:\(percent(width))\"></span>"
    for step in release.steps where ["approval", "rejection", "exception"].contains(step.kind) {
      guard let at = Timestamp.parse(step.at) else { continue }
      var label = "\(step.kind) by \(step.by)"
      if !step.roles.isEmpty { label += " (\(step.roles.joined(separator: ", ")))" }
      label += " at \(step.at)"
      if !step.detail.isEmpty { label += ": \(step.detail)" }
      out += "<span class=\"marker \(step.kind)\" style=\"left:\(percent(axis.percent(at)))\" "
      out += "title=\"\(escapeHTML(label))\"></span>"
    }
    return out
  }

  private static func htmlFreezeCalendar(_ report: AuditReport, axis: AuditTimeAxis?) -> String {
    var out = "<section id=\"freeze-calendar\">\n<h2>Freeze calendar</h2>\n"
    if report.freezes.isEmpty {
      out += "<p class=\"empty\">No freezes in this report.</p>\n</section>\n"
      return out
    }
    out +=
      "<table class=\"freezes\">\n<thead><tr><th>Name</th><th>Kind</th><th>From</th><th>Until</th>"
    out += "<th>Time zone</th><th>Reason</th><th class=\"window\">Window"
    if let axis {
      let stamps = [axis.start, axis.end].map { String(Timestamp.format($0).prefix(10)) }
      out += " <span class=\"scale\">(\(stamps[0]) to \(stamps[1]), UTC)</span>"
    }
    out += "</th></tr></thead>\n<tbody>\n"
    for freeze in report.freezes {
      let kind = freezeClass(freeze.kind)
      out += "<tr class=\"freeze \(kind)\">"
      out += "<td>\(escapeHTML(freeze.name))</td>"
      out += "<td><span class=\"badge \(kind)\">\(escapeHTML(freeze.kind))</span></td>"
      out +=
        "<td class=\"at\">\(escapeHTML(freeze.from))</td><td class=\"at\">\(escapeHTML(freeze.until))</td>"
      out += "<td>\(escapeHTML(freeze.timezone))</td>"
      out +=
        "<td class=\"text\">\(freeze.reason.map { escapeHTML($0, keepNewlines: true) } ?? "—")</td>"
      if let axis, let span = window(freeze, on: axis) {
        out += "<td class=\"window\"><span class=\"fc-track\"><span class=\"fc-bar \(kind)\" "
        out +=
          "style=\"left:\(percent(span.left));width:\(percent(span.width))\"></span></span></td>"
      } else {
        out += "<td class=\"window none\">not placed</td>"
      }
      out += "</tr>\n"
    }
    out += "</tbody>\n</table>\n</section>\n"
    return out
  }

  private static func htmlLineage(_ report: AuditReport) -> String {
    var out = "<section id=\"lineage\">\n<h2>Approval lineage</h2>\n"
    if report.releases.isEmpty {
      out += "<p class=\"empty\">No releases in this report.</p>\n</section>\n"
      return out
    }
    var seen: Set<String> = []
    for (index, release) in report.releases.enumerated() {
      let anchor = seen.insert(release.release).inserted ? " id=\"release-\(index + 1)\"" : ""
      out +=
        "<article class=\"release\"\(anchor) data-release=\"\(escapeHTML(release.release))\">\n"
      out += "<h3><span class=\"rid\">\(escapeHTML(release.release))</span>"
      if let title = release.title, !title.isEmpty {
        out += " <span class=\"rtitle\">\(escapeHTML(title))</span>"
      }
      out +=
        " <span class=\"badge \(stateClass(release.state))\">\(escapeHTML(release.state))</span></h3>\n"
      var facts: [(String, String)] = [
        ("Ref", "<code>\(escapeHTML(release.ref))</code>"),
        ("Target", "<code>\(escapeHTML(release.target))</code>"),
        ("Type", escapeHTML(release.type)),
        ("Risk", escapeHTML(release.risk)),
      ]
      if let team = release.team { facts.append(("Team", escapeHTML(team))) }
      facts += [
        ("Requested", escapeHTML(release.requested_at)),
        ("Pushed", release.pushed_at.map { escapeHTML($0) } ?? "not pushed"),
      ]
      if let outcome = release.outcome { facts.append(("Outcome", escapeHTML(outcome))) }
      if let first = release.first_commit_at { facts.append(("First commit", escapeHTML(first))) }
      if let change = release.change { facts.append(("Change", escapeHTML(change))) }
      if let rule = release.rule { facts.append(("Rule", escapeHTML(ruleText(rule)))) }
      if let remediation = release.remediation {
        facts.append(("Remediation", escapeHTML(remediation)))
      }
      out += htmlFacts(facts)
      if release.steps.isEmpty {
        out += "<p class=\"empty\">No recorded steps.</p>\n"
      } else {
        out +=
          "<table class=\"steps\">\n<thead><tr><th>Kind</th><th>By</th><th>Roles</th><th>At</th><th>Detail</th>"
        out += "</tr></thead>\n<tbody>\n"
        for step in release.steps {
          let kind = stepClass(step.kind)
          out +=
            "<tr class=\"step \(kind)\"><td><span class=\"badge \(kind)\">\(escapeHTML(step.kind))</span></td>"
          out += "<td>\(escapeHTML(step.by))</td>"
          out +=
            "<td>\(step.roles.isEmpty ? "—" : escapeHTML(step.roles.joined(separator: ", ")))</td>"
          out += "<td class=\"at\">\(escapeHTML(step.at))</td>"
          out += "<td class=\"text\">\(escapeHTML(step.detail, keepNewlines: true))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
      }
      out += "</article>\n"
    }
    out += "</section>\n"
    return out
  }

  // MARK: Pieces

  private static func htmlFacts(_ facts: [(String, String)]) -> String {
    "<dl class=\"facts\">" + facts.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined()
      + "</dl>\n"
  }

  /// A freeze's window on the axis as (left, width) percentages (clipped to the axis), or nil
  /// when either end does not parse or the window lies wholly outside the axis.
  private static func window(_ freeze: FreezeEntry, on axis: AuditTimeAxis) -> (
    left: Double, width: Double
  )? {
    guard let from = Timestamp.parse(freeze.from), let until = Timestamp.parse(freeze.until),
      max(from, until) > axis.start, min(from, until) < axis.end
    else {
      return nil
    }
    let left = axis.percent(min(from, until))
    return (left, max(0, axis.percent(max(from, until)) - left))
  }

  private static func percent(_ value: Double) -> String {
    String(format: "%.3f%%", value.isFinite ? value : 0)
  }

  private static func severityClass(_ severity: String) -> String {
    ["error", "warning"].contains(severity) ? "sev-\(severity)" : "sev-other"
  }

  private static func freezeClass(_ kind: String) -> String {
    kind == "policy" ? "kind-policy" : kind == "ad-hoc" ? "kind-ad-hoc" : "kind-other"
  }

  private static func stateClass(_ state: String) -> String {
    [
      "ready", "blocked", "requested", "approved", "rejected", "pushed", "closed", "deployed",
      "rolled-back", "failed", "cancelled", "withdrawn",
    ]
    .contains(state)
      ? "state-\(state)" : "state-other"
  }

  private static func stepClass(_ kind: String) -> String {
    ["request", "approval", "rejection", "exception", "evidence", "review", "receipt", "closeout"]
      .contains(kind)
      ? "step-\(kind)" : "step-other"
  }

  /// Escapes `& < > " '` (so the value is safe in text and in quoted attributes) and shows
  /// control characters as escapes; line breaks are kept (for `pre-wrap` cells) or made spaces.
  static func escapeHTML(_ text: String, keepNewlines: Bool = false) -> String {
    var out = ""
    let plain = visible(text, newlines: keepNewlines ? "\n" : " ")
    out.reserveCapacity(plain.utf8.count)
    for character in plain {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  private static let auditStyleSheet = """
    :root {
      --label: 15rem;
      --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --faint: #eef1f4; --paper: #ffffff; --panel: #f6f8fa;
      --error: #b42318; --error-bg: #fef3f2; --warning: #8a5a00; --warning-bg: #fff8e1;
      --ok: #1a7f37; --ok-bg: #edfbf0; --info: #0550ae; --info-bg: #eef4ff; --adhoc: #9a6700; --adhoc-bg: #fff4d6;
    }
    * { box-sizing: border-box; }
    html { color-scheme: light; }
    body {
      margin: 0 auto; max-width: 1200px; padding: 1.5rem 2rem 3rem; color: var(--ink); background: var(--paper);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; overflow-wrap: anywhere; }
    h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
    h2 { font-size: 1.2rem; margin: 2rem 0 .7rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
    h3 { font-size: 1.05rem; margin: 0 0 .6rem; overflow-wrap: anywhere; }
    a { color: var(--info); }
    .empty, .none { color: var(--muted); }
    header.summary { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; background: var(--panel); }
    .status { display: inline-block; font-weight: 600; padding: .15rem .7rem; border-radius: 999px; border: 1px solid currentColor; margin: .2rem 0 .9rem; }
    .status-clean { color: var(--ok); background: var(--ok-bg); }
    .status-findings { color: var(--error); background: var(--error-bg); }
    dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .5rem 1.25rem; margin: 0 0 .8rem; }
    dl.facts div { min-width: 0; }
    dl.facts dt { font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
    dl.facts dd { margin: 0; overflow-wrap: anywhere; }
    nav.toc a { margin-right: 1rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: .35rem .55rem; border-bottom: 1px solid var(--line); }
    th { font-size: .72rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-bottom: 2px solid var(--line); }
    td.text { white-space: pre-wrap; overflow-wrap: anywhere; }
    td.at { white-space: nowrap; }
    table.findings td:not(.text) { white-space: nowrap; }
    table.findings td:not(.text) code { overflow-wrap: normal; }
    .badge { display: inline-block; padding: 0 .45rem; border-radius: 4px; border: 1px solid currentColor; font-size: .8rem; font-weight: 600; white-space: nowrap; color: var(--muted); background: var(--panel); }
    .badge.sev-error { color: var(--error); background: var(--error-bg); }
    .badge.sev-warning { color: var(--warning); background: var(--warning-bg); }
    .badge.sev-other { color: var(--info); background: var(--info-bg); }
    tr.finding td:first-child { border-left: 4px solid var(--muted); }
    tr.finding.sev-error td:first-child { border-left-color: var(--error); }
    tr.finding.sev-warning td:first-child { border-left-color: #d4a72c; }
    tr.finding.sev-error { background: #fffafa; }
    .commit { color: var(--muted); }
    .legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; font-size: .85rem; color: var(--muted); margin: 0 0 .5rem; }
    .legend .key { display: inline-flex; align-items: center; gap: .35rem; }
    .swatch { display: inline-block; width: 1.6rem; height: .7rem; border-radius: 3px; border: 1px solid rgba(0,0,0,.3); }
    .swatch.bar { background: #4a7fd1; }
    .tl { border: 1px solid var(--line); border-radius: 8px; padding: .4rem .75rem .6rem; }
    .tl-row { display: flex; align-items: center; min-height: 2.3rem; }
    .tl-label { flex: 0 0 var(--label); width: var(--label); padding-right: .75rem; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; line-height: 1.2; }
    .tl-label a { font-weight: 600; }
    .tl-label .ref { display: block; overflow: hidden; text-overflow: ellipsis; font-size: .75rem; color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; }
    .tl-track { position: relative; flex: 1 1 auto; min-width: 0; height: 1.6rem; }
    .tl-axis { min-height: 1.6rem; color: var(--muted); font-size: .75rem; }
    .tl-axis .tl-track { border-bottom: 1px solid var(--muted); }
    .tick { position: absolute; bottom: .15rem; font-size: .72rem; color: var(--muted); white-space: nowrap; transform: translateX(-50%); }
    .tick.first { transform: none; }
    .tick.last { transform: translateX(-100%); }
    .tl-body { position: relative; }
    .tl-overlay { position: absolute; top: 0; bottom: 0; left: var(--label); right: 0; pointer-events: none; }
    .gridline { position: absolute; top: 0; bottom: 0; border-left: 1px dashed var(--line); }
    .freeze-shade { position: absolute; top: 0; bottom: 0; min-width: 2px; border-left: 1px solid; border-right: 1px solid; }
    .freeze-shade.kind-policy, .swatch.kind-policy, .fc-bar.kind-policy {
      background: repeating-linear-gradient(135deg, rgba(5,80,174,.18) 0 5px, rgba(5,80,174,.05) 5px 10px); border-color: rgba(5,80,174,.5);
    }
    .freeze-shade.kind-ad-hoc, .freeze-shade.kind-other, .swatch.kind-ad-hoc, .fc-bar.kind-ad-hoc, .fc-bar.kind-other {
      background: rgba(154,103,0,.18); border-color: rgba(154,103,0,.6);
    }
    .release-row { border-top: 1px solid var(--faint); position: relative; }
    .release-bar { position: absolute; top: .45rem; height: .7rem; min-width: 6px; border-radius: 4px; background: #8c959f; border: 1px solid rgba(0,0,0,.3); }
    .release-bar.state-pushed, .release-bar.state-closed, .release-bar.state-deployed { background: #4a7fd1; }
    .release-bar.state-ready, .release-bar.state-approved { background: #2da44e; }
    .release-bar.state-blocked, .release-bar.state-requested, .release-bar.state-rejected, .release-bar.state-failed, .release-bar.state-rolled-back { background: #cf222e; }
    .release-bar.unplaced { position: static; display: inline-block; height: auto; background: none; border: 1px dashed var(--muted); color: var(--muted); font-size: .75rem; padding: 0 .4rem; margin-top: .2rem; }
    .marker { position: absolute; top: 50%; width: 11px; height: 11px; transform: translate(-50%, -50%); border: 2px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.55); z-index: 1; }
    .marker.approval { background: var(--ok); border-radius: 50%; }
    .marker.rejection { background: #bc4c00; }
    .marker.exception { background: var(--error); transform: translate(-50%, -50%) rotate(45deg); }
    .legend .marker { position: relative; top: auto; transform: none; display: inline-block; }
    .legend .marker.exception { transform: rotate(45deg); }
    th.window { width: 30%; }
    th.window .scale { text-transform: none; letter-spacing: 0; font-weight: normal; }
    .fc-track { position: relative; display: block; height: .9rem; margin-top: .2rem; background: var(--panel); border: 1px solid var(--line); border-radius: 3px; }
    .fc-bar { position: absolute; top: 0; bottom: 0; min-width: 3px; border: 1px solid; }
    .badge.kind-policy { color: var(--info); background: var(--info-bg); }
    .badge.kind-ad-hoc { color: var(--adhoc); background: var(--adhoc-bg); }
    article.release { border: 1px solid var(--line); border-radius: 8px; padding: .9rem 1rem; margin: 0 0 1rem; }
    .rtitle { font-weight: normal; }
    .badge.state-ready, .badge.state-approved, .badge.state-pushed, .badge.state-closed, .badge.state-deployed { color: var(--ok); background: var(--ok-bg); }
    .badge.state-blocked, .badge.state-rejected, .badge.state-failed, .badge.state-rolled-back { color: var(--error); background: var(--error-bg); }
    .badge.step-approval { color: var(--ok); background: var(--ok-bg); }
    .badge.step-rejection, .badge.step-exception { color: var(--error); background: var(--error-bg); }
    .badge.step-request, .badge.step-receipt { color: var(--info); background: var(--info-bg); }
    table.controls td.sampled, table.controls td.passing, table.controls td.failing { text-align: right; white-space: nowrap; }
    tr.control td:first-child { border-left: 4px solid var(--ok); }
    tr.control.sev-error td:first-child { border-left-color: var(--error); }
    tr.control.sev-error td.failing { color: var(--error); font-weight: 600; }
    tr.control-failures ul { margin: 0; padding-left: 1.2rem; }
    tr.control-failures li.text { white-space: pre-wrap; overflow-wrap: anywhere; color: var(--muted); }
    footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
    @page { margin: 14mm; }
    @media print {
      :root { --paper: #ffffff; --panel: #ffffff; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      html, body { background: #ffffff !important; color: #000000; }
      body { max-width: none; padding: 0; font-size: 10pt; }
      header.summary, .tl, article.release, tr.finding.sev-error { background: #ffffff !important; box-shadow: none; }
      nav.toc { display: none; }
      a { color: #000000; text-decoration: underline; }
      h2, h3 { break-after: avoid; page-break-after: avoid; }
      article.release, .release-row, tr, header.summary, .legend { break-inside: avoid; page-break-inside: avoid; }
      thead { display: table-header-group; }
      .marker { border-color: #ffffff; box-shadow: 0 0 0 1px #000000; }
    }
    """
}
