import Foundation
import Testing

extension World {
  /// Proposes `text` as the policy, signed by `admin`; in force when one admin signature is enough.
  func applyPolicy(_ text: String, by admin: Persona) throws -> Result {
    let file = root.appendingPathComponent("policy-\(UUID().uuidString.prefix(6)).yml")
    try Data(text.utf8).write(to: file)
    return try govern(["policy", "apply", file.path], as: admin)
  }

  static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// A policy with every section, in which `extra` is spliced at the top level.
func fullPolicy(
  freezeWindows: String = "", evidence: String = "{}", requireChange: String = "[]", admins: Int = 1
) -> String {
  """
  version: 1
  protected: [refs/heads/main, refs/tags/v*]
  rules:
    - name: standard-change
      when: {type: standard}
      approvals: 0
    - name: default
      approvals: 1
  approval_ttl: 72h
  freezes:
    timezone: Europe/London
    windows:\(freezeWindows.isEmpty ? " []" : "\n" + freezeWindows)
  evidence: \(evidence)
  require_change: \(requireChange)
  emergency:
    approvals: 1
    roles: {incident-commander: 1}
    validation_within: 4h
    review_within: 24h
  admins:
    approvals: \(admins)

  """
}
