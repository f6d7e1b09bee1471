import ArgumentParser
import Foundation
import GitKit
import Governance
import Ledger
import Signing

struct RecordPush: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record-push",
    abstract:
      "Server post-receive: write a signed push receipt for each protected ref that moved, and its note.",
    discussion:
      "Reads git's post-receive input (<old> <new> <ref> per line). Signs with govern.serverKey, a key registered to a person with role server."
  )

  func run() throws {
    let session = try Session()
    let allUpdates = try RefUpdate.resolvingSymbolicRefs(
      HookLines.preReceive(HookInput.readStandardInput()), in: session.repository)
    let governanceMove = allUpdates.first { $0.ref == session.ledger.ref && !$0.new.isZero }
    let before = try governanceMove.map { $0.old ?? .zero } ?? session.ledger.tip()
    try writeReceipts(session, allUpdates, governanceMove: governanceMove)
    try announce(session, since: before)
  }

  /// Each record the push and its receipts added, to `govern.eventCommand` if one is set.
  private func announce(_ session: Session, since before: OID?) throws {
    guard let delivery = try EventDelivery(repository: session.repository),
      let after = try session.ledger.tip(), after != before
    else { return }
    let from = before.flatMap { $0.isZero ? nil : $0 }
    let lines = try GovernanceEvents.lines(session.repository, old: from, new: after)
    let failed = delivery.deliver(lines)
    if !failed.isEmpty {
      Message.note(
        "git-govern: \(failed.count) of \(lines.count) event(s) not delivered by govern.eventCommand after \(delivery.retries + 1) tries; "
          + "send them again with: git govern events --from \(from?.hex ?? "<start>") --to \(after.hex) --send"
      )
    }
  }

  private func writeReceipts(
    _ session: Session, _ allUpdates: [RefUpdate], governanceMove: RefUpdate?
  ) throws {
    let updates = allUpdates.filter { $0.ref != session.ledger.ref && !$0.new.isZero }
    let state = try session.state()
    let protected = updates.filter { state.policy.isProtected($0.ref) }
    guard !protected.isEmpty || governanceMove != nil else { return }
    guard let keyPath = try session.repository.configString("govern.serverkey"), !keyPath.isEmpty
    else {
      Message.note(
        "git-govern: no receipt written: govern.serverKey is not set (git govern hooks install --server --signing-key <path>)"
      )
      return
    }
    let publicKey = try SSHKeygenSigner.publicKey(forKeyPath: keyPath)
    guard let server = state.people.person(key: publicKey.authorizedKey),
      server.hasRole(PushReceipt.serverRole),
      let email = server.emails.first
    else {
      Message.note(
        "git-govern: no receipt written: the server key \(publicKey.fingerprint) is not registered to a person with role server; "
          + "a policy-admin can run: git govern identity add server --email <e> --key <server .pub> --role server"
      )
      return
    }
    let pusher = Pusher.fromEnvironment()
    let author = LedgerAuthor(
      name: "git-govern server", email: email, signer: SSHKeygenSigner(keyPath: keyPath))
    let now = Date()
    let gate = ReleaseGate(repository: session.repository, pusher: pusher)
    var notes: [(target: OID, text: String)] = []
    var written: [String] = []
    try session.ledger.append(message: "git-govern: push receipts", author: author, now: now) {
      snapshot in
      guard let snapshot else { throw LedgerError.noGovernanceBranch(session.ledger.ref) }
      let current = try GovernanceState.load(snapshot)
      let catalog = ReleaseCatalog(state: current)
      var files: [LedgerFile] = []
      notes = []
      written = []
      if let move = governanceMove {
        let acceptances = try AcceptanceWriter(
          repository: session.repository, state: current, server: server, email: email, now: now,
          pusher: pusher
        ).receipts(old: move.old ?? .zero, new: move.new)
        for (path, receipt) in acceptances {
          files += try author.signedFiles(receipt, at: path)
        }
        if !acceptances.isEmpty {
          written.append("\(acceptances.count) release folder(s) of records accepted")
        }
        // A closeout of a pushed release ends it: its note says so from now on.
        for (_, receipt) in acceptances
        where receipt.records.contains(where: { $0.name.hasPrefix("closeout-") }) {
          guard let target = OID(hex: receipt.target) else { continue }
          let existing =
            try notes.last(where: { $0.target == target })?.text
            ?? session.repository.note(on: target)
          if let text = try CommitNote(repository: session.repository, state: current)
            .textAfterCloseout(for: target, release: receipt.release, existing: existing, now: now)
          {
            notes.append((target, text))
          }
        }
      }
      for update in protected {
        let verdict = gate.judge(update, now: now, state: current)
        guard let readiness = verdict.readiness, verdict.allowed else {
          Message.note(
            "git-govern: \(update.ref) moved without a ready release (pushed past the gate?); no receipt, audit will report it"
          )
          continue
        }
        let target = try session.repository.peelToCommit(update.new)
        let receipt = PushReceipt(
          RecordAuthorship(
            repo: current.repoID, actor: server.id, email: email, created: Timestamp.format(now)),
          release: readiness.release, target: target.hex,
          tree: try session.repository.tree(ofCommit: target).hex,
          ref: update.ref, old: (update.old ?? .zero).hex, new: update.new.hex, pusher: pusher,
          governance: snapshot.commit.hex)
        let path =
          "\(LedgerPaths.releaseDirectory(readiness.release))/\(LedgerPaths.recordName(kind: "receipt", actor: server.id, created: now))"
        files += try author.signedFiles(receipt, at: path)
        let records = try catalog.records(of: readiness.release)
        if let request = records.request {
          let pattern = current.policy.protectingPattern(for: update.ref) ?? RefPattern(update.ref)
          let range = try ReleaseRange.forUpdate(
            session.repository, target: target, ref: update.ref, old: update.old ?? .zero,
            pattern: pattern, releasedBefore: current.releasedBefore)
          let facts = try catalog.facts(
            records, request: request, target: target, ref: update.ref, range: range, now: now)
          let section = ReleaseNote.render(
            facts, readiness: readiness, receipts: records.receipts.map(\.record) + [receipt],
            evaluator: catalog.evaluator(now: now),
            state: ReleaseNote.state(
              pushed: facts, endedBy: ReleaseLifecycle.finalCloseout(facts, at: now)))
          // Two refs of one push may release the same commit: the second note builds on the first.
          let existing =
            try notes.last(where: { $0.target == target })?.text
            ?? session.repository.note(on: target)
          notes.append(
            (
              target,
              try CommitNote(repository: session.repository, state: current).text(
                for: target, release: readiness.release, section: section, existing: existing)
            ))
        }
        written.append("\(update.ref) -> \(readiness.release)")
      }
      return files
    }
    if !notes.isEmpty {
      let person = GitKit.Signature(name: "git-govern server", email: email, time: now)
      try session.repository.setNotes(notes, author: person, message: "git-govern: release notes")
    }
    for line in written { Message.note("git-govern: receipt for \(line)") }
  }
}
