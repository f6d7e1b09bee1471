import Governance

/// people.yml as an OpenSSH `allowed_signers` file, for `ssh-keygen -Y verify` and
/// `git verify-commit`: each person's emails as principals, limited to git-govern's
/// namespaces, with key windows and revocations as `valid-after`/`valid-before` so stock
/// ssh-keygen refuses what the tool refuses. A revoked key stays listed, for the records
/// signed before its revocation.
public enum AllowedSigners {
  public static func text(_ people: People) -> (text: String, keys: Int) {
    let namespaces = "\(LedgerPaths.recordNamespace),\(LedgerPaths.commitNamespace)"
    var lines: [String] = []
    var keyCount = 0
    for person in people.persons where !person.emails.isEmpty {
      let principals = person.emails.joined(separator: ",")
      for key in person.keys {
        let validity = person.validity(of: key)
        if let revoked = validity.revoked {
          let reason = revoked.reason.map { $0.isNewline ? " " : $0 }
          lines.append(
            "# \(person.id): revoked at \(Timestamp.format(revoked.at)): \(String(reason))")
        }
        let options = ["namespaces=\"\(namespaces)\""] + validity.allowedSignersOptions
        keyCount += 1
        lines.append("\(principals) \(options.joined(separator: ",")) \(key)")
      }
    }
    return (lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), keyCount)
  }
}
