import Foundation
import Governance

extension ReleaseAuditor {
  /// What the audit reports about who made the commits of a release that reached its ref
  /// (`pushedAt`): commits the policy wants signed that no registered key validly signed
  /// (`signed-commits`), identities nobody registered, named with the registered addresses
  /// they look like (`identities`, a warning), and, for a release on its ref without a push
  /// receipt that was never ready, every reason it was not (`approval`): where the hooks were
  /// missing, that is the only place the reasons appear.
  func authorshipFindings(
    _ facts: ReleaseFacts, pushedAt: Date?, neverReady: Readiness?, release: String
  ) -> [AuditFinding] {
    guard let pushedAt else { return [] }
    let evaluator = catalog.evaluator(now: pushedAt)
    var result: [AuditFinding] = []
    for check in evaluator.authorshipChecks(facts) where check.status != .pass {
      result.append(
        AuditFinding(
          check: check.name == "signed_commits" ? "signed-commits" : "identities",
          severity: check.status == .blocker ? "error" : "warning", release: release,
          ref: facts.ref, commit: facts.target, message: check.message))
    }
    if let neverReady, neverReady.status == .blocked {
      result.append(
        AuditFinding(
          check: "approval", release: release, ref: facts.ref, commit: facts.target,
          message: "is on \(facts.ref) without a push receipt and was never ready: "
            + (neverReady.blockers.map { AuditorText.plain($0.message) }
            + neverReady.uncountedApprovals).joined(
              separator: "; ")))
    }
    return result
  }
}
