import ArgumentParser
import Foundation
import Governance
import Ledger

struct ExportPack: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Seal the evidence for releases into one tar an auditor re-checks offline with stock tools.",
    discussion:
      "The pack holds the releases' signed records, the policy and people in force, allowed_signers, builder keys, "
      + "the artifact hashes, a git bundle of the governance history, the audit report (JSON and HTML), VERIFY.md, "
      + "and MANIFEST.sha256 signed by you. `git govern verify-pack <pack.tar>` re-checks it.")

  @Option(help: "A release to seal (repeat for several).", completion: ShellCompletion.releases)
  var release: [String] = []

  @Option(
    help:
      "Seal every release requested at or after this time (2026-12-01 = midnight UTC, or RFC 3339)."
  )
  var since: String?

  @Option(help: "The tar file to write.")
  var out: String

  @OptionGroup var signing: SigningKeyOption

  func validate() throws {
    guard release.isEmpty != (since == nil) else {
      throw ValidationError("give --release <r-…> (repeatable) or --since <time>, not both")
    }
    if let since { _ = try TimeArgument.parse(since, flag: "--since") }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let releases = ReleaseCatalog(state: state)
    for id in release where !(try LedgerPaths.isValidReleaseID(id) && releases.exists(id)) {
      throw UsageError(
        "--release \(id): there is no such release on \(session.ledger.ref); `git govern log` lists them"
      )
    }
    let now = Date()
    let report = try GovernanceAudit(repository: session.repository, ledger: session.ledger).run(
      now: now, since: since.flatMap(TimeArgument.parse))
    let sealed = release.isEmpty ? report.releases.map(\.release) : release
    var filtered = report.narrowed(to: Set(sealed))
    // With a control catalog in force, the sealed report has the per-control view, and the
    // catalog's record is sealed beside the releases'.
    let controls = try ControlCatalogRecords.load(state).inForce
    if let catalog = controls {
      filtered.controls = AuditControls(
        catalog.catalog, report: filtered,
        source:
          "\(catalog.record.path) (signed by \(catalog.record.signer.id) at \(catalog.record.record.created))",
        records: LedgerPaths.releaseDirectory)
    }
    let bundle = try GovernanceBundle.create(
      of: session.ledger.ref, expecting: state.snapshot.commit)
    var contents = EvidencePack.Contents(
      state: state, releases: sealed, since: since,
      reportJSON: try CanonicalJSON.pretty(filtered) + [10],
      reportHTML: Array(AuditReportRenderer.html(filtered).utf8), bundle: bundle,
      exporter: me, email: author.email, created: now)
    contents.alsoSealed = controls.map { [$0.record.path] } ?? []
    var entries = try EvidencePack.files(contents)
    let manifest = entries.last!.bytes
    let signature = try author.signer.sign(manifest, namespace: LedgerPaths.recordNamespace)
    entries.append(
      TarArchive.Entry(
        path: "\(EvidencePack.folder)/\(EvidencePack.manifestSignature)",
        bytes: Array(signature.utf8)))
    let archive = try TarArchive.write(entries, modified: now)
    do {
      try Data(archive).write(to: URL(fileURLWithPath: out), options: .atomic)
    } catch {
      throw UsageError("--out \(out): cannot write it (\(error.localizedDescription))")
    }
    let records = entries.filter { $0.path.contains("/records/") && $0.path.hasSuffix(".json") }
    Message.out(
      "Sealed \(records.count) records of \(sealed.count) release\(sealed.count == 1 ? "" : "s") into \(out) "
        + "(\(entries.count) files, audit: \(filtered.status)), signed by \(me.id). "
        + "Check it: git govern verify-pack \(out), or with stock tools as its VERIFY.md says.")
  }
}

extension AuditReport {
  /// The report for these releases only: their lineage and findings, and the findings that
  /// name no release (about the governance history itself).
  func narrowed(to releases: Set<String>) -> AuditReport {
    var report = self
    report.releases = self.releases.filter { releases.contains($0.release) }
    report.findings = findings.filter { $0.release.map(releases.contains) ?? true }
    report.finding_count = report.findings.count
    report.status = report.findings.isEmpty ? "clean" : "findings"
    return report
  }
}
