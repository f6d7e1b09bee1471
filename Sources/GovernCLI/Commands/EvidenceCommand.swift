import ArgumentParser
import Crypto
import Foundation
import Governance
import Ledger
import Signing

struct EvidenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evidence",
    abstract:
      "Record evidence for a release: a file's SHA-256 and size, a URL, or a builder's signed in-toto attestation."
  )

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(
    help:
      "What it shows: tests, security-scan, rollback-plan, validation, … (with --attestation: the predicate type's kind, checked)."
  )
  var kind: String?

  @Option(help: "A file whose SHA-256 and size are recorded (the file itself stays where it is).")
  var file: String?

  @Option(help: "A URL where the evidence lives.")
  var url: String?

  @Option(
    help: ArgumentHelp(
      "In-toto statements in DSSE envelopes, one per line (.intoto.jsonl), signed by a registered builder.",
      discussion:
        "Each becomes one evidence record holding the envelope, all in one commit. The envelope must verify with a key in people.yml's builders:, "
        + "and a subject must be the release's commit (gitCommit) or a file recorded for it (sha256), or a provenance must name the commit among its materials."
    ))
  var attestation: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard [file, url, attestation].compactMap({ $0 }).count == 1 else {
      throw ValidationError("give exactly one of --file <f>, --url <u> or --attestation <f>")
    }
    guard let kind else {
      if attestation != nil { return }
      throw ValidationError("--kind is needed with --file or --url, such as --kind tests")
    }
    guard !kind.isEmpty, kind.count <= 64,
      kind.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
    else {
      throw ValidationError(
        "--kind \"\(kind)\" must be lowercase letters, digits and '-', such as tests or rollback-plan"
      )
    }
    if let url {
      guard let parsed = URL(string: url),
        ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil
      else {
        throw ValidationError("--url \"\(url)\" is not an http(s) URL")
      }
    }
  }

  func run() throws {
    if let attestation { return try recordAttestations(attestation) }
    let kind = kind ?? ""
    var name: String?
    var digest: String?
    var size: Int?
    if let file {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw UsageError("--file \(file): cannot read it")
      }
      name = URL(fileURLWithPath: file).lastPathComponent
      digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
      size = data.count
    }
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let request = try ReleaseLookup.load(release, session: session, state: state).request.record
    let now = Date()
    let record = Evidence(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, evidence: kind, name: name, sha256: digest, size: size, url: url)
    try session.appendReleaseRecord(
      record, release: release, kind: "evidence", actor: me, author: author, now: now,
      message: "git-govern: \(kind) evidence for \(release) by \(me.id)")
    let what =
      digest.map { "\(name ?? "file") (sha256 \($0.prefix(16))…, \(size ?? 0) bytes)" } ?? url ?? ""
    Message.out("Recorded \(kind) evidence for \(release): \(what)")
    try sync.syncIfAsked(key: signing.path)
  }

  /// Every envelope is verified before anything is written; one that fails refuses them all.
  private func recordAttestations(_ path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw UsageError("--attestation \(path): cannot read it")
    }
    let envelopes = DSSEEnvelope.lines(of: Array(data))
    guard !envelopes.isEmpty else {
      throw UsageError(
        "--attestation \(path): holds no envelope; expected one DSSE envelope (JSON) per line")
    }
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let lookup = try ReleaseLookup.load(release, session: session, state: state)
    let request = lookup.request.record
    let verifier = AttestationVerifier(people: state.people, policy: state.policy.attestations)
    let artifacts = AttestationVerifier.recordedFiles(
      evidence: lookup.records.evidence, closeouts: lookup.records.closeouts)
    let now = Date()
    let authorship = try session.authorship(state, me, now: now)
    var records: [Evidence] = []
    for (line, envelope) in envelopes {
      let place = envelopes.count == 1 ? path : "\(path) line \(line)"
      switch verifier.verify(
        envelope: envelope, target: request.target, tree: request.tree, artifacts: artifacts)
      {
      case .failure(let problem):
        throw UsageError("--attestation \(place): the envelope \(problem.message)")
      case .success(let verified):
        if let kind, kind != verified.kind {
          throw UsageError(
            "--attestation \(place): is \(verified.kind) evidence (\(verified.attestation.predicate_type)), not --kind \(kind)"
          )
        }
        records.append(
          Evidence(
            authorship, release: release, target: request.target, tree: request.tree,
            ref: request.ref, evidence: verified.kind,
            name: URL(fileURLWithPath: path).lastPathComponent,
            sha256: SHA256.hash(data: envelope).map { String(format: "%02x", $0) }.joined(),
            size: envelope.count, attestation: verified.attestation))
      }
    }
    try session.appendReleaseRecords(
      records, release: release, kind: "evidence", actor: me, author: author, now: now,
      message:
        "git-govern: \(records.map(\.evidence).joined(separator: ", ")) attestation\(records.count == 1 ? "" : "s") for \(release) by \(me.id)"
    )
    for record in records {
      let attestation = record.attestation!
      Message.out(
        "Recorded \(record.evidence) evidence for \(release): \(attestation.predicate_type) by builder \(attestation.builder), bound by \(attestation.binds)"
      )
    }
    try sync.syncIfAsked(key: signing.path)
  }
}
