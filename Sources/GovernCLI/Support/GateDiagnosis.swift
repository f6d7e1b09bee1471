import Foundation
import GitKit
import Governance
import Ledger
import Signing

/// The checks `git govern doctor` runs: what the gate needs in this repository to hold.
/// Each check finds one thing and says, when it does not hold, the command that fixes it.
struct GateDiagnosis {
  let session: Session
  /// The machine's clock (or `GIT_GOVERN_NOW`, to ask what the clock check would say then).
  let now: Date

  var repository: Repository { session.repository }

  /// The client's checks: the pre-push hook, who you are, the governance branch, the clock.
  func client() -> [DoctorCheck] {
    var checks = [
      hook(
        "pre-push", what: "a push to a protected ref is not checked before it leaves",
        fix: "git govern hooks install")
    ]
    let (governance, state) = self.governance(onServer: false)
    checks += identity(state)
    checks += governance
    if let state { checks.append(clientClock(state)) }
    return checks
  }

  /// A hook git runs from the hooks folder it uses (`core.hooksPath` honoured): there, the
  /// text git-govern writes, and executable.
  func hook(_ name: String, what: String, fix: String) -> DoctorCheck {
    let id = "hooks.\(name)"
    let installer = HookInstaller(repository: repository)
    do {
      let directory = try installer.hooksDirectory()
      let path = directory.appendingPathComponent(name).path
      let configured = try repository.configString("core.hooksPath").map { !$0.isEmpty } ?? false
      let folder = configured ? " (core.hooksPath points git at \(directory.path))" : ""
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        return .fail(
          id,
          "there is no \(name) hook at \(path)\(folder), so \(what)", fix: fix)
      }
      guard HookInstaller.isOurs(text, template: try installer.text(of: name)) else {
        if text.contains(HookInstaller.marker) {
          return .fail(
            id,
            "\(path) says it is git-govern's but is not the hook git-govern writes (edited, or from another version), so what it runs may not be the gate",
            fix: fix)
        }
        return .fail(
          id,
          "\(path) is another script, not git-govern's \(name) hook, so \(what) (to keep that script, call git-govern from it by hand)",
          fix: fix + " --force")
      }
      guard FileManager.default.isExecutableFile(atPath: path) else {
        return .fail(
          id, "\(path) is git-govern's hook but not executable, so git skips it and \(what)",
          fix: "chmod +x \(shellWord(path))")
      }
      return .ok(id, "\(path) is git-govern's \(name) hook\(folder)")
    } catch {
      return .fail(id, "cannot read the hooks folder: \(Message.describe(error))", fix: fix)
    }
  }

  /// The governance branch there and its policy and people proven; the state when it loads.
  func governance(onServer: Bool) -> (checks: [DoctorCheck], state: GovernanceState?) {
    let ref = session.ledger.ref
    let tip: OID?
    do {
      tip = try onServer ? session.ledger.localTip() : session.ledger.tip()
    } catch {
      return (
        [.fail("governance.branch", "cannot read \(ref): \(Message.describe(error))", fix: nil)],
        nil
      )
    }
    guard let tip else {
      if onServer {
        return (
          [
            .fail(
              "governance.branch",
              "there is no governance branch \(ref) here, so the pre-receive knows no policy and refuses every push. "
                + LedgerError.adoptionSteps(ref),
              fix: LedgerError.adoptionCommand(ref) + "   # in a clone of this repository")
          ], nil
        )
      }
      let hasOrigin = (try? repository.configString("remote.origin.url")) != nil
      return (
        [
          .fail(
            "governance.branch",
            "there is no governance branch \(ref) here, nor a remote-tracking copy of it, so the hook has no policy and refuses every push to protected refs"
              + (hasOrigin
                ? "; fetch it from origin (or, if nobody made one yet, run git govern init)"
                : "; create it (once per repository): git govern init"),
            fix: hasOrigin ? "git fetch origin" : "git govern init")
        ], nil
      )
    }
    let local = (try? session.ledger.localTip()) != nil
    var checks: [DoctorCheck] = [
      .ok(
        "governance.branch",
        "\(ref) is at \(tip.hex.prefix(10))" + (local ? "" : " (a remote-tracking copy)"))
    ]
    do {
      let state = try session.state()
      checks.append(
        .ok(
          "governance.proven",
          "the policy and people in force are proven (signed at init, or changed by enough policy-admins): "
            + "\(state.people.persons.count) people, \(state.policy.protected.count) protected patterns"
        ))
      return (checks, state)
    } catch {
      checks.append(
        .fail(
          "governance.proven",
          "the governance branch does not prove its policy and people, so every protected ref stays closed: \(Message.describe(error))",
          fix: "git govern audit   # says what does not verify, and since when"))
      return (checks, nil)
    }
  }

  /// user.email and the signing key, registered to one person and valid now.
  func identity(_ state: GovernanceState?) -> [DoctorCheck] {
    guard let email = try? session.userEmail() else {
      return [
        .warn(
          "identity",
          "user.email is not set, so git govern does not know who you are: you cannot request, approve or sign anything",
          fix: "git config user.email you@example.com")
      ]
    }
    let keyPath: String
    let publicKey: SSHPublicKey
    do {
      keyPath = try session.signingKey(override: nil)
      publicKey = try SSHKeygenSigner.publicKey(forKeyPath: keyPath)
    } catch {
      return [
        .warn(
          "identity", "no usable signing key: \(Message.describe(error))",
          fix: "git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub")
      ]
    }
    guard let state else { return [] }  // the governance check says why there is no state
    do {
      let (person, _) = try session.actor(in: state, key: nil)
      return [
        .ok(
          "identity",
          "you are \(person.id) (\(person.roles.joined(separator: ", "))), signing with \(publicKey.fingerprint)"
        )
      ]
    } catch {
      let known = state.people.person(email: email)
      return [
        .warn(
          "identity", Message.describe(error),
          fix:
            "git govern identity add \(known?.id ?? Init.principal(fromEmail: email)) --email \(shellWord(email)) --key \(shellWord(publicKey.authorizedKey))"
            + (known == nil ? " --role developer" : "") + " --push   # by a policy-admin")
      ]
    }
  }

  /// A client cannot know the right time; a clock behind the newest governance commit is the
  /// one sign it can see (commit times are their writers' claims, so only a warning).
  func clientClock(_ state: GovernanceState) -> DoctorCheck {
    guard let tip = try? repository.commit(state.snapshot.commit) else {
      return .warn("clock", "cannot read the governance branch's newest commit", fix: nil)
    }
    let time = tip.committer.time
    if time > now.addingTimeInterval(Self.clockSlack) {
      return .warn(
        "clock",
        "this machine's clock (\(Timestamp.format(now))) is behind the newest governance commit (\(Timestamp.format(time)), by \(tip.committer.email)): "
          + "records you sign now would look older than it, or that commit's clock was ahead",
        fix: Self.clockFix)
    }
    return .ok(
      "clock",
      "the clock (\(Timestamp.format(now))) is not behind the newest governance commit (\(Timestamp.format(time)))"
    )
  }

  /// As much as the server lets a record's time run ahead of its own clock.
  static let clockSlack: TimeInterval = 300
  static let clockFix = "sudo timedatectl set-ntp true"
}
