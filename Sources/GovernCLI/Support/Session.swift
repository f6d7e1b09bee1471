import Foundation
import GitKit
import Governance
import Ledger
import Signing

/// One invocation's view of the repository: its configuration (git's, with `git -c`), the
/// governance branch, the clock, and who is acting.
final class Session {
  let repository: Repository
  let ledger: Ledger
  /// The states and seals this invocation has worked out, for every state it loads, and the
  /// states its earlier runs proved (`ProvenStateCache`).
  let memo: LedgerMemo

  init() throws {
    repository = try Repository.open(FileManager.default.currentDirectoryPath)
    memo = LedgerMemo(provenStates: ProvenStateCache(for: repository) { Message.note($0) })
    let ref = try repository.configString("govern.ref") ?? "refs/heads/governance"
    guard ref.hasPrefix("refs/") else {
      throw UsageError(
        "govern.ref is \"\(ref)\"; it must be a full ref name such as refs/heads/governance")
    }
    ledger = Ledger(repository: repository, ref: ref)
  }

  /// The governance state in force now, or as the branch stood at `asOf` (`--at`).
  func state(asOf instant: Date? = nil) throws -> GovernanceState {
    do {
      return try GovernanceState.load(
        instant.map { try ledger.snapshot(asOf: $0) } ?? ledger.snapshot(), memo: memo)
    } catch {
      guard repository.isShallow else { throw error }
      throw LedgerError(
        "this is a shallow clone, so the governance history it needs is missing: run `git fetch --unshallow` (\(error))"
      )
    }
  }

  /// The time `--at` or `GIT_GOVERN_NOW` asks about, when one does: commands then read the
  /// governance branch as it stood at that time too.
  static func whatIf(at: String?) throws -> Date? {
    let overridden =
      at != nil || !(ProcessInfo.processInfo.environment["GIT_GOVERN_NOW"] ?? "").isEmpty
    return overridden ? try clock(at: at) : nil
  }

  /// `--at`, else `GIT_GOVERN_NOW`, else the machine's clock.
  static func clock(at: String?) throws -> Date {
    if let at {
      return try TimeArgument.parse(at, flag: "--at")
    }
    if let text = ProcessInfo.processInfo.environment["GIT_GOVERN_NOW"], !text.isEmpty {
      guard let date = TimeArgument.parse(text) else {
        throw UsageError(
          "GIT_GOVERN_NOW=\"\(text)\" is not a time; write it like 2026-12-01 (midnight UTC) or 2026-12-01T09:30:00Z"
        )
      }
      return date
    }
    return Date()
  }

  func userEmail() throws -> String {
    guard let email = try repository.configString("user.email"), !email.isEmpty else {
      throw UsageError(
        "user.email is not set; git govern acts as the person with that email: git config user.email you@example.com"
      )
    }
    return email
  }

  func userName() throws -> String {
    try repository.configString("user.name") ?? (try userEmail())
  }

  /// `--key`, else `user.signingkey` (a path to a private key, or a public key whose private
  /// half is in ssh-agent, or `key::ssh-ed25519 …`), as git reads it for `gpg.format=ssh`.
  func signingKey(override: String?) throws -> String {
    if let override { return expandHome(override) }
    guard let key = try repository.configString("user.signingkey"), !key.isEmpty else {
      throw UsageError(
        "no signing key: set user.signingkey to your SSH key (git config user.signingkey ~/.ssh/id_ed25519.pub) or pass --signing-key <path>"
      )
    }
    if let format = try repository.configString("gpg.format"), format != "ssh" {
      Message.note(
        "note: gpg.format is \"\(format)\"; git govern signs with SSH keys and reads user.signingkey as one"
      )
    }
    return key.hasPrefix("key::") || key.hasPrefix("ssh-") || key.hasPrefix("ecdsa-")
      ? key : expandHome(key)
  }

  private func expandHome(_ path: String) -> String {
    guard path.hasPrefix("~/") else { return path }
    return (ProcessInfo.processInfo.environment["HOME"] ?? "") + path.dropFirst(1)
  }

  /// The person acting, proven by both their email and their signing key being registered.
  func actor(in state: GovernanceState, key override: String?) throws -> (
    person: Person, author: LedgerAuthor
  ) {
    let email = try userEmail()
    let keyPath = try signingKey(override: override)
    let publicKey = try SSHKeygenSigner.publicKey(forKeyPath: keyPath)
    guard let person = state.people.person(email: email) else {
      throw UsageError(
        "\(email) (user.email) is not registered in people.yml; a policy-admin can run: "
          + "git govern identity add <you> --email \(email) --key <your .pub file> --role <role>")
    }
    guard person.keys.contains(publicKey.authorizedKey) else {
      throw UsageError(
        "your signing key \(publicKey.fingerprint) is not registered for \(person.id); a policy-admin can run: "
          + "git govern identity add \(person.id) --key <your .pub file>")
    }
    let validity = person.validity(of: publicKey.authorizedKey)
    if let revoked = validity.revoked {
      throw UsageError(
        "your signing key \(publicKey.fingerprint) was revoked at \(Timestamp.format(revoked.at)) (\(revoked.reason)); "
          + "a policy-admin can register a new one: git govern identity add \(person.id) --key <your new .pub file>"
      )
    }
    if let problem = validity.problem(at: Date()) {
      throw UsageError(
        "your signing key \(publicKey.fingerprint) cannot sign now: a record made now \(problem)")
    }
    return (
      person,
      LedgerAuthor(name: try userName(), email: email, signer: SSHKeygenSigner(keyPath: keyPath))
    )
  }

  func authorship(_ state: GovernanceState, _ person: Person, now: Date) throws -> RecordAuthorship
  {
    RecordAuthorship(
      repo: state.repoID, actor: person.id, email: try userEmail(), created: Timestamp.format(now))
  }

  func commit(_ revision: String, argument: String = "<rev>") throws -> OID {
    do {
      return try repository.resolveRevision(revision)
    } catch {
      throw UsageError("\(argument) \"\(revision)\" is not a commit in this repository (\(error))")
    }
  }

  /// `refs/tags/v1.0` as given; `v1.0` when a tag or branch of that name exists.
  func fullRef(_ text: String) throws -> String {
    if text.hasPrefix("refs/") { return text }
    for candidate in ["refs/tags/\(text)", "refs/heads/\(text)"]
    where try repository.referenceTarget(candidate) != nil {
      return candidate
    }
    throw UsageError(
      "--to \"\(text)\" is ambiguous; give the full ref: refs/heads/\(text) or refs/tags/\(text)")
  }
}

extension Session {
  /// Adds one signed record at `path` on the governance branch, in one governance commit.
  func appendRecord<R: GovernanceRecord>(
    _ record: R, at path: String, author: LedgerAuthor, now: Date, message: String
  ) throws {
    try appendRecords([(record, path)], author: author, now: now, message: message)
  }

  /// Several signed records, each at its path, in one governance commit: all of them land, or
  /// none.
  func appendRecords<R: GovernanceRecord>(
    _ records: [(record: R, path: String)], author: LedgerAuthor, now: Date, message: String
  ) throws {
    var files: [LedgerFile] = []
    for (record, path) in records {
      files += try author.signedFiles(record, at: path)
    }
    try ledger.append(message: message, author: author, now: now) { _ in files }
  }

  /// Adds one signed record to a release's folder, as `actor`, in one governance commit.
  func appendReleaseRecord<R: GovernanceRecord>(
    _ record: R, release: String, kind: String, actor: Person, author: LedgerAuthor, now: Date,
    message: String
  ) throws {
    try appendReleaseRecords(
      [record], release: release, kind: kind, actor: actor, author: author, now: now,
      message: message)
  }

  /// Several records of one release in one commit: all of them land, or none.
  func appendReleaseRecords<R: GovernanceRecord>(
    _ records: [R], release: String, kind: String, actor: Person, author: LedgerAuthor, now: Date,
    message: String
  ) throws {
    let placed = records.map { record in
      (
        record: record,
        path:
          "\(LedgerPaths.releaseDirectory(release))/\(LedgerPaths.recordName(kind: kind, actor: actor.id, created: now))"
      )
    }
    try appendRecords(placed, author: author, now: now, message: message)
  }
}
