/// The audit's per-control view (`audit --controls`): for each control of the catalog, the
/// releases that went out in the report (the sample), which passed every check the control is
/// mapped to, and for each that did not, which checks failed, why and where its records are.
/// Worked out from the report alone: what blocked each release at its push (its lineage's
/// `blocked_by`, from the one gate) and the audit's findings about it. Nothing is judged again.
public struct AuditControls: Codable, Sendable, Equatable {
  public var framework: String
  /// Where the catalog came from: the signed record in force, or the file given to the audit.
  public var source: String
  /// Releases in the report that went out (pushed, or on their ref): every control's sample.
  public var sampled: Int
  public var controls: [ControlResult]

  public init(framework: String, source: String, sampled: Int, controls: [ControlResult]) {
    self.framework = framework
    self.source = source
    self.sampled = sampled
    self.controls = controls
  }
}

/// One control's result over the sample.
public struct ControlResult: Codable, Sendable, Equatable {
  public var id: String
  public var title: String
  public var checks: [String]
  public var sampled: Int
  public var passing: Int
  public var failing: Int
  /// The releases that passed every mapped check, in the report's order.
  public var passed: [String]
  public var failures: [ControlFailure]

  public init(
    id: String, title: String, checks: [String], passed: [String], failures: [ControlFailure]
  ) {
    self.id = id
    self.title = title
    self.checks = checks
    self.sampled = passed.count + failures.count
    self.passing = passed.count
    self.failing = failures.count
    self.passed = passed
    self.failures = failures
  }
}

/// A release of the sample that failed a control: the mapped checks it failed, the reasons
/// as the gate and the audit gave them, and the folder of its records on the governance branch.
public struct ControlFailure: Codable, Sendable, Equatable {
  public var release: String
  public var ref: String
  public var target: String
  public var checks: [String]
  public var reasons: [String]
  /// `releases/<ab>/<id>`: `git show governance:<records>/` lists them.
  public var records: String

  public init(
    release: String, ref: String, target: String, checks: [String], reasons: [String],
    records: String
  ) {
    self.release = release
    self.ref = ref
    self.target = target
    self.checks = checks
    self.reasons = reasons
    self.records = records
  }
}

extension AuditControls {
  /// The catalog's controls over `report`'s releases that went out. `records` gives a
  /// release's folder on the governance branch.
  public init(
    _ catalog: ControlCatalog, report: AuditReport, source: String,
    records: (String) -> String
  ) {
    let sample = report.releases.filter { $0.pushed_at != nil }
    var failed = ControlEvidence()
    for release in sample {
      for blocker in release.blocked_by ?? [] {
        failed.add(release.release, ControlCheck.id(blocker.check), blocker.message)
      }
      if !release.steps.contains(where: { $0.kind == "receipt" }) {
        failed.add(
          release.release, "receipt",
          "went out without a server receipt of its push: the server's hook never judged it")
      }
    }
    let refs = Dictionary(sample.map { ($0.release, $0.ref) }) { first, _ in first }
    // Warnings (a late closeout, an unregistered address) are noted in the findings; only an
    // error fails a control. A finding about another ref (a bypass of `main` names a release
    // of the same commit to a tag) is not about this release.
    for finding in report.findings where finding.severity == "error" {
      guard let release = finding.release, let ref = refs[release],
        finding.ref.map({ $0 == ref }) ?? true
      else { continue }
      let check =
        ["approval", "bypass"].contains(finding.check) ? "gate" : ControlCheck.id(finding.check)
      failed.add(release, check, "\(finding.check): \(finding.message)")
    }
    self.init(
      framework: catalog.framework, source: source, sampled: sample.count,
      controls: catalog.controls.map { control in
        var passed: [String] = []
        var failures: [ControlFailure] = []
        for release in sample {
          let checks = control.checks.filter { failed.reasons[release.release]?[$0] != nil }
          if checks.isEmpty {
            passed.append(release.release)
            continue
          }
          failures.append(
            ControlFailure(
              release: release.release, ref: release.ref, target: release.target, checks: checks,
              reasons: checks.flatMap { failed.reasons[release.release]?[$0] ?? [] },
              records: records(release.release)))
        }
        return ControlResult(
          id: control.id, title: control.title, checks: control.checks, passed: passed,
          failures: failures)
      })
  }
}

/// What failed for each release, by check id, with the reasons in the order they came.
private struct ControlEvidence {
  var reasons: [String: [String: [String]]] = [:]

  mutating func add(_ release: String, _ check: String, _ reason: String) {
    var checks = reasons[release] ?? [:]
    var list = checks[check] ?? []
    if !list.contains(reason) { list.append(reason) }
    checks[check] = list
    reasons[release] = checks
  }
}
