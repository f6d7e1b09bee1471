import ArgumentParser
import Foundation
import Governance
import Ledger

struct Exception: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exception",
    abstract:
      "Break glass: let a release through a freeze, or with the smaller emergency threshold, and open its obligations."
  )

  @Argument(help: "The release id (r-…).", completion: ShellCompletion.releases)
  var release: String

  @Option(help: "Why: it stays on the record.")
  var reason: String

  @Option(
    help:
      "emergency (through a freeze, with the emergency threshold) or freeze-override (through a freeze only)."
  )
  var kind: ExceptionKind = .emergency

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func validate() throws {
    guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw ValidationError("--reason must say why")
    }
  }

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    guard let rule = state.policy.emergency else {
      throw UsageError(
        "the policy has no `emergency:` section, so exceptions cannot be raised; a policy-admin can add one (git govern policy apply)"
      )
    }
    let lookup = try ReleaseLookup.load(release, session: session, state: state)
    let evaluator = ReleaseCatalog(state: state).evaluator(now: Date())
    if let reason = evaluator.exceptionDisqualification(of: me, for: lookup.facts) {
      let others = evaluator.exceptionSigners(lookup.facts).map(\.id)
      Message.note(
        "Refused: \(reason). An exception by \(me.id) would not count, so none was recorded. "
          + (others.isEmpty
            ? "Nobody registered may raise it; a policy-admin must register someone (git govern identity add)."
            : "\(others.joined(separator: " or ")) can raise it."))
      throw Blocked()
    }
    let request = lookup.request.record
    let now = Date()
    let record = ReleaseException(
      try session.authorship(state, me, now: now), release: release, target: request.target,
      tree: request.tree,
      ref: request.ref, policy: state.policyBlob.hex, exception: kind, reason: reason)
    try session.appendReleaseRecord(
      record, release: release, kind: "exception", actor: me, author: author, now: now,
      message: "git-govern: \(kind.rawValue) exception for \(release) by \(me.id)")
    Message.out(
      "Raised \(kind == .emergency ? "an" : "a") \(kind.rawValue) exception for \(release) as \(me.id): \(reason)"
    )
    if let validation = rule.validationWithin, kind == .emergency {
      Message.out(
        "Obligations: validation evidence within \(validation) (git govern evidence \(release) --kind validation --file <report>)"
      )
    }
    if let review = rule.reviewWithin, kind == .emergency {
      Message.out(
        "             a retrospective review within \(review) by someone other than \(request.actor) (git govern review \(release) --outcome ok|issues)"
      )
    }
    try sync.syncIfAsked(key: signing.path)
  }
}

extension ExceptionKind: ExpressibleByArgument {}
