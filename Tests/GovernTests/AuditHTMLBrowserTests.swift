import Foundation
import Governance
import Testing

/// The HTML audit report opened in a real headless Chromium: it must load without a console
/// message (the page's Content-Security-Policy turns any attempt to load an external resource
/// into one), lay out the timeline bars in the DOM, and paint a screenshot that is more than a
/// blank page. Chromium is installed with apt if missing; if it cannot be, the test fails.
@Suite("Audit HTML report in headless Chromium")
struct AuditHTMLBrowserTests {
  @Test(
    "chromium loads the report: exit 0, a real screenshot, the release bars in the DOM, no console errors",
    .timeLimit(.minutes(20)))
  func rendersInChromium() throws {
    let chromium = try Chromium.located()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "audit-html-browser-\(UUID().uuidString.prefix(12))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }

    let report = sampleReport()
    let page = folder.appendingPathComponent("audit.html")
    try Data(AuditReportRenderer.html(report).utf8).write(to: page)
    let blank = folder.appendingPathComponent("blank.html")
    try Data(
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>\n".utf8
    ).write(to: blank)

    // The screenshot of the report, and of a blank page for comparison.
    let shot = folder.appendingPathComponent("audit.png")
    let shotRun = try chromium.run(
      ["--screenshot=\(shot.path)", "--window-size=1280,2000"], page: page, in: folder)
    #expect(
      shotRun.status == 0, "chromium exited \(shotRun.status): \(shotRun.stderr.suffix(2000))")
    let png = try Data(contentsOf: shot)
    let blankShot = folder.appendingPathComponent("blank.png")
    let blankRun = try chromium.run(
      ["--screenshot=\(blankShot.path)", "--window-size=1280,2000"], page: blank, in: folder)
    #expect(blankRun.status == 0, "chromium exited \(blankRun.status) on a blank page")
    let blankPNG = (try? Data(contentsOf: blankShot)) ?? Data()
    try? FileManager.default.removeItem(atPath: "/tmp/audit-report-screenshot.png")
    try FileManager.default.copyItem(atPath: shot.path, toPath: "/tmp/audit-report-screenshot.png")

    #expect(
      png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "the screenshot is a PNG")
    #expect(
      pngSize(png).map { $0 == (1280, 2000) } == true,
      "the screenshot is 1280×2000: \(String(describing: pngSize(png)))")
    #expect(png.count > 10_000, "the screenshot is \(png.count) bytes")
    #expect(
      png.count > blankPNG.count * 2 && png.count > blankPNG.count + 10_000,
      "the report's screenshot (\(png.count) bytes) should hold far more than a blank page's (\(blankPNG.count) bytes)"
    )

    // The DOM after load.
    let dom = try chromium.run(["--dump-dom"], page: page, in: folder)
    #expect(dom.status == 0, "chromium --dump-dom exited \(dom.status): \(dom.stderr.suffix(2000))")
    #expect(dom.stdout.contains("id=\"timeline\""))
    #expect(dom.stdout.contains("id=\"freeze-calendar\""))
    #expect(dom.stdout.contains("id=\"lineage\""))
    let bars = try NSRegularExpression(
      pattern: #"<[a-z]+ class="release-bar[^"]*" data-release="([^"]*)""#)
    let released = bars.matches(
      in: dom.stdout, range: NSRange(dom.stdout.startIndex..., in: dom.stdout)
    ).compactMap {
      Range($0.range(at: 1), in: dom.stdout).map { String(dom.stdout[$0]) }
    }
    #expect(released == report.releases.map(\.release), "release bars in the DOM: \(released)")
    #expect(!dom.stdout.lowercased().contains("<script"), "no script element made it into the page")
    #expect(
      dom.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile message is text")

    // The per-control view: a row per control with its counts, and the release that failed
    // the approvals control linked to its lineage in the page.
    #expect(dom.stdout.contains("id=\"controls\""))
    #expect(dom.stdout.contains("<a href=\"#controls\">Controls</a>"))
    let rows = try NSRegularExpression(
      pattern:
        #"<tr class="control ([^"]*)" data-control="([^"]*)">.*?<td class="sampled">(\d+)</td><td class="passing">(\d+)</td><td class="failing">(\d+)</td>"#
    )
    let controlRows = rows.matches(
      in: dom.stdout, range: NSRange(dom.stdout.startIndex..., in: dom.stdout)
    ).map { match in
      (1...5).map {
        Range(match.range(at: $0), in: dom.stdout).map { String(dom.stdout[$0]) } ?? ""
      }
    }
    #expect(
      controlRows == [
        ["sev-error", "CC8.1 Approves System Changes", "4", "3", "1"],
        ["control-ok", "CC8.1 Tests System Changes", "4", "4", "0"],
      ], "control rows in the DOM: \(controlRows)")
    #expect(
      dom.stdout.contains(
        "<li class=\"control-failure\" data-release=\"2026-11-19-b7e1\"><a href=\"#release-2\">2026-11-19-b7e1</a>"
      ), "the failing release links to its lineage")
    #expect(dom.stdout.contains("records <code>releases/26/2026-11-19-b7e1</code>"))

    // Nothing the page said on the console: no error, no blocked external load, no script.
    for run in [shotRun, dom] {
      let console = run.stderr.split(separator: "\n").filter {
        $0.contains("CONSOLE") || $0.contains("Uncaught") || $0.contains("Content Security Policy")
      }
      #expect(
        console.isEmpty, "the page logged to the console:\n\(console.joined(separator: "\n"))")
    }
  }
}

// MARK: - The sample

private func sampleReport() -> AuditReport {
  var report = sampleAudit()
  report.releases[1].blocked_by = [
    .init(check: "approvals", message: "needs 1 more approval with role security")
  ]
  let catalog = ControlCatalog(
    framework: "SOC 2",
    controls: [
      .init(
        id: "CC8.1 Approves System Changes", title: "Changes are approved <before> release",
        checks: ["approvals", "owners"]),
      .init(id: "CC8.1 Tests System Changes", title: "Changes are tested", checks: ["evidence"]),
    ])
  report.controls = AuditControls(
    catalog, report: report, source: "controls/controls-20261101T000000Z-alice-0a0b0c.json",
    records: { "releases/\($0.dropFirst(2).prefix(2))/\($0)" })
  return report
}

private func sampleAudit() -> AuditReport {
  AuditReport(
    findings: [
      AuditFinding(
        check: "approvals", severity: "error", release: "2026-11-19-b7e1", ref: "refs/heads/main",
        commit: "9c1f0e2d3b4a59687706a5b4c3d2e1f009182736",
        message:
          "pushed with 1 of 2 approvals; the rule high-risk needs a security approver <script>alert(1)</script>"
      ),
      AuditFinding(
        check: "freeze", severity: "error", release: "2026-11-20-c4d2", ref: "refs/tags/v2.4.0",
        message: "pushed during the freeze \"friday-afternoon\" without a freeze-override exception"
      ),
      AuditFinding(
        check: "obligations", severity: "warning", release: "2026-11-21-e9a0",
        ref: "refs/heads/release/2.4",
        message:
          "retrospective review due by 2026-11-22T14:00:00Z | not yet recorded\nowner: release-manager"
      ),
    ],
    releases: [
      ReleaseLineage(
        release: "2026-11-17-a0f3", ref: "refs/tags/v2.3.1",
        target: "1f2e3d4c5b6a79881726354453627180a9b8c7d6",
        type: "normal", risk: "medium", title: "Patch release: fix rounding in refunds",
        team: "payments",
        state: "closed", requestedAt: "2026-11-17T09:12:00Z", pushedAt: "2026-11-17T16:40:00Z",
        outcome: "deployed",
        steps: [
          .init(
            kind: "request", by: "alice", roles: ["release-manager"], at: "2026-11-17T09:12:00Z"),
          .init(
            kind: "evidence", by: "alice", at: "2026-11-17T09:30:00Z",
            detail: "tests sha256:4be1… 18 KiB"),
          .init(
            kind: "approval", by: "bob", roles: ["developer"], at: "2026-11-17T11:05:00Z",
            detail: "lgtm"),
          .init(
            kind: "receipt", by: "server", at: "2026-11-17T16:40:00Z", detail: "pushed by alice"),
          .init(kind: "closeout", by: "alice", at: "2026-11-17T18:00:00Z", detail: "deployed"),
        ]),
      ReleaseLineage(
        release: "2026-11-19-b7e1", ref: "refs/heads/main",
        target: "9c1f0e2d3b4a59687706a5b4c3d2e1f009182736",
        type: "normal", risk: "high", title: "Card tokenisation <v2> | \"vault\" migration",
        team: "payments",
        state: "pushed", requestedAt: "2026-11-19T08:00:00Z", pushedAt: "2026-11-20T10:15:00Z",
        outcome: nil,
        steps: [
          .init(
            kind: "request", by: "carol", roles: ["release-manager"], at: "2026-11-19T08:00:00Z"),
          .init(kind: "approval", by: "dave", roles: ["developer"], at: "2026-11-19T15:20:00Z"),
          .init(
            kind: "rejection", by: "erin", roles: ["security"], at: "2026-11-19T17:45:00Z",
            detail: "no threat model"),
          .init(
            kind: "receipt", by: "server", at: "2026-11-20T10:15:00Z", detail: "pushed by carol"),
        ]),
      ReleaseLineage(
        release: "2026-11-20-c4d2", ref: "refs/tags/v2.4.0",
        target: "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
        type: "normal", risk: "low", title: "v2.4.0", team: "platform", state: "pushed",
        requestedAt: "2026-11-20T09:00:00Z", pushedAt: "2026-11-20T13:30:00Z", outcome: nil,
        steps: [
          .init(kind: "request", by: "frank", at: "2026-11-20T09:00:00Z"),
          .init(kind: "approval", by: "grace", roles: ["developer"], at: "2026-11-20T10:00:00Z"),
          .init(
            kind: "receipt", by: "server", at: "2026-11-20T13:30:00Z", detail: "pushed by frank"),
        ]),
      ReleaseLineage(
        release: "2026-11-21-e9a0", ref: "refs/heads/release/2.4",
        target: "77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd",
        type: "emergency", risk: "critical", title: "Hotfix: payment gateway timeout",
        team: "payments",
        state: "pushed", requestedAt: "2026-11-21T13:10:00Z", pushedAt: "2026-11-21T14:05:00Z",
        outcome: nil,
        steps: [
          .init(
            kind: "request", by: "alice", roles: ["release-manager"], at: "2026-11-21T13:10:00Z"),
          .init(
            kind: "exception", by: "alice", roles: ["release-manager"], at: "2026-11-21T13:15:00Z",
            detail: "freeze-override: gateway down"),
          .init(
            kind: "approval", by: "heidi", roles: ["incident-commander"], at: "2026-11-21T13:40:00Z"
          ),
          .init(
            kind: "receipt", by: "server", at: "2026-11-21T14:05:00Z", detail: "pushed by alice"),
        ]),
    ],
    freezes: [
      FreezeEntry(
        name: "friday-afternoon", kind: "policy", from: "2026-11-20T12:00:00Z",
        until: "2026-11-21T00:00:00Z",
        timezone: "Europe/London", reason: nil),
      FreezeEntry(
        name: "black-friday", kind: "ad-hoc", from: "2026-11-21T06:00:00Z",
        until: "2026-11-22T06:00:00Z",
        timezone: "Europe/London", reason: "peak trading weekend"),
      FreezeEntry(
        name: "year-end", kind: "policy", from: "2026-12-20T00:00:00Z",
        until: "2027-01-04T00:00:00Z",
        timezone: "Europe/London", reason: nil),
    ],
    generated: "2026-11-22T08:00:00Z", repository: "5d41402abc4b2a76b9719d911017c592ae1f02c3",
    governanceTip: "e4d909c290d0fb1ca068ffaddf22cbd0a1b2c3d4", since: nil, commitCount: 57,
    recordCount: 312)
}

/// Width and height from a PNG's IHDR chunk.
private func pngSize(_ png: Data) -> (Int, Int)? {
  let bytes = [UInt8](png.prefix(24))
  guard bytes.count == 24, bytes[12...15].elementsEqual("IHDR".utf8) else { return nil }
  func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
  return (be32(16), be32(20))
}

// MARK: - Chromium

/// The system's Chromium, installed with apt on first use (once per test run, and under a file
/// lock so parallel runs do not race each other or dpkg).
private struct Chromium: Sendable {
  let path: String

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  struct Output {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  private static let installation: Result<Chromium, Failure> = install()

  static func located() throws -> Chromium { try installation.get() }

  private static func install() -> Result<Chromium, Failure> {
    if let path = which("chromium") { return .success(Chromium(path: path)) }
    let script = """
      command -v chromium >/dev/null 2>&1 && exit 0
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium && exit 0
      apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=300 chromium
      """
    var arguments = ["/bin/sh", "-c", script]
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") {
      arguments = ["/usr/bin/flock", "/tmp/git-govern-chromium-install.lock"] + arguments
    }
    let output: Output
    do {
      output = try run(arguments, timeout: 900)
    } catch {
      return .failure(Failure(description: "could not run apt-get to install chromium: \(error)"))
    }
    if let path = which("chromium") { return .success(Chromium(path: path)) }
    return .failure(
      Failure(
        description: """
          chromium is not installed and `apt-get install -y chromium` did not install it \
          (exit \(output.status)); the browser test needs Debian's chromium package. apt said:
          \((output.stdout + output.stderr).suffix(3000))
          """))
  }

  private static func which(_ name: String) -> String? {
    guard let found = try? run(["/bin/sh", "-c", "command -v \(name)"], timeout: 10),
      found.status == 0
    else {
      return nil
    }
    let path = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return path.isEmpty ? nil : path
  }

  /// Runs chromium headless on `page` (a file), killed after 60 s with everything it started.
  func run(_ flags: [String], page: URL, in folder: URL) throws -> Output {
    let common = [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--enable-logging=stderr",
      "--v=0",
      "--user-data-dir=\(folder.appendingPathComponent("profile-\(UUID().uuidString.prefix(8))").path)",
      "--no-first-run", "--no-default-browser-check", "--disable-extensions",
      "--disable-background-networking",
      "--hide-scrollbars",
    ]
    let url = page.absoluteString  // file:///…
    var result = try Self.run(
      Self.bounded([path, "--headless=new"] + common + flags + [url]), timeout: 75)
    if result.status != 0 && result.stderr.contains("headless") {
      // Older builds without the `=new` form.
      result = try Self.run(
        Self.bounded([path, "--headless"] + common + flags + [url]), timeout: 75)
    }
    return result
  }

  /// `timeout` kills the whole process group (chromium's zygote and renderers too).
  private static func bounded(_ arguments: [String]) -> [String] {
    FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout")
      ? ["/usr/bin/timeout", "-k", "5", "60"] + arguments : arguments
  }

  /// Runs a program with output captured in files (no pipe can fill up), terminated if it
  /// outlives `timeout` seconds.
  static func run(_ arguments: [String], timeout: TimeInterval) throws -> Output {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chromium-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let stdout = try FileHandle(forWritingTo: out)
    let stderr = try FileHandle(forWritingTo: err)
    defer {
      try? stdout.close()
      try? stderr.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      process.terminate()
      Thread.sleep(forTimeInterval: 2)
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus,
      stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
      stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
  }
}
