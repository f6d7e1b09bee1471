import ArgumentParser
import Foundation
import GitKit
import Governance
import Ledger

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract:
      "The gate: may these ref updates go through? Exit 1 blocks, naming every reason and the fix.",
    discussion: """
      check <rev> --to <ref>                 would pushing <rev> to <ref> pass now (or --at a time)?
      check --hook pre-push <remote> <url>   as git's client pre-push hook (reads its standard input)
      check --hook pre-receive               as the server's pre-receive hook (reads its standard input)
      check --hook update <ref> <old> <new>  as the server's update hook
      """)

  @Option(help: "Run as this git hook: pre-push, pre-receive or update.")
  var hook: String?

  @Option(help: "With <rev>: the ref it would go to.")
  var to: String?

  @Option(
    help:
      "Evaluate as of this time (2026-12-01 = midnight UTC, or RFC 3339) (default: GIT_GOVERN_NOW, else now)."
  )
  var at: String?

  @Flag(help: "Machine-readable output.")
  var json = false

  @Argument(help: "<rev>, or the hook's own arguments.")
  var arguments: [String] = []

  /// Server hooks run on the forge's behalf: their clock is the server's own.
  var isServerHook: Bool { hook == "pre-receive" || hook == "update" }

  func validate() throws {
    if isServerHook, at != nil {
      throw ValidationError(
        "--at cannot be used with --hook \(hook!): the server judges pushes by its own clock")
    }
    switch hook {
    case nil:
      guard arguments.count == 1, to != nil else {
        throw ValidationError(
          "say what to check: git govern check <rev> --to <ref>, or run it as a hook with --hook")
      }
    case "pre-push":
      guard arguments.count == 2 else {
        throw ValidationError("--hook pre-push takes git's two arguments: <remote> <url>")
      }
    case "pre-receive":
      guard arguments.isEmpty else {
        throw ValidationError("--hook pre-receive takes no arguments; it reads standard input")
      }
    case "update":
      guard arguments.count == 3 else {
        throw ValidationError("--hook update takes git's three arguments: <ref> <old> <new>")
      }
    case let other?:
      throw ValidationError(
        "--hook \(other) is not a hook git-govern knows; use pre-push, pre-receive or update")
    }
  }

  func run() throws {
    // Over the local file transport the pusher's environment reaches the server's hooks, so
    // GIT_GOVERN_NOW there is the pusher's claim: the server keeps to its own clock.
    let now = isServerHook ? Date() : try Session.clock(at: at)
    let session = try Session()
    let updates = try readUpdates(session)
    let asOf = isServerHook ? nil : try Session.whatIf(at: at)
    var verdicts = try judge(updates, session: session, now: now, asOf: asOf)
    var refreshNote: String?
    if hook == "pre-push" {
      (verdicts, refreshNote) = try prePushFreshness(
        verdicts, session: session, remote: arguments[0]
      ) { try judge(updates, session: session, now: now, asOf: asOf) }
    }
    let blocked = verdicts.filter { !$0.allowed }
    if json {
      Message.out(try Message.json(Report(verdicts)))
    } else {
      report(verdicts)
    }
    if let refreshNote { Message.note(refreshNote) }
    if !blocked.isEmpty { throw Blocked() }
  }

  private func readUpdates(_ session: Session) throws -> [RefUpdate] {
    switch hook {
    case "pre-push": return try HookLines.prePush(HookInput.readStandardInput())
    case "pre-receive":
      return try RefUpdate.resolvingSymbolicRefs(
        HookLines.preReceive(HookInput.readStandardInput()), in: session.repository)
    case "update":
      return try RefUpdate.resolvingSymbolicRefs(
        [HookLines.update(arguments)], in: session.repository)
    default:
      return [
        RefUpdate(ref: try session.fullRef(to!), old: nil, new: try session.commit(arguments[0]))
      ]
    }
  }

  /// Every update's verdict: a push that moves the governance branch too is judged by the
  /// records it brings, once the server has checked that move itself; notes are refused.
  private func judge(_ updates: [RefUpdate], session: Session, now: Date, asOf: Date?) throws
    -> [GateVerdict]
  {
    let onServer = isServerHook
    let pusher = onServer ? Pusher.fromEnvironment() : Pusher.onClient(session)
    let gate = ReleaseGate(repository: session.repository, pusher: pusher)
    let governanceRef = session.ledger.ref
    var verdicts: [GateVerdict] = []
    var state: () throws -> GovernanceState = {
      // A server without a local governance branch has no policy: say how it gets one.
      if onServer, try session.ledger.localTip() == nil {
        throw LedgerError.noGovernanceBranchOnServer(governanceRef)
      }
      return try session.state(asOf: asOf)
    }
    if let move = updates.first(where: { $0.ref == governanceRef }), hook != "pre-push" {
      var check = GovernanceUpdateCheck(repository: session.repository, ref: governanceRef)
      check.now = now
      check.memo = session.memo
      let problems = check.problems(old: move.old ?? .zero, new: move.new)
      verdicts.append(
        GateVerdict(update: move, allowed: problems.isEmpty, readiness: nil, reasons: problems))
      if problems.isEmpty {
        state = {
          try GovernanceState.load(
            LedgerSnapshot(repository: session.repository, commit: move.new), memo: session.memo)
        }
      } else {
        state = { throw LedgerError("the governance branch in this push was refused") }
      }
    }
    // Notes are derived from the records and written by the server's post-receive, in the
    // repository itself; nobody pushes them.
    let notes = hook != nil ? updates.filter { $0.ref == Synchronizer.notesRef } : []
    verdicts += notes.map {
      GateVerdict(
        update: $0, allowed: false, readiness: nil,
        reasons: [
          "\(Synchronizer.notesRef) is written by the server only: notes are derived from the records, and the server "
            + "writes them when it receipts a push. Push the governance branch instead (git govern sync); "
            + "the server's notes reach you with git govern sync"
        ])
    }
    verdicts += gate.judge(
      updates.filter {
        ($0.ref != governanceRef || hook == "pre-push")
          && !(hook != nil && $0.ref == Synchronizer.notesRef)
      }, now: now, state: state)
    return verdicts
  }

  /// The client's pre-push hook judges with this clone's records first. Only a push that would
  /// be blocked fetches the remote's governance records (an approval may have come since the
  /// last sync) and is judged again with them; an allowed one costs no network, and is told
  /// when this clone has records the remote did not have at the last fetch.
  private func prePushFreshness(
    _ verdicts: [GateVerdict], session: Session, remote: String,
    judgeAgain: () throws -> [GateVerdict]
  ) throws -> ([GateVerdict], String?) {
    let refresh = GovernanceRefresh(session: session, remote: remote)
    guard verdicts.contains(where: { !$0.allowed }) else {
      let unpublished = refresh.hasUnpublishedRecords()
      return (verdicts, unpublished ? refresh.note(.localAhead, blocked: false) : nil)
    }
    let outcome = refresh.run()
    let judged = outcome == .fastForwarded ? try judgeAgain() : verdicts
    return (judged, refresh.note(outcome, blocked: judged.contains { !$0.allowed }))
  }

  /// People read the hook's words on stderr (git shows them, prefixed "remote:" on a server).
  private func report(_ verdicts: [GateVerdict]) {
    let toStdout = hook == nil
    let write: (String) -> Void = { toStdout ? Message.out($0) : Message.note($0) }
    let stream: Int32 = hook == nil ? 1 : 2
    for verdict in verdicts {
      let ref = verdict.update.ref
      if let pushed = verdict.update.pushedAs {
        write(
          "git-govern: \(pushed) is a symbolic ref to \(ref) here, so this push is judged as \(ref)"
        )
      }
      let target =
        verdict.update.new.isZero ? "(delete)" : String(verdict.update.new.hex.prefix(10))
      if verdict.allowed {
        guard let readiness = verdict.readiness else { continue }  // not protected: nothing to say
        write("git-govern: \(ref) -> \(target): allowed by release \(readiness.release)")
        for reason in verdict.reasons {
          write("  \(Message.mark(.warn, stream: stream)) \(reason)")
        }
      } else {
        write("git-govern: \(ref) -> \(target): " + Message.paint("blocked", "31", stream: stream))
        for reason in verdict.reasons { write("  - \(reason)") }
      }
    }
    let blocked = verdicts.filter { !$0.allowed }.count
    if blocked > 0, hook == "pre-push" {
      write(
        "git-govern: push refused (\(blocked) protected ref\(blocked == 1 ? "" : "s") not ready). The server checks again; --no-verify does not get past it."
      )
    }
  }

  struct Report: Encodable {
    struct Update: Encodable {
      let ref: String
      let old: String?
      let new: String
      let allowed: Bool
      let release: String?
      let reasons: [String]
    }
    let status: String
    let updates: [Update]

    init(_ verdicts: [GateVerdict]) {
      status = verdicts.allSatisfy(\.allowed) ? "allowed" : "blocked"
      updates = verdicts.map {
        Update(
          ref: $0.update.ref, old: $0.update.old?.hex, new: $0.update.new.hex, allowed: $0.allowed,
          release: $0.readiness?.release, reasons: $0.reasons)
      }
    }
  }
}
