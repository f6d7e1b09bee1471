/// The short summary `refs/notes/governance` carries for a released commit, so
/// `git log --notes=governance` answers "who approved this?" without git-govern.
/// Derived from the records; the records stay the truth. A commit released more than once (to
/// `main` and to a tag, say) has one note with a section per release, separated by a blank line.
public enum ReleaseNote {
  /// One release's section. `evaluator` judges each approval as the push did: one that counted
  /// is `Approved-by:`, one that did not (expired, another policy, a duty it breaks) is
  /// `Approval-not-counted:` with the reason, so the note never overstates who approved.
  /// `state`, where given, is the release's lifecycle as the server last wrote the note (a
  /// `State:` line: `pushed`, or how a closeout ended it).
  public static func render(
    _ facts: ReleaseFacts, readiness: Readiness, receipts: [PushReceipt],
    evaluator: ReleaseEvaluator, state: String? = nil
  ) -> String {
    let request = facts.request.record
    var lines = [
      "Release \(request.release): \(request.ref) (\(request.type.rawValue), \(request.risk.rawValue) risk)"
        + (request.title.map { " \"\($0)\"" } ?? "")
    ]
    lines.append("Requested-by: \(facts.request.signer.id) at \(request.created)")
    if let change = request.change { lines.append("Change: \(change)") }
    for approval in facts.approvals.sorted(by: { $0.record.created < $1.record.created }) {
      if let reason = evaluator.reasonNotCounted(approval, facts: facts) {
        lines.append(
          "Approval-not-counted: \(approval.signer.id) at \(approval.record.created): \(reason)")
        continue
      }
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
    if let state { lines.append("State: \(state)") }
    lines.append("Status: \(readiness.status.rawValue)")
    return lines.joined(separator: "\n") + "\n"
  }
}

extension ReleaseNote {
  /// The `State:` line's text for a pushed release: `pushed`, or once a closeout ended it,
  /// `closed (deployed) by erin at …`, `cancelled by erin at …` or `withdrawn by bob at …`.
  public static func state(pushed facts: ReleaseFacts, endedBy closeout: Signed<Closeout>?)
    -> String
  {
    let lifecycle = ReleaseLifecycle.of(
      closeout: closeout, requester: facts.request.signer.id, pushed: true, rejected: false,
      ready: true)
    guard let closeout else { return lifecycle.rawValue }
    let outcome = lifecycle == .closed ? " (\(closeout.record.outcome.rawValue))" : ""
    return "\(lifecycle.rawValue)\(outcome) by \(closeout.signer.id) at \(closeout.record.created)"
  }

  /// A note's sections, by the release each is about, in the note's order; nil when the text
  /// is not a sequence of whole sections (each from its `Release r-…:` line to its `Status:`
  /// line), as after a notes merge that sorted the lines of two notes together.
  public static func sections(of text: String) -> [(release: String, text: String)]? {
    var sections: [(release: String, text: String)] = []
    var current: (release: String, lines: [Substring])?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.isEmpty {
        guard current == nil else { return nil }
        continue
      }
      if current == nil {
        guard let release = releaseID(inHeader: line) else { return nil }
        current = (release, [])
      }
      current!.lines.append(line)
      if line.hasPrefix("Status: ") {
        sections.append((current!.release, current!.lines.joined(separator: "\n") + "\n"))
        current = nil
      }
    }
    return current == nil ? sections : nil
  }

  /// The note of a commit: its releases' sections, a blank line between them.
  public static func joined(_ sections: [String]) -> String {
    sections.joined(separator: "\n")
  }

  static func releaseID(inHeader line: Substring) -> String? {
    guard line.hasPrefix("Release "), let colon = line.firstIndex(of: ":") else { return nil }
    return String(line[line.index(line.startIndex, offsetBy: 8)..<colon])
  }

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
      if let id = releaseID(inHeader: line) {
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
