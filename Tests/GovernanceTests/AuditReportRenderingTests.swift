import Foundation
import Testing

@testable import Governance

/// A small report with hostile strings everywhere a record could carry them.
private func hostileReport() -> AuditReport {
  AuditReport(
    findings: [
      AuditFinding(
        check: "approvals", severity: "error", release: "rel-1", ref: "refs/tags/v1.0.0",
        message: "only 1 of 2 approvals <script>alert(1)</script>\nsecond line a|b"),
      AuditFinding(
        check: "obligations", severity: "warning", release: "rel-2", ref: "refs/heads/main",
        message: "review due \"soon\" & 'now' \u{1B}[31mred"),
    ],
    releases: [
      ReleaseLineage(
        release: "rel-1", ref: "refs/tags/v1.0.0",
        target: "0123456789abcdef0123456789abcdef01234567", type: "normal",
        risk: "high", title: "Launch <b>bold</b> | \"quoted\" 'single'\nnext line",
        team: "payments", state: "pushed",
        requestedAt: "2026-11-20T09:00:00Z", pushedAt: "2026-11-21T15:30:00Z", outcome: "deployed",
        steps: [
          .init(
            kind: "request", by: "alice", at: "2026-11-20T09:00:00Z", detail: "normal, high risk"),
          .init(
            kind: "approval", by: "bob", roles: ["security"], at: "2026-11-20T14:00:00Z",
            detail: "lgtm | ship it"),
          .init(
            kind: "approval", by: "carol", roles: ["developer", "security"],
            at: "2026-11-21T08:00:00Z"),
          .init(
            kind: "receipt", by: "server", at: "2026-11-21T15:30:00Z", detail: "pushed by alice"),
          .init(kind: "closeout", by: "alice", at: "2026-11-21T18:00:00Z", detail: "deployed"),
        ], change: "CHG-<101> | \"x\"",
        rule: RuleApplied(
          name: "high-risk", approvalsRequired: 2, approvalsCounted: 2,
          approvedBy: ["bob", "carol"], roles: [.init(role: "security", required: 1, counted: 2)]),
        remediation: "Shipped <now> | although"),
      ReleaseLineage(
        release: "rel-2", ref: "refs/heads/main",
        target: "89abcdef0123456789abcdef0123456789abcdef", type: "emergency",
        risk: "critical", title: nil, team: nil, state: "blocked",
        requestedAt: "2026-11-21T10:00:00Z", pushedAt: nil,
        outcome: nil,
        steps: [
          .init(kind: "request", by: "dave", at: "2026-11-21T10:00:00Z"),
          .init(
            kind: "rejection", by: "erin", roles: ["security"], at: "2026-11-21T11:00:00Z",
            detail: "not now|later\nsorry"),
          .init(
            kind: "exception", by: "frank", roles: ["incident-commander"],
            at: "2026-11-21T12:30:00Z",
            detail: "<img src=x onerror=alert(2)> freeze-override"),
        ]),
    ],
    freezes: [
      FreezeEntry(
        name: "friday <afternoon>", kind: "policy", from: "2026-11-21T12:00:00Z",
        until: "2026-11-22T00:00:00Z",
        timezone: "Europe/London", reason: "weekend | cover\nno pushes")
    ],
    generated: "2026-11-22T04:32:25Z", repository: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    governanceTip: "ffeeddccbbaa99887766554433221100ffeeddcc", since: nil, commitCount: 34,
    recordCount: 240)
}

private func emptyReport() -> AuditReport {
  AuditReport(
    findings: [], releases: [], freezes: [], generated: "2026-11-22T04:32:25Z", repository: "",
    governanceTip: "",
    since: nil, commitCount: 0, recordCount: 0)
}

/// Pipes that separate cells: not escaped by a backslash (which may itself be escaped).
private func cellSeparators(_ line: String) -> Int {
  var count = 0
  var escaped = false
  for character in line {
    if escaped {
      escaped = false
    } else if character == "\\" {
      escaped = true
    } else if character == "|" {
      count += 1
    }
  }
  return count
}

/// The Markdown tables in `text`, each as its lines.
private func markdownTables(_ text: String) -> [[String]] {
  var tables: [[String]] = []
  var current: [String] = []
  for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
    if line.hasPrefix("|") {
      current.append(line)
    } else if !current.isEmpty {
      tables.append(current)
      current = []
    }
  }
  if !current.isEmpty { tables.append(current) }
  return tables
}

private func occurrences(of needle: String, in text: String) -> Int {
  text.components(separatedBy: needle).count - 1
}

@Suite("Audit report rendering")
struct AuditRenderingTests {
  // MARK: text

  @Test("text: header, findings grouped by severity, a line per release and the summary")
  func textReport() {
    let text = AuditReportRenderer.text(hostileReport())
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first?.contains("repository a1b2c3d4e5f6 ") == true)
    #expect(lines.first?.contains("governance tip ffeeddccbbaa:") == true)
    #expect(lines.first?.contains("34 commits and 240 records verified") == true)
    #expect(lines.first?.contains("generated 2026-11-22T04:32:25Z") == true)
    #expect(
      text.contains(
        "[approvals] rel-1 refs/tags/v1.0.0: only 1 of 2 approvals <script>alert(1)</script>"))
    #expect(
      text.contains("\n    second line a|b"), "continuation lines are indented under the finding")
    #expect(
      text.contains(
        "[obligations] rel-2 refs/heads/main: review due \"soon\" & 'now' \\u{1B}[31mred"))
    #expect(!text.contains("\u{1B}"), "no escape sequence reaches the terminal")
    let errors = text.range(of: "\nerrors (1):\n")
    let warnings = text.range(of: "\nwarnings (1):\n")
    #expect(errors != nil && warnings != nil)
    if let errors, let warnings { #expect(errors.lowerBound < warnings.lowerBound) }
    #expect(text.contains("bob (security), carol (developer, security)"))
    #expect(lines.contains { $0.contains("rel-1") && $0.contains("pushed 2026-11-21T15:30:00Z") })
    #expect(
      lines.contains { $0.contains("rel-2") && $0.contains("blocked") && $0.contains("not pushed") }
    )
    #expect(text.hasSuffix("2 findings (1 error, 1 warning)\n"))
  }

  @Test("text: a clean report says so in one line, with releases and records counted")
  func textClean() {
    var report = hostileReport()
    report = AuditReport(
      findings: [], releases: report.releases, freezes: report.freezes, generated: report.generated,
      repository: report.repository, governanceTip: report.governance_tip,
      since: "2026-01-01T00:00:00Z",
      commitCount: 34, recordCount: 240)
    let text = AuditReportRenderer.text(report)
    #expect(text.hasSuffix("\nclean: 2 releases, 240 records verified\n"))
    #expect(text.contains("findings: none"))
    #expect(text.contains("since 2026-01-01T00:00:00Z"))
  }

  // MARK: markdown

  @Test("markdown: every table row has its columns, pipes and line breaks are escaped")
  func markdownTablesAreWellFormed() throws {
    let markdown = AuditReportRenderer.markdown(hostileReport())
    #expect(markdown.hasPrefix("# git-govern audit report\n"))
    let tables = markdownTables(markdown)
    // summary, findings, two lineages, freezes
    #expect(tables.count == 5)
    for table in tables {
      let columns = cellSeparators(try #require(table.first))
      #expect(table.count >= 3)
      for row in table {
        #expect(cellSeparators(row) == columns, "row has the wrong number of cells: \(row)")
      }
    }
    let headers = tables.compactMap(\.first)
    #expect(headers.contains("| Check | Severity | Release | Ref | Message |"))
    #expect(headers.contains("| Kind | By | Roles | At | Detail |"))
    #expect(headers.contains { $0.hasPrefix("| Name | Kind | From | Until |") })
    #expect(markdown.contains("second line a\\|b"))
    #expect(markdown.contains("approvals \\<script\\>alert(1)\\</script\\><br>second line"))
    #expect(markdown.contains("not now\\|later<br>sorry"))
    #expect(markdown.contains("weekend \\| cover<br>no pushes"))
    #expect(!markdown.contains("<script>"))
    #expect(
      markdown.contains("### rel-1: Launch \\<b\\>bold\\</b\\> \\| \"quoted\" 'single' next line"))
    #expect(markdown.contains("`0123456789abcdef0123456789abcdef01234567`"))
    #expect(markdown.contains("| Findings | 2 (1 error, 1 warning) |"))
  }

  // MARK: html

  @Test("html: every value escaped, nothing hostile survives as markup")
  func htmlEscapes() {
    let html = AuditReportRenderer.html(hostileReport())
    #expect(!html.contains("<script"))
    #expect(!html.lowercased().contains("<script"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!html.contains("<img"))
    #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
    #expect(!html.contains("<b>bold"))
    #expect(html.contains("Launch &lt;b&gt;bold&lt;/b&gt; | &quot;quoted&quot; &#39;single&#39;"))
    #expect(html.contains("review due &quot;soon&quot; &amp; &#39;now&#39; \\u{1B}[31mred"))
    #expect(html.contains("friday &lt;afternoon&gt;"))
    #expect(!html.contains("\u{1B}"))
  }

  @Test("html: timeline, freeze calendar and lineage sections, one bar per release")
  func htmlSections() throws {
    let html = AuditReportRenderer.html(hostileReport())
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("id=\"timeline\""))
    #expect(html.contains("id=\"freeze-calendar\""))
    #expect(html.contains("id=\"lineage\""))
    #expect(html.contains("@media print"))
    #expect(html.contains("page-break-inside: avoid"))
    #expect(occurrences(of: "class=\"release-bar ", in: html) == 2)
    let bars = try NSRegularExpression(
      pattern: "class=\"release-bar [^\"]*\" data-release=\"([^\"]*)\"")
    let ids = bars.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
      Range($0.range(at: 1), in: html).map { String(html[$0]) }
    }
    #expect(ids == ["rel-1", "rel-2"])
    #expect(!html.contains("release-bar unplaced"))
    #expect(occurrences(of: "class=\"marker approval\" style", in: html) == 2)
    #expect(occurrences(of: "class=\"marker exception\" style", in: html) == 1)
    #expect(occurrences(of: "class=\"marker rejection\" style", in: html) == 1)
    #expect(occurrences(of: "<tr class=\"freeze kind-policy\">", in: html) == 1)
    #expect(occurrences(of: "class=\"freeze-shade kind-policy\"", in: html) == 1)
    #expect(occurrences(of: "<tr class=\"finding sev-error\">", in: html) == 1)
    #expect(occurrences(of: "<tr class=\"finding sev-warning\">", in: html) == 1)
    #expect(occurrences(of: "<tr class=\"step ", in: html) == 8)
    #expect(html.contains("<a href=\"#release-1\">rel-1</a>"))
    #expect(html.contains("<article class=\"release\" id=\"release-2\" data-release=\"rel-2\">"))
  }

  @Test("html: self-contained, nothing loaded from the network, no script")
  func htmlSelfContained() throws {
    for report in [hostileReport(), emptyReport()] {
      let html = AuditReportRenderer.html(report)
      let external = try NSRegularExpression(
        pattern: #"(src\s*=|href\s*=|url\()\s*["']?\s*(https?:)?//"#, options: [.caseInsensitive])
      #expect(external.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)) == nil)
      #expect(!html.contains("http://") && !html.contains("https://"))
      #expect(!html.contains("@import") && !html.contains("@font-face"))
      #expect(!html.lowercased().contains("<script") && !html.lowercased().contains("<link"))
      #expect(html.contains("Content-Security-Policy"))
      #expect(!html.contains("nan%") && !html.contains("inf%"))
    }
  }

  @Test("html: positions stay on the axis; a single instant does not divide by zero")
  func htmlPositions() throws {
    let single = AuditReport(
      findings: [],
      releases: [
        ReleaseLineage(
          release: "solo", ref: "refs/heads/main", target: "abc", type: "standard", risk: "low",
          title: nil, team: nil,
          state: "ready", requestedAt: "2026-11-22T04:00:00Z", pushedAt: nil, outcome: nil,
          steps: [.init(kind: "approval", by: "bob", at: "2026-11-22T04:00:00Z")]),
        ReleaseLineage(
          release: "undated", ref: "refs/heads/main", target: "abc", type: "standard", risk: "low",
          title: nil,
          team: nil, state: "ready", requestedAt: "yesterday", pushedAt: "later", outcome: nil,
          steps: [.init(kind: "approval", by: "bob", at: "soon")]),
      ],
      freezes: [
        FreezeEntry(
          name: "local", kind: "ad-hoc", from: "2026-12-20T00:00", until: "2027-01-04T00:00",
          timezone: "UTC", reason: nil)
      ],
      generated: "not a time", repository: "r", governanceTip: "t", since: nil, commitCount: 1,
      recordCount: 1)
    let html = AuditReportRenderer.html(single)
    #expect(html.contains("class=\"release-bar state-ready\" data-release=\"solo\""))
    #expect(html.contains("style=\"left:50.000%;width:0.000%\""))
    #expect(html.contains("class=\"release-bar unplaced state-ready\" data-release=\"undated\""))
    #expect(html.contains("<td class=\"window none\">not placed</td>"))
    #expect(occurrences(of: "class=\"marker approval\" style", in: html) == 1)
    let positions = try NSRegularExpression(pattern: #"(?:left|width):(-?[0-9.]+)%"#)
    let values = positions.matches(in: html, range: NSRange(html.startIndex..., in: html))
      .compactMap {
        Range($0.range(at: 1), in: html).flatMap { Double(html[$0]) }
      }
    #expect(!values.isEmpty)
    #expect(values.allSatisfy { (0...100).contains($0) })
  }

  @Test("the time axis: none without instants, an hour around a single one, clamped positions")
  func timeAxis() throws {
    #expect(AuditTimeAxis([]) == nil)
    #expect(AuditTimeAxis(emptyReport()) == nil)
    let instant = Date(timeIntervalSince1970: 1_795_321_945)
    let one = try #require(AuditTimeAxis([instant, instant]))
    #expect(one.span == 3600)
    #expect(one.percent(instant) == 50)
    let two = try #require(AuditTimeAxis([instant, instant.addingTimeInterval(1000)]))
    #expect(two.percent(instant) > 0 && two.percent(instant) < 5)
    #expect(two.percent(instant.addingTimeInterval(-1e9)) == 0)
    #expect(two.percent(instant.addingTimeInterval(1e9)) == 100)
    // 04:32:05 to 04:49:05: ticks every 5 minutes, on the minute.
    let ticks = two.ticks()
    #expect(ticks.map(\.label) == ["2026-11-22 04:35", "2026-11-22 04:40", "2026-11-22 04:45"])
    #expect(ticks.allSatisfy { (0...100).contains($0.percent) })
    let week = try #require(AuditTimeAxis([instant, instant.addingTimeInterval(5 * 86_400)]))
    #expect(
      week.ticks().map(\.label) == [
        "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27",
      ])
    let seconds = try #require(AuditTimeAxis([instant, instant.addingTimeInterval(10)]))
    #expect(
      seconds.ticks().map(\.label) == [
        "2026-11-22 04:32:25", "2026-11-22 04:32:30", "2026-11-22 04:32:35",
      ])
    #expect(one.ticks().count <= 6 && !one.ticks().isEmpty)
  }

  @Test("freezes far from the releases are in the calendar but do not stretch the timeline")
  func farFreezes() throws {
    var report = hostileReport()
    report.freezes.append(
      FreezeEntry(
        name: "year-end", kind: "policy", from: "2026-12-20T00:00:00Z",
        until: "2027-01-04T00:00:00Z",
        timezone: "Europe/London", reason: nil))
    report.freezes.append(
      FreezeEntry(
        name: "last-month", kind: "ad-hoc", from: "2026-10-01T00:00:00Z",
        until: "2026-10-02T00:00:00Z",
        timezone: "UTC", reason: "migration"))
    let timeline = try #require(AuditTimeAxis(releasesOf: report))
    let calendar = try #require(AuditTimeAxis(report))
    #expect(timeline.end < Timestamp.parse("2026-11-23T00:00:00Z")!)
    #expect(calendar.end > Timestamp.parse("2027-01-04T00:00:00Z")!)
    #expect(calendar.start < Timestamp.parse("2026-10-01T00:00:00Z")!)
    let html = AuditReportRenderer.html(report)
    #expect(
      occurrences(of: "class=\"freeze-shade ", in: html) == 1,
      "only the overlapping freeze is shaded")
    #expect(
      occurrences(of: "<span class=\"fc-bar ", in: html) == 3,
      "every freeze has its bar in the calendar")
    #expect(occurrences(of: "<tr class=\"freeze kind-ad-hoc\">", in: html) == 1)
    #expect(occurrences(of: "<tr class=\"freeze kind-policy\">", in: html) == 2)
  }

  @Test("freezes alone still get an axis")
  func freezesOnly() throws {
    let report = AuditReport(
      findings: [], releases: [],
      freezes: [
        FreezeEntry(
          name: "f", kind: "policy", from: "2026-12-20T00:00:00Z", until: "2027-01-04T00:00:00Z",
          timezone: "UTC",
          reason: nil)
      ],
      generated: "2026-11-22T04:32:25Z", repository: "r", governanceTip: "t", since: nil,
      commitCount: 0,
      recordCount: 0)
    #expect(AuditTimeAxis(releasesOf: report) == AuditTimeAxis(report))
    let html = AuditReportRenderer.html(report)
    #expect(
      occurrences(
        of: "<span class=\"fc-bar kind-policy\" style=\"left:1.923%;width:96.154%\"", in: html) == 1
    )
  }

  // MARK: empty

  @Test("an empty report renders in every format")
  func emptyReports() {
    let report = emptyReport()
    let text = AuditReportRenderer.text(report)
    #expect(text.contains("repository (none)"))
    #expect(text.contains("findings: none") && text.contains("releases: none"))
    #expect(text.hasSuffix("clean: 0 releases, 0 records verified\n"))

    let markdown = AuditReportRenderer.markdown(report)
    #expect(
      markdown.contains("No findings.") && markdown.contains("No releases.")
        && markdown.contains("No freezes."))
    for table in markdownTables(markdown) {
      let columns = cellSeparators(table[0])
      #expect(table.allSatisfy { cellSeparators($0) == columns })
    }

    let html = AuditReportRenderer.html(report)
    #expect(
      html.contains("id=\"timeline\"") && html.contains("id=\"freeze-calendar\"")
        && html.contains("id=\"lineage\""))
    #expect(!html.contains("class=\"release-bar"))
    #expect(html.contains("No findings"))
    #expect(html.hasSuffix("</html>\n"))
  }

  @Test("rendering is deterministic")
  func deterministic() {
    let report = hostileReport()
    #expect(AuditReportRenderer.html(report) == AuditReportRenderer.html(report))
    #expect(AuditReportRenderer.markdown(report) == AuditReportRenderer.markdown(report))
    #expect(AuditReportRenderer.text(report) == AuditReportRenderer.text(report))
  }
}

@Suite("audit report JSON")
struct AuditReportJSONTests {
  static func foundation<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  @Test("writes what JSONEncoder writes, byte for byte, hostile strings included")
  func matchesJSONEncoder() throws {
    for report in [hostileReport(), emptyReport()] {
      let fast = String(decoding: try CanonicalJSON.pretty(report), as: UTF8.self)
      let decoded = try JSONDecoder().decode(AuditReport.self, from: Data(fast.utf8))
      #expect(decoded == report)
      #expect(fast == (try Self.foundation(report)))
    }
  }

  @Test("long arrays, built and written on every core, come out in order and the same")
  func longArrays() throws {
    var report = hostileReport()
    let samples = report.releases
    report.releases = (0..<(2 * CanonicalJSONWriter.longArray + 7)).map { index in
      var release = samples[index % samples.count]
      release.release = "r-\(index)"
      return release
    }
    report.findings = (0..<CanonicalJSONWriter.longArray).map { index in
      AuditFinding(check: "records", release: "r-\(index)", message: "finding \(index) \"quoted\"")
    }
    let fast = String(decoding: try CanonicalJSON.pretty(report), as: UTF8.self)
    #expect(fast == (try Self.foundation(report)))
    #expect(String(decoding: try CanonicalJSON.pretty([Int]()), as: UTF8.self) == "[\n\n]")
  }

  @Test("lineages written as JSONEncoder writes them: absent fields, empty lists, escapes")
  func lineages() throws {
    typealias Step = ReleaseLineage.Step
    let steps = [
      Step(kind: "request", by: "a\"b\\c", at: "2026-01-02T03:04:05Z"),
      Step(
        kind: "approval", by: "bob", roles: ["security", "sre", ""], at: "2026-01-02T04:00:00Z",
        detail: "line\nbreak\t/é \u{1}😀"),
    ]
    let full = ReleaseLineage(
      release: "r-1", ref: "refs/tags/v1", target: String(repeating: "a", count: 40),
      type: "standard", risk: "high", title: "Title \"q\"", team: "pay/ments", state: "closed",
      requestedAt: "2026-01-01T00:00:00Z", pushedAt: "2026-01-03T00:00:00Z", outcome: "success",
      steps: steps, firstCommitAt: "2025-12-31T23:00:00Z", change: "CHG-101 \"q\"",
      rule: RuleApplied(
        name: "high\\risk", approvalsRequired: 2, approvalsCounted: 1, approvedBy: ["carol"],
        roles: [
          .init(role: "security", required: 1, counted: 1),
          .init(role: "", required: 0, counted: 0),
        ]),
      remediation: "Shipped at … although\n the approvals control failed")
    let ruleless = ReleaseLineage(
      release: "r-2", ref: "refs/heads/main", target: "", type: "normal", risk: "low",
      title: nil, team: nil, state: "approved", requestedAt: "", pushedAt: nil, outcome: nil,
      steps: [],
      rule: RuleApplied(
        name: "default", approvalsRequired: 0, approvalsCounted: 0, approvedBy: [], roles: []))
    let bare = ReleaseLineage(
      release: "", ref: "refs/heads/main", target: "", type: "emergency", risk: "low",
      title: nil, team: nil, state: "blocked", requestedAt: "", pushedAt: nil, outcome: nil,
      steps: [])
    let compactEncoder = JSONEncoder()
    compactEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for lineage in [full, ruleless, bare]
      + steps.map({ step in
        var one = bare
        one.steps = [step]
        return one
      })
    {
      #expect(
        String(decoding: try CanonicalJSON.pretty(lineage), as: UTF8.self)
          == (try Self.foundation(lineage)))
      #expect(
        String(decoding: try CanonicalJSON.pretty([[lineage]]), as: UTF8.self)
          == (try Self.foundation([[lineage]])))
      #expect(try CanonicalJSON.compact(lineage) == Array(try compactEncoder.encode(lineage)))
    }
  }

  @Test("escapes control characters, quotes and backslashes; keeps slashes and Unicode")
  func escapes() throws {
    let text = "a\"b\\c/d\u{1}\u{1F}\t\n\r é 😀"
    let fast = String(decoding: try CanonicalJSON.pretty(["k": text]), as: UTF8.self)
    #expect(fast == "{\n  \"k\" : \"a\\\"b\\\\c/d\\u0001\\u001f\\t\\n\\r é 😀\"\n}")
    #expect(try JSONDecoder().decode([String: String].self, from: Data(fast.utf8)) == ["k": text])
  }
}

@Suite("auditor text")
struct AuditorTextTests {
  @Test("an offer to approve becomes who could have approved; the command that follows is cut")
  func plainWords() {
    #expect(
      AuditorText.plain(
        "needs 1 more approval (rule \"default\" wants 1, has 0): carol or erin can run `git govern approve r-1`"
      )
        == "needs 1 more approval (rule \"default\" wants 1, has 0): carol or erin could have approved"
    )
    #expect(
      AuditorText.plain(
        "missing evidence rollback-plan: git govern evidence r-1 --kind rollback-plan --file …")
        == "missing evidence rollback-plan")
    #expect(AuditorText.plain("no command here") == "no command here")
    let remediation = AuditorText.remediation(
      pushedAt: "2026-01-01T00:00:00Z",
      failed: [
        Check(
          "approvals", .blocker, "needs 1 more approval: carol can run `git govern approve r-1`")
      ])
    #expect(remediation?.contains("approvals control failed") == true)
    #expect(remediation?.contains("carol could have approved") == true)
    #expect(remediation?.contains("git govern") == false)
    #expect(AuditorText.remediation(pushedAt: "x", failed: []) == nil)
  }

  @Test("the lineage shows the change and the rule with what it required and got")
  func lineageFormats() {
    let report = hostileReport()
    let markdown = AuditReportRenderer.markdown(report)
    let html = AuditReportRenderer.html(report)
    #expect(markdown.contains("- Rule: "))
    #expect(
      markdown.contains(
        "2 approvals required, 2 counted (bob, carol); role security: 1 required, 2 counted"))
    #expect(markdown.contains("CHG-"))
    #expect(html.contains("CHG-&lt;101&gt;"))
    #expect(html.contains("2 approvals required, 2 counted"))
    #expect(html.contains("Shipped &lt;now&gt;"))
  }
}
