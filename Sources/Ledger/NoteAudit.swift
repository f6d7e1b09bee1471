import GitKit
import Governance

/// Checks `refs/notes/governance` against the records. Notes are derived, written by the
/// server's post-receive for a push it receipted; a note that names a release without a
/// receipt, a release for another commit, or an approver the records do not hold was written
/// by someone else (the pre-receive refuses client pushes of notes, so: where the hooks were
/// missing).
struct NoteAudit {
  /// One note as read: the commit it annotates and what it says.
  struct Note: Sendable {
    var target: OID
    var claims: ReleaseNote.Claims
  }

  /// Every note of `refs/notes/governance` (the audit reads them on a worker, beside the rest).
  static func notes(_ repository: Repository) throws -> [Note] {
    try repository.notes(notesRef: defaultNotesRef).map { target, blob in
      Note(
        target: target,
        claims: ReleaseNote.claims(in: String(decoding: try repository.blob(blob), as: UTF8.self)))
    }
  }

  /// The releases each noted commit's note names.
  static func releasesNamed(by notes: [Note]) -> [OID: [String]] {
    Dictionary(notes.map { ($0.target, $0.claims.releases) }) { first, _ in first }
  }

  let repository: Repository
  let state: GovernanceState

  /// `lineages`: what the audit already read of each release, by id; releases not among them
  /// (left out by `--since`) are read here.
  func findings(_ notes: [Note], lineages: [String: ReleaseLineage]) throws -> [AuditFinding] {
    var findings: [AuditFinding] = []
    let catalog = ReleaseCatalog(state: state)
    for note in notes {
      let (target, claims) = (note.target, note.claims)
      let place = "the note on \(target.hex.prefix(10)) in \(defaultNotesRef)"
      var approvers = Set<String>()
      for release in claims.releases {
        let known: (target: String, approvers: [String], receipted: Bool)?
        if let lineage = lineages[release] {
          known = (
            lineage.target, lineage.steps.filter { $0.kind == "approval" }.map(\.by),
            lineage.steps.contains { $0.kind == "receipt" }
          )
        } else if LedgerPaths.isValidReleaseID(release), try catalog.exists(release),
          let records = try? catalog.records(of: release), let request = records.request
        {
          known = (
            request.record.target, records.approvals.map(\.signer.id), !records.receipts.isEmpty
          )
        } else {
          known = nil
        }
        guard let known else {
          findings.append(
            AuditFinding(
              check: "notes", release: release, commit: target.hex,
              message:
                "\(place) names release \(release), which the governance branch does not hold: notes are derived from the records and written by the server only"
            ))
          continue
        }
        approvers.formUnion(known.approvers)
        if known.target != target.hex {
          findings.append(
            AuditFinding(
              check: "notes", release: release, commit: target.hex,
              message:
                "\(place) names release \(release), which is for commit \(known.target.prefix(10)): notes are written by the server only"
            ))
        } else if !known.receipted {
          findings.append(
            AuditFinding(
              check: "notes", release: release, commit: target.hex,
              message:
                "\(place) names release \(release), which has no push receipt: the server writes a note only for a push it receipted"
            ))
        }
      }
      for approver in claims.approvers where !approvers.contains(approver) {
        findings.append(
          AuditFinding(
            check: "notes", release: claims.releases.first, commit: target.hex,
            message:
              "\(place) says \(approver) approved, but no release it names holds an approval by \(approver): notes are written by the server only"
          ))
      }
    }
    return findings
  }
}
