import ArgumentParser
import Foundation
import Governance
import Ledger

struct Audit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract:
      "Verify the whole governance history and every protected ref's releases, offline. Exit 1 with findings."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown, html }

  /// The least severity of finding that makes the audit exit 1.
  enum Threshold: String, ExpressibleByArgument, CaseIterable {
    case error, warning

    func fails(_ finding: AuditFinding) -> Bool {
      self == .warning || finding.severity != "warning"
    }
  }

  @Option(
    help:
      "Only releases requested at or after this time (2026-12-01 = midnight UTC, or RFC 3339) (the history is verified whole)."
  )
  var since: String?

  @Option(help: "text (the default), json, markdown or html.")
  var format: Format?

  /// The one `--json` every reporting command takes; `--format json` stays for scripts.
  @Flag(help: "The report as JSON: the same as --format json.")
  var json = false

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(
    help:
      "Audit as of this time (2026-12-01 = midnight UTC, or RFC 3339), with the governance branch as it stood then (default: GIT_GOVERN_NOW, else now)."
  )
  var at: String?

  @Option(
    name: .customLong("fail-on"),
    help: "Exit 1 on findings of this severity or worse: error (the default) or warning.")
  var failOn: Threshold = .error

  @Flag(
    name: .customLong("no-cache"),
    help:
      "Verify every signature, neither reading nor writing the verification cache (.git/govern/verification-cache)."
  )
  var noCache = false

  @Flag(
    help:
      "Add the per-control view: for each control of the catalog in force (git govern controls apply), the releases sampled, passing and failing."
  )
  var controls = false

  @Option(
    name: .customLong("controls-file"),
    help:
      "With --controls: report against this catalog file instead (to try one before applying it).")
  var controlsFile: String?

  func validate() throws {
    if json, let format, format != .json {
      throw ValidationError("--json and --format \(format.rawValue) ask for two formats; give one")
    }
  }

  func run() throws {
    let format = json ? .json : (self.format ?? .text)
    let now = try Session.clock(at: at)
    if controlsFile != nil, !controls {
      throw UsageError(
        "--controls-file needs --controls: git govern audit --controls --controls-file \(controlsFile!)"
      )
    }
    // Read before the audit runs, so a bad catalog fails fast (exit 2), not after minutes.
    let catalog = try controls ? controlCatalog() : nil
    let sinceDate = try since.map { try TimeArgument.parse($0, flag: "--since") }
    let session = try Session()
    // The audit verifies every governance commit and every release's commits from the root:
    // a shallow clone has neither whole, and its findings would be about what it lacks.
    guard !session.repository.isShallow else {
      throw LedgerError(
        "this is a shallow clone, so the history the audit verifies is missing: run `git fetch --unshallow`, then audit again"
      )
    }
    var audit = GovernanceAudit(repository: session.repository, ledger: session.ledger)
    if isatty(2) == 1 {
      audit.progress = { done, total in
        if done == total || done % 50 == 0 {
          FileHandle.standardError.write(
            Data(
              "\rverifying governance commits: \(done)/\(total)\(done == total ? "\n" : "")".utf8))
        }
      }
    }
    let began = Date()
    let trace: ((String) -> Void)? =
      ProcessInfo.processInfo.environment["GIT_GOVERN_TRACE"] == nil
      ? nil
      : { phase in
        Message.note(String(format: "audit: %6.3f s  ", Date().timeIntervalSince(began)) + phase)
      }
    audit.phaseEnded = trace
    if !noCache {
      audit.verificationCache = VerificationCache(
        for: session.repository, checker: RunningBinary.buildIdentity
      ) { Message.note($0) }
    }
    var report = try audit.run(now: now, since: sinceDate, asOf: try Session.whatIf(at: at))
    if let catalog {
      report.controls = AuditControls(
        catalog.catalog, report: report, source: catalog.source,
        records: LedgerPaths.releaseDirectory)
    }
    if trace != nil, let cache = audit.verificationCache { Message.note(cache.summary) }
    var rendered: [UInt8]
    switch format {
    case .text: rendered = Array(AuditReportRenderer.text(report).utf8)
    case .json: rendered = try CanonicalJSON.pretty(report)
    case .markdown: rendered = Array(AuditReportRenderer.markdown(report).utf8)
    case .html: rendered = Array(AuditReportRenderer.html(report).utf8)
    }
    trace?("report rendered as \(format.rawValue)")
    if let output {
      do {
        // Written from the rendered bytes themselves: a copy of an 18 MB report costs memory.
        try rendered.withUnsafeMutableBytes { bytes in
          let data =
            bytes.baseAddress.map { Data(bytesNoCopy: $0, count: bytes.count, deallocator: .none) }
            ?? Data()
          try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        }
      } catch {
        throw UsageError("--output \(output): cannot write it (\(error.localizedDescription))")
      }
      Message.note(
        "Wrote the \(format.rawValue) report to \(output): \(report.finding_count) finding\(report.finding_count == 1 ? "" : "s")."
      )
    } else {
      if rendered.last != UInt8(ascii: "\n") { rendered.append(UInt8(ascii: "\n")) }
      FileHandle.standardOutput.write(Data(rendered))
    }
    let blocked = report.findings.contains(where: failOn.fails)
    keepUntilExit((report, rendered))
    if blocked { throw Blocked() }
  }

  /// The catalog `--controls` reports against: `--controls-file`, else the one in force.
  private func controlCatalog() throws -> (catalog: ControlCatalog, source: String) {
    if let controlsFile {
      return (
        try ControlCatalogFile.read(controlsFile).catalog, "\(controlsFile) (--controls-file)"
      )
    }
    return try ControlCatalogFile.inForce(try Session().state())
  }
}
