import Foundation
import GitKit
import Governance
import Testing

@testable import Ledger

@Suite("what a command has worked out is kept in its memo, passed in, never process-wide")
struct LedgerMemoTests {
  struct Unreadable: Error {}

  static let policyText = """
    version: 1
    protected: [refs/heads/main]
    rules:
      - name: default
        approvals: 1

    """

  let blob = OID(hex: String(repeating: "ab", count: 20))!

  @Test("a failure is not kept: asked again, the memo works it out again and keeps the value")
  func errorsAreNotKept() throws {
    let memo = LedgerMemo()
    var attempts = 0
    #expect(throws: Unreadable.self) {
      try memo.policy(blob) {
        attempts += 1
        throw Unreadable()
      }
    }
    let policy = try memo.policy(blob) {
      attempts += 1
      return try PolicyParser.parse(Self.policyText)
    }
    let again = try memo.policy(blob) {
      attempts += 1
      throw Unreadable()
    }
    #expect(attempts == 2)  // the failure, then the value; the third ask is a lookup
    #expect(again.adminApprovals == policy.adminApprovals)
  }

  @Test("two memos share nothing: what one worked out, the other works out for itself")
  func memosAreSeparate() throws {
    let first = LedgerMemo()
    let second = LedgerMemo()
    _ = try first.policy(blob) { try PolicyParser.parse(Self.policyText) }
    var parsed = false
    _ = try second.policy(blob) {
      parsed = true
      return try PolicyParser.parse(Self.policyText)
    }
    #expect(parsed)
  }
}
