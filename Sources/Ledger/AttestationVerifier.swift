import Foundation
import Governance
import Signing

/// Decides whether an in-toto attestation counts as a release's evidence: its DSSE envelope
/// must verify natively with the key of a builder registered in people.yml (the only
/// authenticated fact here: everything in the statement is the builder's claim, and the
/// record around it is the person's), that builder must be allowed the predicate type, the
/// policy must map the type to an evidence kind, and a subject (or, for a provenance, a
/// build material) must be the release's commit or a file recorded for it.
///
/// `evidence` uses it before it writes a record; the gate uses it again on every record that
/// carries an envelope, so a record written by hand, or one whose builder was since removed,
/// counts for nothing.
public struct AttestationVerifier {
  public let people: People
  public let policy: AttestationPolicy

  public init(people: People, policy: AttestationPolicy) {
    self.people = people
    self.policy = policy
  }

  /// What an evidence record keeps of a verified envelope, and the kind it evidences.
  public struct Verified: Sendable, Equatable {
    public var attestation: EvidenceAttestation
    public var kind: String
  }

  public func verify(
    envelope bytes: [UInt8], target: String, tree: String,
    artifacts: [(name: String, sha256: String)]
  ) -> Result<Verified, AttestationProblem> {
    let envelope: DSSEEnvelope
    do {
      envelope = try DSSEEnvelope(json: bytes)
    } catch {
      return .failure(AttestationProblem(error.description))
    }
    guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
      return .failure(
        AttestationProblem(
          "has payloadType \"\(envelope.payloadType)\", expected \(DSSEEnvelope.inTotoPayloadType)"
        ))
    }
    guard let builder = signingBuilder(of: envelope) else {
      let registered = people.builders.map(\.id)
      return .failure(
        AttestationProblem(
          "is signed by no key of a registered builder"
            + (registered.isEmpty
              ? " (people.yml lists none)" : " (\(registered.joined(separator: ", ")))")
            + "; a policy-admin registers the build system's key with `git govern identity builder <id> --key <key.pub>`"
        ))
    }
    let statement: InTotoStatement
    do {
      statement = try InTotoStatement(payload: envelope.payload)
    } catch {
      return .failure(error)
    }
    guard builder.mayAttest(statement.predicateType) else {
      return .failure(
        AttestationProblem(
          "is a \(statement.predicateType) statement, which builder \(builder.id) is not registered to attest (it may attest \(builder.predicates.joined(separator: ", ")))"
        ))
    }
    guard let kind = policy.kind(for: statement.predicateType) else {
      return .failure(
        AttestationProblem(
          "has predicateType \(statement.predicateType), which names no evidence kind; map it in policy.yml: `attestations: {kinds: {\"\(statement.predicateType)\": <kind>}}`"
        ))
    }
    switch AttestationBinding.bind(statement, target: target, tree: tree, artifacts: artifacts) {
    case .failure(let problem): return .failure(problem)
    case .success(let binds):
      return .success(
        Verified(
          attestation: EvidenceAttestation(
            predicateType: statement.predicateType, builder: builder.id,
            subjects: statement.subjects, binds: binds,
            envelope: Data(bytes).base64EncodedString()),
          kind: kind))
    }
  }

  /// The evidence of a release that counts: records without an envelope as they are, and
  /// those with one only when it verifies again and agrees with what the record says of it.
  /// Each one that does not is a problem, never a silent drop.
  public func admit(
    _ evidence: [Signed<Evidence>], target: String, tree: String, closeouts: [Signed<Closeout>],
    problems: inout [RecordProblem]
  ) -> [Signed<Evidence>] {
    guard evidence.contains(where: { $0.record.attestation != nil }) else { return evidence }
    let artifacts = Self.recordedFiles(evidence: evidence, closeouts: closeouts)
    return evidence.filter { item in
      guard let stored = item.record.attestation else { return true }
      guard let bytes = Data(base64Encoded: stored.envelope) else {
        problems.append(
          RecordProblem(
            path: item.path, message: "carries an attestation envelope that is not base64"))
        return false
      }
      switch verify(envelope: Array(bytes), target: target, tree: tree, artifacts: artifacts) {
      case .failure(let problem):
        problems.append(
          RecordProblem(path: item.path, message: "carries an attestation that \(problem.message)"))
        return false
      case .success(let verified):
        // How it binds may change as files are recorded for the release (a closeout's
        // artifacts); what the builder signed may not.
        var recomputed = verified.attestation
        recomputed.binds = stored.binds
        guard recomputed == stored, verified.kind == item.record.evidence else {
          problems.append(
            RecordProblem(
              path: item.path,
              message:
                "says its attestation is \(item.record.evidence) evidence by \(stored.builder), but its envelope is \(verified.kind) by \(verified.attestation.builder) (\(verified.attestation.predicate_type)); the record does not match what the builder signed"
            ))
          return false
        }
        return true
      }
    }
  }

  /// The files recorded for a release that a statement's subject may be: evidence files (not
  /// envelopes) and the closeout's artifacts. Each hash is its recorder's claim about a file,
  /// signed by them; the builder's statement is what ties the commit to it.
  public static func recordedFiles(evidence: [Signed<Evidence>], closeouts: [Signed<Closeout>])
    -> [(name: String, sha256: String)]
  {
    evidence.compactMap { item -> (name: String, sha256: String)? in
      guard item.record.attestation == nil, let sha256 = item.record.sha256 else { return nil }
      return (item.record.name ?? "file", sha256)
    } + closeouts.flatMap(\.record.artifacts).map { ($0.name, $0.sha256) }
  }

  private func signingBuilder(of envelope: DSSEEnvelope) -> Builder? {
    for builder in people.builders {
      let keys = builder.keys.compactMap { try? SSHPublicKey(authorizedKey: $0) }
      if !envelope.signingKeys(among: keys).isEmpty { return builder }
    }
    return nil
  }
}
