/// The short summary `refs/notes/governance` carries for a released commit, so
/// `git log --notes=governance` answers "who approved this?" without git-govern.
/// Derived from the records; the records stay the truth.
public enum ReleaseNote {
  public static func render(_ facts: ReleaseFacts, readiness: Readiness, receipts: [PushReceipt])
    -> String
  {
    let request = facts.request.record
    var lines = [
      "Release \(request.release): \(request.ref) (\(request.type.rawValue), \(request.risk.rawValue) risk)"
        + (request.title.map { " \"\($0)\"" } ?? "")
    ]
    lines.append("Requested-by: \(facts.request.signer.id) at \(request.created)")
    if let change = request.change { lines.append("Change: \(change)") }
    for approval in facts.approvals.sorted(by: { $0.record.created < $1.record.created }) {
      let roles =
        approval.signer.roles.isEmpty ? "" : " (\(approval.signer.roles.joined(separator: ", ")))"
      lines.append("Approved-by: \(approval.signer.id)\(roles) at \(approval.record.created)")
    }
    for exception in facts.exceptions {
      lines.append(
        "Exception: \(exception.record.exception.rawValue) by \(exception.signer.id): \(exception.record.reason)"
      )
    }
    for evidence in facts.evidence {
      lines.append(
        "Evidence: \(evidence.record.evidence)"
          + (evidence.record.sha256.map { " sha256:\($0.prefix(16))" } ?? evidence.record.url.map {
            " \($0)"
          } ?? ""))
    }
    for receipt in receipts {
      lines.append(
        "Pushed: \(receipt.ref) at \(receipt.created)" + (receipt.pusher.map { " by \($0)" } ?? ""))
    }
    lines.append("Status: \(readiness.status.rawValue)")
    return lines.joined(separator: "\n") + "\n"
  }
}

extension ReleaseNote {
  /// What a note says, as the audit checks it against the records: the releases it names
  /// (`Release r-…:` lines) and the people it says approved (`Approved-by: …` lines). Read
  /// line by line, since a notes merge (`cat_sort_uniq`) may have sorted the lines of
  /// several releases' notes together.
  public struct Claims: Sendable, Equatable {
    public var releases: [String] = []
    public var approvers: [String] = []
  }

  public static func claims(in text: String) -> Claims {
    var claims = Claims()
    for line in text.split(separator: "\n") {
      if line.hasPrefix("Release "), let colon = line.firstIndex(of: ":") {
        let id = String(line[line.index(line.startIndex, offsetBy: 8)..<colon])
        if !claims.releases.contains(id) { claims.releases.append(id) }
      } else if line.hasPrefix("Approved-by: ") {
        let who = line.dropFirst("Approved-by: ".count).prefix { $0 != " " }
        if !who.isEmpty, !claims.approvers.contains(String(who)) {
          claims.approvers.append(String(who))
        }
      }
    }
    return claims
  }
}
