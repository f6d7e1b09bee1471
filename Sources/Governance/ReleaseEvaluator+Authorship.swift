/// Who made the range's commits: their signatures, when the policy asks for signed commits,
/// and the identities nobody registered.
extension ReleaseEvaluator {
  /// How many commits a check names before it counts the rest.
  static let commitsNamed = 5

  public func authorshipChecks(_ facts: ReleaseFacts) -> [Check] {
    (policy.signedCommits ? signatureChecks(facts) : []) + identityChecks(facts)
  }

  private func signatureChecks(_ facts: ReleaseFacts) -> [Check] {
    guard let signatures = facts.signatures else {
      // Fail closed: the policy asks for proof the ledger did not gather.
      return [
        Check(
          "signed_commits", .blocker,
          "the policy asks for signed commits, but the signatures of the range were not read")
      ]
    }
    var blockers = signatures.unsigned.prefix(Self.commitsNamed).map {
      Check("signed_commits", .blocker, unsignedMessage($0))
    }
    if signatures.unsigned.count > Self.commitsNamed {
      blockers.append(
        Check(
          "signed_commits", .blocker,
          "and \(signatures.unsigned.count - Self.commitsNamed) more commits of the range without a valid signature by a registered key"
        ))
    }
    for signer in signatures.signers {
      guard let person = people[signer.person] else { continue }
      let validity = person.validity(of: signer.key)
      if let revoked = validity.revoked {
        blockers.append(
          Check(
            "signed_commits", .blocker,
            "commit \(short(signer.commit)) is signed with \(person.id)'s key \(signer.fingerprint), revoked at "
              + "\(Timestamp.format(revoked.at)) (\(revoked.reason)); re-sign it with a key in force: "
              + Self.signingFix))
      } else if let problem = validity.problem(at: now) {
        blockers.append(
          Check(
            "signed_commits", .blocker,
            "commit \(short(signer.commit)) is signed with \(person.id)'s key \(signer.fingerprint), which is not valid now "
              + "(judged at \(Timestamp.format(now)) it \(problem)); re-sign it with a key in force: "
              + Self.signingFix))
      }
    }
    if !blockers.isEmpty { return blockers }
    let names = Set(signatures.signers.map(\.person)).sorted()
    return [
      Check(
        "signed_commits", .pass,
        "all \(facts.rangeSize) commit\(facts.rangeSize == 1 ? " is" : "s are") signed by registered keys"
          + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))"))
    ]
  }

  static let signingFix =
    "git config gpg.format ssh; git config user.signingkey <your registered key>; "
    + "git commit --amend --no-edit -S (older commits: git rebase --exec 'git commit --amend --no-edit -S' <base>), "
    + "then request the new commit"

  private func unsignedMessage(_ commit: UnsignedCommit) -> String {
    let label = "commit \(short(commit.commit))"
    switch commit.reason {
    case .unsigned:
      return
        "\(label) is not signed, and the policy asks for signed commits (signed_commits: true); its author can sign it "
        + "with an SSH key registered in people.yml: \(Self.signingFix)"
    case .unknownKey(let fingerprint):
      return
        "\(label) is signed by key \(fingerprint), which nobody registered in people.yml; a policy-admin can register it "
        + "(git govern identity add <who> --key <key.pub>, or --pgp <fingerprint> for an OpenPGP key), "
        + "or re-sign the commit with a registered key: \(Self.signingFix)"
    case .openPGP(let why):
      return
        "\(label) carries an OpenPGP signature git-govern could not verify (\(why)); import the signer's public key "
        + "where the gate runs (gpg --import) and register its fingerprint (git govern identity add <who> --pgp <fingerprint>), "
        + "or sign with an SSH key registered in people.yml: \(Self.signingFix)"
    case .notSSH:
      return
        "\(label) carries a signature that is neither SSH nor OpenPGP, which git-govern counts as signed by an unknown key; "
        + "sign it with an SSH key registered in people.yml: \(Self.signingFix)"
    case .invalid(let why):
      return
        "\(label) has a signature that does not verify (\(why)); re-sign it with a registered key: \(Self.signingFix)"
    }
  }

  /// Identities the range's commits name that nobody registered: a warning, naming the
  /// registered address each looks like, if any.
  private func identityChecks(_ facts: ReleaseFacts) -> [Check] {
    let unknown = facts.contributors.filter { $0.person == nil && $0.contribution != .signed }
    var checks = unknown.prefix(Self.commitsNamed).map { contributor in
      let lookalikes = people.lookalikes(of: contributor.email)
      let what =
        "\(contributor.email) (\(contributor.contribution.rawValue) \(short(contributor.commit))) is registered to nobody"
      guard lookalikes.isEmpty else {
        let names = lookalikes.map { "\($0.person.id)'s \($0.email)" }.joined(separator: ", ")
        return Check(
          "identities", .warn,
          "\(what), and looks like \(names): an address made to pass for someone else's; find out who made the commit"
        )
      }
      return Check(
        "identities", .warn,
        "\(what); a policy-admin can register it (git govern identity add <who> --email \(contributor.email))"
      )
    }
    if unknown.count > Self.commitsNamed {
      checks.append(
        Check(
          "identities", .warn,
          "and \(unknown.count - Self.commitsNamed) more identities of the range registered to nobody"
        ))
    }
    return checks
  }
}

extension Readiness {
  /// The approvals that did not count, and why (`not counted: carol signed …`): beside a
  /// block for missing approvals, they say why the ones recorded were not enough.
  public var uncountedApprovals: [String] {
    checks.filter {
      $0.name == "approvals" && $0.status == .warn && $0.message.hasPrefix("not counted: ")
    }
    .map(\.message)
  }
}
