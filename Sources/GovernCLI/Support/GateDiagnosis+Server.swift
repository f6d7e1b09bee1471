import Foundation
import GitKit
import Governance
import Ledger
import Signing

extension GateDiagnosis {
  /// The server's checks: what makes its pre-receive the gate, and its receipts the timeline.
  func server() -> [DoctorCheck] {
    let keyPath = (try? repository.configString("govern.serverKey")).flatMap { $0 }
    let install =
      "git govern hooks install --server --key "
      + (keyPath.map(shellWord) ?? "<the server's private key>")
    var checks = [ownership()]
    checks.append(
      hook(
        "pre-receive",
        what: "pushes reach protected refs unchecked (the client hook is only advice)",
        fix: install))
    checks.append(
      hook(
        "post-receive",
        what:
          "pushes get no server-signed receipts: no trusted timeline for freezes, approval ages and emergency deadlines",
        fix: install))
    checks.append(fsckObjects())
    let (governance, state) = self.governance(onServer: true)
    checks += governance
    checks += serverKey(keyPath, state: state)
    if let state {
      checks.append(head(state.policy))
      checks.append(symbolicRefs(state.policy))
      checks.append(serverClock(state))
    }
    return checks
  }

  /// The repository's owner and this user: git refuses a repository another user owns unless
  /// `safe.directory` lets this user in, and then no hook runs for any push. libgit2 makes the
  /// same check when it opens the repository, so a repository opened here is one git opens.
  func ownership() -> DoctorCheck {
    let path = Self.trimmed(repository.workingDirectory ?? repository.gitDirectory)
    let owner =
      ((try? FileManager.default.attributesOfItem(atPath: path))?[.ownerAccountID] as? NSNumber)?
      .uint32Value
    let me = geteuid()
    let asHooksUser = "run git govern doctor as the user the forge runs hooks as"
    guard let owner, owner != me else {
      return .ok(
        "safe.directory",
        "\(path) belongs to this user (uid \(me)), so git works in it without safe.directory; \(asHooksUser)"
      )
    }
    return .ok(
      "safe.directory",
      "\(path) belongs to uid \(owner), not this user (uid \(me)), and safe.directory lets this user in; \(asHooksUser)"
    )
  }

  /// The one check there is when the repository cannot be opened for its owner: libgit2 said
  /// (in `error`) which path it refused.
  static func ownerRefused(_ error: GitError) -> DoctorCheck {
    let quoted = error.message.split(separator: "'", omittingEmptySubsequences: false)
    let path = trimmed(
      quoted.count >= 3 ? String(quoted[1]) : FileManager.default.currentDirectoryPath)
    return .fail(
      "safe.directory",
      "\(path) belongs to another user and safe.directory does not list it, so git refuses to work in it "
        + "(\"dubious ownership\"): as this user no hook runs and every push fails",
      fix: "git config --global --add safe.directory \(shellWord(path))")
  }

  static func trimmed(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  /// `receive.fsckObjects` (or `transfer.fsckObjects`, which it defaults to) true.
  func fsckObjects() -> DoctorCheck {
    let fix = "git config receive.fsckObjects true"
    do {
      let value =
        try repository.configBool("receive.fsckObjects")
        ?? repository.configBool("transfer.fsckObjects")
      if value == true {
        return .ok(
          "receive.fsckObjects", "git refuses malformed objects in pushes before the hooks run")
      }
    } catch {
      return .fail(
        "receive.fsckObjects",
        "receive.fsckObjects cannot be read as true or false: \(Message.describe(error))", fix: fix)
    }
    return .fail(
      "receive.fsckObjects",
      "receive.fsckObjects is not true, so git takes malformed objects (a tree naming one file twice, an author line "
        + "git and libgit2 read as different people) into the history the gate judges",
      fix: fix)
  }

  /// `govern.serverKey` readable, and registered to a person with role server, valid now.
  func serverKey(_ keyPath: String?, state: GovernanceState?) -> [DoctorCheck] {
    let placeholder = "git govern hooks install --server --key <the server's private key>"
    guard let keyPath, !keyPath.isEmpty else {
      return [
        .fail(
          "server.key",
          "govern.serverKey is not set, so the post-receive signs no push receipts: there is no trusted timeline of pushes",
          fix: placeholder)
      ]
    }
    let publicKey: SSHPublicKey
    do {
      publicKey = try SSHKeygenSigner.publicKey(forKeyPath: keyPath)
    } catch {
      return [
        .fail(
          "server.key",
          "govern.serverKey is \(keyPath), which cannot be used: \(Message.describe(error))",
          fix: placeholder)
      ]
    }
    var checks: [DoctorCheck] = [
      .ok("server.key", "receipts are signed with \(publicKey.fingerprint) (govern.serverKey)")
    ]
    guard let state else { return checks }
    let register = "# by a policy-admin, in a clone of this repository"
    guard let person = state.people.person(key: publicKey.authorizedKey) else {
      checks.append(
        .fail(
          "server.identity",
          "the server's key \(publicKey.fingerprint) is registered to nobody in people.yml, so the post-receive writes no receipts",
          fix:
            "git govern identity add server --email <the server's email> --key \(shellWord(publicKey.authorizedKey)) --role server --push   \(register)"
        ))
      return checks
    }
    guard person.hasRole(PushReceipt.serverRole) else {
      checks.append(
        .fail(
          "server.identity",
          "the server's key \(publicKey.fingerprint) belongs to \(person.id), who does not hold role server, so the post-receive writes no receipts",
          fix: "git govern identity add \(person.id) --role server --push   \(register)"))
      return checks
    }
    let validity = person.validity(of: publicKey.authorizedKey)
    if let revoked = validity.revoked {
      checks.append(
        .fail(
          "server.identity",
          "the server's key \(publicKey.fingerprint) was revoked at \(Timestamp.format(revoked.at)) (\(revoked.reason)), so it signs nothing",
          fix:
            "ssh-keygen -t ed25519 -N '' -f <new key> && git govern identity add \(person.id) --key <new key>.pub --push   \(register); then: \(placeholder)"
        ))
    } else if let problem = validity.problem(at: now) {
      checks.append(
        .fail(
          "server.identity",
          "the server's key \(publicKey.fingerprint) cannot sign now: a receipt made now \(problem)",
          fix:
            "git govern identity add \(person.id) --key <a new .pub> --push   \(register); then: \(placeholder)"
        ))
    } else {
      checks.append(
        .ok("server.identity", "the server's key belongs to \(person.id), with role server"))
    }
    return checks
  }

  /// The branch HEAD names is the one clones check out and push by default: on a ref the
  /// policy does not protect, that default is ungoverned (`git init --bare` leaves HEAD on
  /// `master`, or whatever init.defaultBranch says).
  func head(_ policy: Policy) -> DoctorCheck {
    let protectedBranch = policy.protected.map(\.text).first {
      $0.hasPrefix("refs/heads/") && !$0.contains("*")
    }
    let fix = protectedBranch.map { "git symbolic-ref HEAD \(shellWord($0))" }
    let target: String?
    do {
      target = try repository.symbolicTarget(of: "HEAD")
    } catch {
      return .fail("head", "cannot read HEAD: \(Message.describe(error))", fix: fix)
    }
    guard let target else {
      return .warn(
        "head", "HEAD is detached here, so clones get no default branch to push",
        fix: fix)
    }
    if let pattern = policy.protectingPattern(for: target) {
      return .ok("head", "HEAD names \(target), which the policy protects (\(pattern.text))")
    }
    return .fail(
      "head",
      "HEAD names \(target), which the policy does not protect: clones check it out as their default branch, "
        + "and pushes to it need no release",
      fix: fix ?? "git govern policy apply <a policy.yml that protects \(target)>")
  }

  /// A protected name that is a symbolic ref to a ref the policy does not protect: the gate
  /// refuses every push through it, and what it shows moves without a release.
  func symbolicRefs(_ policy: Policy) -> DoctorCheck {
    let links: [(name: String, target: String)]
    do {
      links = try repository.symbolicReferences()
    } catch {
      return .fail("symbolic-refs", "cannot list refs: \(Message.describe(error))", fix: nil)
    }
    let wrong = links.filter { policy.isProtected($0.name) && !policy.isProtected($0.target) }
    guard !wrong.isEmpty else {
      return .ok(
        "symbolic-refs",
        links.isEmpty
          ? "no symbolic refs under refs/"
          : "every symbolic ref under a protected name points at a protected ref")
    }
    let fixes = wrong.map { link in
      (try? repository.referenceTarget(link.target)).flatMap { $0 }.map {
        "git update-ref --no-deref \(shellWord(link.name)) \($0.hex)"
      } ?? "git symbolic-ref --delete \(shellWord(link.name))"
    }
    return .fail(
      "symbolic-refs",
      wrong.map {
        "\($0.name) is protected but a symbolic ref to \($0.target), which is not: every push through it is refused, "
          + "while \($0.target) moves without a release"
      }.joined(separator: "; ") + " (make it a plain ref, or protect its target)",
      fix: fixes.joined(separator: " && "))
  }

  /// The server is the clock: a clock behind the newest receipt it signed would date new
  /// receipts before old ones, and judge freezes and ages by the wrong time.
  func serverClock(_ state: GovernanceState) -> DoctorCheck {
    let emails = Set(
      state.people.withRole(PushReceipt.serverRole).flatMap(\.emails).map(EmailAddress.canonical))
    var commit: OID? = state.snapshot.commit
    var newest: Date?
    var tipTime: Date?
    // Receipts are written at the tip by every push, so the newest is near it.
    for _ in 0..<Self.receiptSearch {
      guard let oid = commit, let read = try? repository.commit(oid) else { break }
      if tipTime == nil { tipTime = read.committer.time }
      if emails.contains(EmailAddress.canonical(read.committer.email)) {
        newest = read.committer.time
        break
      }
      commit = read.parents.first
    }
    if let newest, now < newest {
      return .fail(
        "clock",
        "the clock reads \(Timestamp.format(now)), before the newest receipt this server signed (\(Timestamp.format(newest))): "
          + "new receipts would go back in time, and freezes, approval ages and emergency deadlines would be judged by the wrong time",
        fix: Self.clockFix)
    }
    if let tipTime, tipTime > now.addingTimeInterval(Self.clockSlack) {
      return .warn(
        "clock",
        "the clock reads \(Timestamp.format(now)), before the newest governance commit (\(Timestamp.format(tipTime))), by more than the 5 minutes a record may run ahead",
        fix: Self.clockFix)
    }
    return .ok(
      "clock",
      "the clock (\(Timestamp.format(now))) is not behind the newest receipt"
        + (newest.map { " (\(Timestamp.format($0)))" } ?? " (none yet)"))
  }

  static let receiptSearch = 1000
}
