import Foundation
import GitKit
import Governance

/// `refs/govern/review/<release>`: where a requested commit waits for its approvers. Protected
/// pushes are blocked until a release is approved, so without it an approver could not fetch
/// the commit they are asked to approve. A review ref is not a release: the server takes it
/// without approvals, writes no receipt for it, and the audit does not count it as released.
///
/// What the server checks, so the name cannot be used as an unreviewed branch for anything
/// else: it names a release the governance branch holds, and points at exactly the commit
/// that release's signed request names. Every other name under `refs/govern/` is refused.
public enum ReviewRef {
  /// git-govern's own namespace: no policy pattern protects or releases anything in it.
  public static let namespace = Policy.toolNamespace
  public static let prefix = "refs/govern/review/"

  public static func name(of release: String) -> String { prefix + release }

  /// Whether `ref` is in git-govern's namespace (a review ref or a name that is refused).
  public static func isInNamespace(_ ref: String) -> Bool { ref.hasPrefix(namespace) }

  /// The release a review ref names; nil for any other ref.
  public static func release(in ref: String) -> String? {
    guard ref.hasPrefix(prefix) else { return nil }
    let release = String(ref.dropFirst(prefix.count))
    return LedgerPaths.isValidReleaseID(release) ? release : nil
  }

  /// The server's verdict on a push to a name under `refs/govern/`.
  static func judge(_ update: RefUpdate, state: GovernanceState) -> GateVerdict {
    let refused = { (reason: String) in
      GateVerdict(update: update, allowed: false, readiness: nil, reasons: [reason])
    }
    guard update.pushedAs == nil, let release = release(in: update.ref) else {
      return refused(
        "\(update.ref) is in git-govern's namespace (\(namespace)); the only name pushed there is \(prefix)<release>, which git govern request publishes"
      )
    }
    if update.new.isZero {
      return GateVerdict(
        update: update, allowed: true, readiness: nil,
        reasons: ["\(update.ref) deleted: the review ref of \(release)"])
    }
    guard let request = ReleaseCatalog(state: state).request(of: release) else {
      return refused(
        "\(update.ref) names \(release), which the governance branch here does not hold as a signed request; "
          + "push the request first (git govern sync), then the review ref (git govern request does both with --push)"
      )
    }
    guard update.new.hex == request.record.target else {
      return refused(
        "\(update.ref) must point at the commit \(release) requests (\(request.record.target.prefix(10))), not \(update.new.hex.prefix(10)); "
          + "a review ref carries exactly the commit its approvers are asked to approve")
    }
    return GateVerdict(
      update: update, allowed: true, readiness: nil,
      reasons: [
        "\(update.ref): the commit of \(release), for its approvers to fetch (not a release)"
      ])
  }

  /// The audit's side: each ref under `refs/govern/` the server would not have taken (the name,
  /// the release, or the commit wrong) is a finding, as a push around the gate would leave it.
  static func auditFindings(_ refs: [(name: String, target: OID)], state: GovernanceState)
    -> [AuditFinding]
  {
    refs.filter { isInNamespace($0.name) }.compactMap { ref in
      let verdict = judge(RefUpdate(ref: ref.name, old: nil, new: ref.target), state: state)
      guard !verdict.allowed else { return nil }
      return AuditFinding(
        check: "review-ref", ref: ref.name, commit: ref.target.hex,
        message:
          "\(ref.name) is not a ref the server takes: \(verdict.reasons.joined(separator: "; "))")
    }
  }
}
