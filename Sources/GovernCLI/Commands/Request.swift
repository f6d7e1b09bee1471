import ArgumentParser
import Foundation
import GitKit
import Governance
import Ledger

struct Request: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "request",
    abstract: "Request a release of a commit to a ref; prints the release id.")

  @Argument(help: "The commit to release (any revision: HEAD, a tag, a sha).")
  var revision: String

  @Option(help: "The ref it goes to, e.g. refs/tags/v1.2.0 or refs/heads/main.")
  var to: String

  @Option(help: "standard, normal or emergency.")
  var type: ReleaseType = .normal

  @Option(help: "low, medium, high or critical.")
  var risk: Risk = .medium

  @Option(help: "A change-record id (ticket) this release implements.")
  var change: String?

  @Option(help: "A one-line title.")
  var title: String?

  @Option(
    help: "The open incident this release fixes (it may go out while the incident blocks others).")
  var incident: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    let target = try session.commit(revision)
    let ref = try session.fullRef(to)
    if !state.policy.isProtected(ref) {
      Message.note(
        "note: \(ref) is not protected by the policy, so pushing it needs no release; recording the request anyway"
      )
    }
    let now = Date()
    let release = LedgerPaths.newReleaseID()
    let record = ReleaseRequest(
      try session.authorship(state, me, now: now), release: release, target: target.hex,
      tree: try session.repository.tree(ofCommit: target).hex, ref: ref, type: type, risk: risk,
      change: change,
      title: title, incident: incident)
    var files = try author.signedFiles(record, at: LedgerPaths.request(release))
    files.append(
      LedgerFile(
        path: LedgerPaths.targetEntry(target.hex, release: release), bytes: Array("\(ref)\n".utf8)))
    try session.ledger.append(
      message: "git-govern: request \(release) \(ref)", author: author, now: now
    ) { _ in files }
    try ReviewRefs.make(for: release, at: target, in: session.repository)
    Message.out(release)
    Message.note(
      "Requested \(release): \(target.hex.prefix(10)) to \(ref) (\(type.rawValue), \(risk.rawValue) risk). See what it needs: git govern status \(release)"
    )
    if !sync.push {
      Message.note(
        "Approvers fetch it once you publish the request and its commit (\(ReviewRef.name(of: release))): git govern sync"
      )
    }
    if type == .standard, state.policy.isProtected(ref) {
      // Said now rather than at the push: a standard change is what the policy pre-approves.
      let state = try session.state()
      let lookup = try ReleaseLookup.load(release, session: session, state: state, now: now)
      let (judged, check) = ReleaseCatalog(state: state).evaluator(now: now).judgedType(
        lookup.facts)
      if judged != .standard, let check { Message.note("note: \(check.message)") }
    }
    try sync.syncIfAsked(key: signing.path)
  }
}

extension ReleaseType: ExpressibleByArgument {}
extension Risk: ExpressibleByArgument {}
