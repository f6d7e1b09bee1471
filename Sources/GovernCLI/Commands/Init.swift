import ArgumentParser
import Foundation
import GitKit
import Governance
import Ledger
import Signing

struct Init: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract:
      "Create the governance branch with policy.yml and people.yml; you become its first policy-admin."
  )

  @Flag(name: .customLong("no-hooks"), help: "Do not install the client pre-push hook.")
  var noHooks = false

  @Option(
    help: "Your principal (short name) in people.yml; default: the part of user.email before '@'.")
  var principal: String?

  @Option(help: "Your team.")
  var team: String?

  @OptionGroup var signing: SigningKeyOption

  @Option(
    help:
      "Adopting an existing repository: the commit released before governance began (e.g. HEAD or the last tag); it and all it reaches are in no release's range."
  )
  var baseline: String?

  func run() throws {
    let session = try Session()
    if let tip = try session.ledger.tip() {
      Message.out(
        "The governance branch already exists (\(session.ledger.ref) at \(tip.hex.prefix(10))); nothing changed."
      )
      return
    }
    // Resolved before anything is written: a bad revision is an input error that leaves no branch.
    let baselineCommit = try baseline.map { try session.commit($0, argument: "--baseline") }
    let email = try session.userEmail()
    let id = principal ?? Self.principal(fromEmail: email)
    guard Person.isValidID(id) else {
      throw UsageError(
        "--principal \"\(id)\" is not valid: use lowercase letters, digits, '.', '_' or '-'")
    }
    let keyPath = try session.signingKey(override: signing.path)
    let publicKey = try SSHKeygenSigner.publicKey(forKeyPath: keyPath)
    let policyText = try ShareFiles.text("templates/policy.yml")
    let policy = try PolicyParser.parse(policyText, file: "templates/policy.yml")
    let peopleTemplate = try ShareFiles.text("templates/people.yml")
    let me = Person(
      id: id, name: try session.userName(), emails: [email], keys: [publicKey.authorizedKey],
      roles: ["policy-admin"],
      team: team)
    let people = try PeopleFile.parse(peopleTemplate, file: "templates/people.yml").upserting(me)
    let peopleText = Self.header(of: peopleTemplate) + PeopleFile.render(people)
    let author = LedgerAuthor(
      name: try session.userName(), email: email, signer: SSHKeygenSigner(keyPath: keyPath))
    let now = Date()

    let ledger = session.ledger
    let repository = session.repository
    let root = try ledger.writeCommit(
      files: [
        LedgerFile(path: LedgerPaths.policy, bytes: Array(policyText.utf8)),
        LedgerFile(path: LedgerPaths.people, bytes: Array(peopleText.utf8)),
      ], parent: nil,
      message:
        "git-govern: init\n\nPolicy and people from templates/; \(id) is the first policy-admin.\n",
      author: author, now: now)
    // What the protected refs hold now was released before governance began.
    var protectedValues: [String: String] = [:]
    for (name, value) in try repository.references(glob: nil) where policy.isProtected(name) {
      if let commit = try? repository.peelToCommit(value) { protectedValues[name] = commit.hex }
    }
    let genesis = RepositoryRecord(
      RecordAuthorship(repo: root.hex, actor: id, email: email, created: Timestamp.format(now)),
      policy: try repository.writeBlob(Array(policyText.utf8)).hex,
      people: try repository.writeBlob(Array(peopleText.utf8)).hex, baseline: protectedValues,
      baselineCommit: baselineCommit?.hex)
    let second = try ledger.writeCommit(
      files: try author.signedFiles(genesis, at: LedgerPaths.repository), parent: root,
      message:
        "git-govern: repository record\n\nBinds every record to this governance root (\(root.hex)).\n",
      author: author, now: now)
    try ledger.move(to: second, expecting: nil, message: "init")
    Message.out(
      "Created \(ledger.ref) (root \(root.hex.prefix(10))) with policy.yml and people.yml; \(id) is policy-admin."
    )
    if let baselineCommit {
      Message.out(
        "Baseline: \(baselineCommit.hex.prefix(10)) and everything before it were released before governance; the first release's range starts after it."
      )
    }
    if noHooks {
      Message.out("No hooks installed (--no-hooks); install later with: git govern hooks install")
    } else if repository.isBare {
      Message.out(
        "This is a bare repository: install the server hooks with git govern hooks install --server"
      )
    } else {
      let path = try HookInstaller(repository: repository).install(["pre-push"], force: false)
      Message.out("Installed the pre-push hook: \(path.joined(separator: ", "))")
    }
    Message.out(
      "Next: register people (git govern identity add), then request a release (git govern request <rev> --to <ref>)."
    )
  }

  static func principal(fromEmail email: String) -> String {
    let local = email.split(separator: "@").first.map(String.init) ?? email
    let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
    let cleaned = String(local.lowercased().map { allowed.contains($0) ? $0 : "-" })
    return cleaned.trimmingPrefix(while: { $0 == "." || $0 == "-" })
  }

  /// The template's leading comment lines, kept above the rendered people.
  static func header(of template: String) -> String {
    template.split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("#") }
      .map { $0 + "\n" }.joined()
  }
}

extension String {
  func trimmingPrefix(while predicate: (Character) -> Bool) -> String {
    String(drop(while: predicate))
  }
}
