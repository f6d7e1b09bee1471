import Crypto
import Foundation
import GitKit

/// Governance states this user's git-govern has already proven in force, kept under the git
/// directory (`govern/state-cache`, never pushed) so that a `check` or a hook does not prove the
/// policy and people change chain again on every run: with a dozen changes, that proof parses
/// every earlier `people.yml` and verifies every change signature, and it would make each push
/// cost more as the governance history grows.
///
/// An entry is one positive, deterministic fact about content-addressed objects: "the state
/// whose proof entries (`repository.json`, its signature, `policy.yml`, `people.yml` and the
/// `changes/` tree, by object id) are these was proven": the genesis signature verified and a
/// chain of admin-signed changes leads from it to this policy and these people. The proof reads
/// nothing else, so the fact holds wherever these objects are. What the state then allows (who
/// may approve, what a rule needs, the clock) is judged afresh on every run from the parsed
/// policy and people. A failed proof is never stored.
///
/// The file is the verification cache's format (`VerificationCache`: bound to the governance
/// root, checksummed, sealed with this user's key), in a file of its own so that a check reads a
/// few hundred bytes, not the audit's signatures. A file that is corrupt, from another
/// repository or not sealed by this user's key is ignored (and said so), and the chain proven;
/// one that cannot be written (a repository this user may only read) is left as it is, quietly.
public final class ProvenStateCache: Sendable {
  private let store: VerificationCache

  public init(file: URL, keyFile: URL, warn: @escaping @Sendable (String) -> Void) {
    store = VerificationCache(file: file, keyFile: keyFile, warnsWhenUnwritable: false, warn: warn)
  }

  /// The cache of `repository`, sealed with the verification cache's key; nil when there is no
  /// home folder for that key (a hook run without HOME proves the chain every time).
  public convenience init?(
    for repository: Repository, environment: [String: String] = ProcessInfo.processInfo.environment,
    warn: @escaping @Sendable (String) -> Void
  ) {
    let verification = VerificationCache(for: repository, environment: environment, warn: warn)
    guard let keyFile = verification.keyFile else { return nil }
    self.init(
      file: verification.file.deletingLastPathComponent().appendingPathComponent("state-cache"),
      keyFile: keyFile, warn: warn)
  }

  /// Reads the file, once, for the repository whose governance root is `root`. The root is the
  /// genesis record's claim (`repo`), read before it is verified: it only tells this
  /// repository's file from another's, and the facts in it hold in any repository anyway.
  func bind(toGovernanceRoot root: OID) {
    guard !store.isBound else { return }
    store.bind(toGovernanceRoot: root)
  }

  /// Whether the state with these proof entries was proven before.
  func knows(_ entries: [OID?]) -> Bool { store.contains(Self.entry(entries)) }

  /// Remembers that it was proven now (called only after the proof succeeded), and writes the
  /// file at once: a command proves one or two states, and may end in many ways.
  func learn(_ entries: [OID?]) {
    store.add(Self.entry(entries))
    store.save()
  }

  /// The proof entries as one entry: their SHA-256 in the key field, the policy and people
  /// blobs in the others (for a reader of the file; the digest alone identifies the state).
  static func entry(_ entries: [OID?]) -> VerificationCache.Entry {
    var bytes: [UInt8] = []
    for oid in entries { bytes += oid?.bytes ?? OID.zero.bytes }
    let named = entries.count == 5 ? (entries[2], entries[3]) : (nil, nil)
    return VerificationCache.Entry(
      kind: .state, subject: named.0 ?? .zero, signature: named.1 ?? .zero,
      key: VerificationCache.KeyDigest(bytes: Array(SHA256.hash(data: bytes))))
  }
}
