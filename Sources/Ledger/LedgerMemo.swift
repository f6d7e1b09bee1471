import Foundation
import GitKit
import Governance

/// What one command has already worked out from content-addressed objects, so that loading
/// the state of many governance commits, or judging a record a second time, costs a lookup:
/// proven states by the entries they were proven from, `people.yml` and `policy.yml` parsed by
/// blob, and record seals (`RecordSeals`).
///
/// Only what was worked out is kept, never an error: a failure is worked out again and
/// reported where it happens. A command (an audit, an update check) makes one and passes it
/// down; nothing is shared by the whole process, and it is freed with the last state that
/// holds it. A command may also pass in the states proven by its earlier runs
/// (`ProvenStateCache`), which the memo consults before proving a state.
public final class LedgerMemo: @unchecked Sendable {
  let seals = RecordSeals()
  let provenStates: ProvenStateCache?
  private let lock = NSLock()
  private var states: [[OID?]: GovernanceState.Proven] = [:]
  private var people: [OID: People] = [:]
  private var policies: [OID: Policy] = [:]

  public init(provenStates: ProvenStateCache? = nil) { self.provenStates = provenStates }

  func state(_ key: [OID?], prove: () throws -> GovernanceState.Proven) rethrows
    -> GovernanceState.Proven
  {
    try remembered(key, in: \.states, make: prove)
  }

  func people(_ blob: OID, parse: () throws -> People) rethrows -> People {
    try remembered(blob, in: \.people, make: parse)
  }

  func policy(_ blob: OID, parse: () throws -> Policy) rethrows -> Policy {
    try remembered(blob, in: \.policies, make: parse)
  }

  /// The value kept for `key`, else made (outside the lock: making one may need another) and
  /// kept if it was made.
  private func remembered<Key: Hashable, Value>(
    _ key: Key, in table: ReferenceWritableKeyPath<LedgerMemo, [Key: Value]>,
    make: () throws -> Value
  ) rethrows -> Value {
    if let known = lock.withLock({ self[keyPath: table][key] }) { return known }
    let made = try make()
    lock.withLock { self[keyPath: table][key] = made }
    return made
  }
}
