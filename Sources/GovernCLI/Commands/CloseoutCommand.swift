import ArgumentParser
import Crypto
import Foundation
import Governance
import Ledger

struct CloseoutCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "closeout",
    abstract:
      "Close a release: its outcome, its artifacts' hashes and sizes, and how long to keep them.")

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "deployed, rolled-back, failed or cancelled.")
  var outcome: CloseoutOutcome

  @Option(
    help: "A file the release produced (repeat for several); its SHA-256 and size are recorded.")
  var artifact: [String] = []

  @Option(
    name: .customLong("retain-until"),
    help: "Keep records and artifacts until this date (2027-12-31) or RFC 3339 time.")
  var retainUntil: String?

  @Flag(
    name: .customLong("legal-hold"),
    help: "Keep everything until the hold is lifted, whatever the date.")
  var legalHold = false

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    var artifacts: [Artifact] = []
    for path in artifact {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw UsageError("--artifact \(path): cannot read it")
      }
      artifacts.append(
        Artifact(
          name: URL(fileURLWithPath: path).lastPathComponent,
          sha256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(),
          size: data.count))
    }
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let requested = try ReleaseLookup.load(release, session: session, state: state).request
    try Self.requireMayCloseOut(me, requester: requested.signer.id, state: state)
    let request = requested.record
    let now = Date()
    var retention: Date?
    if let retainUntil {
      guard
        let date = Timestamp.parse(retainUntil)
          ?? LocalDateTime.parse(retainUntil).map({ IANATimeZone.utc.instant(for: $0, .latest) })
      else {
        throw UsageError(
          "--retain-until \"\(retainUntil)\" is not a date: write 2027-12-31 or 2027-12-31T00:00:00Z"
        )
      }
      retention = date
    }
    if let minimum = state.policy.retentionMin {
      let earliest = now.addingTimeInterval(TimeInterval(minimum))
      if let chosen = retention, chosen < earliest {
        throw UsageError(
          "--retain-until \(retainUntil ?? "") is too soon: the policy's retention_min (\(DurationText.text(fromSeconds: minimum))) "
            + "asks for \(Timestamp.format(earliest)) or later")
      }
      retention = retention ?? earliest
    }
    let record = Closeout(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, outcome: outcome, artifacts: artifacts,
      retainUntil: retention.map(Timestamp.format),
      legalHold: legalHold)
    try session.appendReleaseRecord(
      record, release: release, kind: "closeout", actor: me, author: author, now: now,
      message: "git-govern: closeout of \(release) by \(me.id)")
    Message.out(
      "Closed \(release) as \(outcome.rawValue) (\(artifacts.count) artifact\(artifacts.count == 1 ? "" : "s"))"
        + (retention.map { ", kept until \(Timestamp.format($0))" } ?? "")
        + (legalHold ? ", under legal hold" : "") + ".")
    try sync.syncIfAsked(key: signing.path)
  }
}

extension CloseoutCommand {
  /// Refuses, before anything is written, a closeout its signer may not make: readers would
  /// not count it, and the server refuses it.
  static func requireMayCloseOut(_ me: Person, requester: String, state: GovernanceState) throws {
    let policy = state.policy
    guard !policy.mayCloseOut(me, requester: requester) else { return }
    let holders = state.people.persons.filter {
      $0.id != requester && policy.mayCloseOut($0, requester: requester)
    }.map(\.id)
    Message.note(
      "Refused: \(me.id) may not close out a release \(requester) requested: only its requester, a policy-admin "
        + "or a holder of closeout_roles (\(policy.closeoutRoles.joined(separator: ", "))) may, so the record would not count and none was written. "
        + "\(([requester] + holders).joined(separator: " or ")) can.")
    throw Blocked()
  }
}

extension CloseoutOutcome: ExpressibleByArgument {}
