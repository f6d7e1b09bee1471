/// Evidence attached to a release: a file's SHA-256 and size, or a URL, of a named kind such as
/// `tests`, `security-scan`, `rollback-plan` or `validation`.
public struct Evidence: ReleaseBoundRecord, Equatable {
  public static let recordKind = "evidence"
  public var kind = Self.recordKind
  public var version = 1
  public var repo: String
  public var actor: String
  public var email: String
  public var created: String
  public var release: String
  public var target: String
  public var tree: String
  public var ref: String
  /// What the evidence shows: `tests`, `rollback-plan`, `validation`, …
  public var evidence: String
  public var name: String?
  public var sha256: String?
  public var size: Int?
  public var url: String?
  /// The builder's signed statement this evidence is, when it is an attestation; it counts
  /// only while the envelope re-verifies (`AttestationVerifier`).
  public var attestation: EvidenceAttestation?

  public init(
    _ by: RecordAuthorship, release: String, target: String, tree: String, ref: String,
    evidence: String,
    name: String? = nil, sha256: String? = nil, size: Int? = nil, url: String? = nil,
    attestation: EvidenceAttestation? = nil
  ) {
    self.attestation = attestation
    (repo, actor, email, created) = (by.repo, by.actor, by.email, by.created)
    (self.release, self.target, self.tree, self.ref) = (release, target, tree, ref)
    (self.evidence, self.name, self.sha256, self.size, self.url) = (
      evidence, name, sha256, size, url
    )
  }
}
