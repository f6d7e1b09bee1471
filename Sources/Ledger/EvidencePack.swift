import Crypto
import Foundation
import GitKit
import Governance
import Signing

/// A sealed, self-contained bundle of the evidence for some releases, for an auditor who
/// trusts neither the team's servers nor git-govern: the releases' signed records, the policy
/// and people in force (the proven blobs, not whatever the branch's files say), the
/// allowed-signers file and builder keys that re-check the signatures, the artifact hashes, a
/// `git bundle` of the whole governance history, the audit report, a `VERIFY.md` of stock
/// commands, and `MANIFEST.sha256` over all of it, signed by the exporter.
public enum EvidencePack {
  public static let folder = "govern-pack"
  public static let manifest = "MANIFEST.sha256"
  public static let manifestSignature = "MANIFEST.sha256.sig"

  /// `EXPORT.json`: who sealed the pack, when, and what it holds.
  public struct Export: Codable, Sendable, Equatable {
    public var kind = "evidence-pack"
    public var version = 1
    public var exporter: String
    /// The exporter's email: the principal `ssh-keygen -Y verify` checks the manifest as.
    public var email: String
    public var created: String
    /// The governance root commit, the `repo` every record names.
    public var repository: String
    public var governance_tip: String
    public var releases: [String]
    public var since: String?
  }

  public struct Contents {
    public var state: GovernanceState
    public var releases: [String]
    public var since: String?
    public var reportJSON: [UInt8]
    public var reportHTML: [UInt8]
    public var bundle: [UInt8]
    public var exporter: Person
    public var email: String
    public var created: Date
    /// Other records to seal with their signatures (the control catalog the report used).
    public var alsoSealed: [String] = []

    public init(
      state: GovernanceState, releases: [String], since: String?, reportJSON: [UInt8],
      reportHTML: [UInt8], bundle: [UInt8], exporter: Person, email: String, created: Date
    ) {
      (self.state, self.releases, self.since, self.reportJSON, self.reportHTML) = (
        state, releases, since, reportJSON, reportHTML
      )
      (self.bundle, self.exporter, self.email, self.created) = (bundle, exporter, email, created)
    }
  }

  /// Every file of the pack, paths under `folder/`, with `MANIFEST.sha256` last; the caller
  /// signs the manifest and adds its signature.
  public static func files(_ contents: Contents) throws -> [TarArchive.Entry] {
    let state = contents.state
    let repository = state.snapshot.repository
    var files: [(String, [UInt8])] = []
    var artifacts: [String] = []
    let catalog = ReleaseCatalog(state: state)
    for release in contents.releases {
      let directory = LedgerPaths.releaseDirectory(release)
      let retention = "\(RetentionRecords.directory)/\(release)"
      for entry in try state.snapshot.entries(in: retention) {
        let path = "\(retention)/\(entry.name)"
        if let bytes = try state.snapshot.file(at: path) {
          files.append(("records/\(path)", bytes))
        }
      }
      for entry in try state.snapshot.entries(in: directory) {
        let path = "\(directory)/\(entry.name)"
        guard let bytes = try state.snapshot.file(at: path) else { continue }
        files.append(("records/\(path)", bytes))
      }
      // Hashes only from records whose signatures verify; the audit names the others.
      let records = try catalog.records(of: release)
      for evidence in records.evidence where evidence.record.attestation == nil {
        if let sha256 = evidence.record.sha256 {
          artifacts.append("\(sha256)  \(release)/\(evidence.record.name ?? "file")")
        }
      }
      for closeout in records.closeouts {
        artifacts += closeout.record.artifacts.map { "\($0.sha256)  \(release)/\($0.name)" }
      }
    }
    for path in contents.alsoSealed {
      for file in [path, path + LedgerPaths.signatureSuffix] {
        if let bytes = try state.snapshot.file(at: file) {
          files.append(("records/\(file)", bytes))
        }
      }
    }
    files.append(("policy.yml", try repository.blob(state.policyBlob)))
    files.append(("people.yml", try repository.blob(state.peopleBlob)))
    files.append(("allowed_signers", Array(AllowedSigners.text(state.people).text.utf8)))
    for builder in state.people.builders {
      for (index, key) in builder.keys.enumerated() {
        guard let pem = (try? SSHPublicKey(authorizedKey: key))?.pemRepresentation else { continue }
        files.append(("builders/\(builder.id)-\(index + 1).pem", Array(pem.utf8)))
      }
    }
    files.append(("ARTIFACTS.sha256", Array(artifacts.map { $0 + "\n" }.joined().utf8)))
    files.append(("governance.bundle", contents.bundle))
    files.append(("audit.json", contents.reportJSON))
    files.append(("audit.html", contents.reportHTML))
    let export = Export(
      exporter: contents.exporter.id, email: contents.email,
      created: Timestamp.format(contents.created), repository: state.repoID,
      governance_tip: state.snapshot.commit.hex, releases: contents.releases,
      since: contents.since)
    files.append(("EXPORT.json", try CanonicalJSON.pretty(export) + [10]))
    files.append(("VERIFY.md", Array(verifyText(export).utf8)))
    var entries = files.map { TarArchive.Entry(path: "\(folder)/\($0.0)", bytes: $0.1) }
    entries.append(
      TarArchive.Entry(path: "\(folder)/\(manifest)", bytes: manifestText(entries)))
    return entries
  }

  /// `sha256sum` format, sorted by path, relative to the pack's folder.
  public static func manifestText(_ entries: [TarArchive.Entry]) -> [UInt8] {
    let lines = entries.map { entry in
      "\(sha256(entry.bytes))  \(entry.path.dropFirst(folder.count + 1))\n"
    }.sorted { $0.split(separator: " ").last! < $1.split(separator: " ").last! }
    return Array(lines.joined().utf8)
  }

  static func sha256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }

  static func verifyText(_ export: Export) -> String {
    """
    # Verifying this evidence pack with stock tools

    Sealed by \(export.exporter) <\(export.email)> at \(export.created), from governance
    branch \(export.governance_tip) of repository \(export.repository); releases:
    \(export.releases.isEmpty ? "none" : export.releases.joined(separator: ", ")).

    Run these in this folder (`tar -xf pack.tar && cd \(folder)`). Each must succeed.

    1. Every file is the one that was sealed:

           sha256sum -c \(manifest)

    2. The manifest was sealed by \(export.exporter), whose key people.yml registers:

           ssh-keygen -Y verify -f allowed_signers -I \(export.email) -n git-govern \\
               -s \(manifestSignature) < \(manifest)

    3. The governance history is whole, and its tip is the one sealed:

           git init -q --bare history.git
           git -C history.git bundle verify ../governance.bundle
           git -C history.git fetch -q ../governance.bundle refs/heads/governance:refs/heads/governance
           git -C history.git rev-parse refs/heads/governance      # \(export.governance_tip)
           git -C history.git rev-list --max-parents=0 refs/heads/governance   # \(export.repository)

    4. Every record is signed by the person it names (the `actor` field, whose emails are the
       principals in allowed_signers), checked at the time it claims (a key revoked since stays
       valid before its revocation), and is the very file on the governance branch:

           for record in $(find records -name '*.json'); do
             email=$(grep -o '"email":"[^"]*"' "$record" | head -1 | cut -d'"' -f4)
             created=$(grep -o '"created":"[^"]*"' "$record" | head -1 | cut -d'"' -f4 | tr -d -- '-:T')
             ssh-keygen -Y verify -f allowed_signers -I "$email" -n git-govern -O verify-time="$created" \\
                 -s "$record.sig" < "$record" > /dev/null || { echo "FAILED: $record"; exit 1; }
             git -C history.git show "refs/heads/governance:${record#records/}" | cmp - "$record" \\
                 || { echo "DIFFERS: $record"; exit 1; }
           done

    5. The policy and people in force are the branch's:

           git -C history.git show refs/heads/governance:policy.yml | cmp - policy.yml
           git -C history.git show refs/heads/governance:people.yml | cmp - people.yml

    6. The artifacts, placed beside this folder under `<release>/<name>`, are the ones recorded:

           (cd .. && sha256sum -c \(folder)/ARTIFACTS.sha256)

    7. An attestation (an evidence record with `attestation`): its envelope is the builder's.

           jq -r .attestation.envelope "$record" | base64 -d > envelope.json
           jq -r .payload envelope.json | base64 -d > payload
           type=$(jq -r .payloadType envelope.json)
           printf 'DSSEv1 %d %s %d ' ${#type} "$type" $(stat -c %s payload) | cat - payload > pae
           jq -r '.signatures[0].sig' envelope.json | base64 -d > sig
           openssl pkeyutl -verify -pubin -inkey builders/<builder>-1.pem -rawin -in pae -sigfile sig
           # (an ECDSA builder: openssl dgst -sha256 -verify builders/<builder>-1.pem -signature sig pae)

    `audit.json` and `audit.html` are git-govern's audit report for these releases at sealing
    time. `git govern verify-pack pack.tar` makes all of these checks at once, natively.

    """
  }
}
