import Governance
import Ledger
import Testing

@Suite("the kind of record a path holds")
struct RecordTypeTests {
  static let cases: [(String, String?)] = [
    ("releases/ab/r-ab12/request.json", "request"),
    ("releases/ab/r-ab12/approval-carol-20261122T043225Z.json", "approval"),
    ("releases/ab/r-ab12/rejection-x.json", "rejection"),
    ("releases/ab/r-ab12/exception-x.json", "exception"),
    ("releases/ab/r-ab12/evidence-x.json", "evidence"),
    ("releases/ab/r-ab12/review-x.json", "review"),
    ("releases/ab/r-ab12/receipt-x.json", "receipt"),
    ("releases/ab/r-ab12/closeout-x.json", "closeout"),
    ("releases/ab/r-ab12/withdrawal-x.json", "withdrawal"),
    ("releases/ab/r-ab12/acceptance-x.json", "acceptance"),
    ("releases/ab/r-ab12/withdrawals-x.json", nil),
    // The kind is the first part between dashes, leading dashes skipped.
    ("releases/ab/r-ab12/--approval-x.json", "approval"),
    ("releases/ab/r-ab12/approval.json", nil),
    ("releases/ab/r-ab12/approvals-x.json", nil),
    ("releases/ab/r-ab12/approval-x.json.sig", nil),
    // Empty parts do not count as folders.
    ("releases//ab/r-ab12/approval-x.json", "approval"),
    ("releases/ab/r-ab12/x/approval-x.json", nil),
    ("releases/r-ab12/approval-x.json", nil),
    ("changes/policy.yml/0001/change.json", "change"),
    ("freezes/2026-12/f-1.json", "freeze"),
    ("freezes/f-1.json", nil),
    ("incidents/records/i-1/incident.json", "incident"),
    ("repository.json", "repository"),
    ("controls/controls-20261203T091500Z-alice-0a0b0c.json", "controls"),
    ("controls/x/controls-x.json", nil),
    ("targets/ab/cdef/r-ab12.json", nil),
  ]

  @Test("every place a record is kept, and the near misses", arguments: cases)
  func kinds(_ path: String, _ kind: String?) {
    #expect(LedgerPaths.recordType(forPath: path)?.recordKind == kind)
  }
}
