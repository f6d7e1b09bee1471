import Foundation

/// Why an attestation does not count, as a sentence fragment that follows what was read
/// (`attestation line 2 of build.intoto.jsonl …`, `evidence-….json …`).
public struct AttestationProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// What an evidence record keeps of the attestation it carries. The envelope is kept whole,
/// so the gate and an auditor re-verify the builder's signature rather than trusting this
/// summary; the summary must agree with what the envelope says, or the record is a problem.
public struct EvidenceAttestation: Codable, Sendable, Equatable {
  public var predicate_type: String
  /// The registered builder whose key signed the envelope.
  public var builder: String
  public var subjects: [InTotoStatement.Subject]
  /// How the statement is tied to the release: `commit` (a subject is the commit or its
  /// tree), `artifact` (a subject's sha256 is a file recorded for the release) or `material`
  /// (a provenance names the commit among what the build consumed).
  public var binds: String
  /// The DSSE envelope exactly as given (one line of the `.intoto.jsonl`), base64.
  public var envelope: String

  public init(
    predicateType: String, builder: String, subjects: [InTotoStatement.Subject], binds: String,
    envelope: String
  ) {
    (predicate_type, self.builder, self.subjects, self.binds, self.envelope) = (
      predicateType, builder, subjects, binds, envelope
    )
  }
}

/// `attestations:` in policy.yml: which predicate types count as which evidence kind, and
/// which kinds count only when a builder attested them.
public struct AttestationPolicy: Sendable, Equatable {
  /// Predicate types every policy knows, before `attestations.kinds` adds or overrides.
  public static let builtInKinds: [String: String] = [
    "https://slsa.dev/provenance/v0.2": "slsa-provenance",
    "https://slsa.dev/provenance/v1": "slsa-provenance",
    "https://in-toto.io/attestation/test-result/v0.1": "tests",
    "https://in-toto.io/attestation/vulns/v0.1": "security-scan",
    "https://cosign.sigstore.dev/attestation/vuln/v1": "security-scan",
    "https://spdx.dev/Document": "sbom",
    "https://cyclonedx.org/bom": "sbom",
  ]

  /// `attestations.kinds`: predicate type → evidence kind.
  public var kinds: [String: String] = [:]
  /// `attestations.required_for`: evidence of these kinds counts only from a verified
  /// attestation; a person's file hash of "slsa-provenance" proves nothing about the build.
  public var requiredFor: [String] = ["slsa-provenance"]

  public init() {}

  public func kind(for predicateType: String) -> String? {
    kinds[predicateType] ?? Self.builtInKinds[predicateType]
  }
}

/// Ties an attested statement to a release: to its commit, to a file recorded for it, or (for a
/// provenance) through the commit the build consumed. Pure: the digests are the caller's.
public enum AttestationBinding {
  public static func bind(
    _ statement: InTotoStatement, target: String, tree: String,
    artifacts: [(name: String, sha256: String)]
  ) -> Result<String, AttestationProblem> {
    func isCommit(_ digest: [String: String]) -> Bool {
      digest["gitCommit"] == target || digest["sha1"] == target
    }
    if statement.subjects.contains(where: { isCommit($0.digest) || $0.digest["gitTree"] == tree }) {
      return .success("commit")
    }
    let recorded = Set(artifacts.map(\.sha256))
    if statement.subjects.contains(where: { $0.digest["sha256"].map(recorded.contains) ?? false }) {
      return .success("artifact")
    }
    if statement.materials.contains(where: isCommit) {
      return .success("material")
    }
    let subjects = statement.subjects.map { subject in
      let digest = subject.digest.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
        .joined(separator: " ")
      return subject.name.isEmpty ? digest : "\(subject.name) \(digest)"
    }
    let files =
      artifacts.isEmpty
      ? "no file is recorded for the release"
      : "the files recorded for it are "
        + artifacts.map { "\($0.name) sha256:\($0.sha256)" }.joined(separator: ", ")
    return .failure(
      AttestationProblem(
        "is about \(subjects.joined(separator: "; ")), which is neither the release's commit \(target) "
          + "nor a file recorded for it (\(files)), and names the commit in no build material"
      ))
  }
}
