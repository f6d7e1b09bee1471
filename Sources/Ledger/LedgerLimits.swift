/// Limits that keep a hostile governance branch or push from exhausting the gate. Each is
/// enforced before the thing it limits is parsed, with a message that names it.
public enum LedgerLimits {
  /// A record (`*.json`): real ones are well under 2 KiB.
  public static let recordBytes = 64 << 10
  /// A detached signature (`*.sig`): an RSA-8192 SSHSIG is under 3 KiB.
  public static let signatureBytes = 16 << 10
  /// `policy.yml`, `people.yml` and proposed copies of them.
  public static let policyBytes = 1 << 20
  /// Records (with their signatures) in one release's folder.
  public static let recordsPerRelease = 10_000
  /// Commits in a release range scanned for separation of duties.
  public static let rangeCommits = 1_000_000

  static func fileBytes(for path: String) -> Int {
    if path.hasSuffix(".sig") { return signatureBytes }
    if path.hasSuffix(".json") { return recordBytes }
    return policyBytes
  }
}
