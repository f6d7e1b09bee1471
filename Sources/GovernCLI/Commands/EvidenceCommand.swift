import ArgumentParser
import Crypto
import Foundation
import Governance
import Ledger

struct EvidenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evidence",
    abstract: "Record evidence for a release: a file's SHA-256 and size, or a URL.")

  @Argument(help: "The release id (r-…).")
  var release: String

  @Option(help: "What it shows: tests, security-scan, rollback-plan, validation, …")
  var kind: String

  @Option(help: "A file whose SHA-256 and size are recorded (the file itself stays where it is).")
  var file: String?

  @Option(help: "A URL where the evidence lives.")
  var url: String?

  @Option(name: .customLong("key"), help: "SSH key to sign with (default: user.signingkey).")
  var key: String?

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard (file == nil) != (url == nil) else {
      throw ValidationError("give exactly one of --file <f> or --url <u>")
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
    let (me, author) = try session.actor(in: state, key: key)
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
    try sync.syncIfAsked(key: key)
  }
}
