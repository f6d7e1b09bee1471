import Foundation
import Testing

@testable import Governance

// Small builders for the worlds the tests describe: people, a policy from YAML text,
// and the facts the ledger would hand to the evaluator.

/// Object ids as the ledger would give them: 40 hex digits, recognisable by their first ones.
enum OID {
  static let releasedCommit = "c0ffee" + String(repeating: "1", count: 34)
  static let otherCommit = "badbad" + String(repeating: "2", count: 34)
  static let releasedTree = "7ee000" + String(repeating: "3", count: 34)
  static let otherTree = "7ee999" + String(repeating: "4", count: 34)
  static let policyInForce = "b10b00" + String(repeating: "5", count: 34)
  static let earlierPolicy = "b10b99" + String(repeating: "6", count: 34)
  static let governanceRoot = "0a0a0a" + String(repeating: "7", count: 34)
}

let releaseID = "2026-11-22-v1.2.0"
let releasedRef = "refs/tags/v1.2.0"

/// "Now" for every evaluation unless a test says otherwise.
let now = Timestamp.parse("2026-11-22T12:00:00Z")!

/// The time `hours` before `now`, as a record would store it.
func hoursAgo(_ hours: Double) -> String {
  Timestamp.format(now.addingTimeInterval(-hours * 3600))
}

func key(_ name: String) -> String { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\(name) \(name)@laptop" }

/// The cast: alice manages releases, bob and erin develop, carol and dave do security.
enum Cast {
  static let alice = Person(
    id: "alice", name: "Alice Example", emails: ["alice@example.com"], keys: [key("alice")],
    roles: ["release-manager", "policy-admin"], team: "payments")
  static let bob = Person(
    id: "bob", name: "Bob Builder", emails: ["bob@example.com", "bob@personal.example"],
    keys: [key("bob"), key("bobwork")], roles: ["developer"], team: "payments")
  static let carol = Person(
    id: "carol", name: "Carol Sec", emails: ["carol@example.com"], keys: [key("carol")],
    roles: ["security"])
  static let dave = Person(
    id: "dave", name: "Dave Sec", emails: ["dave@example.com"], keys: [key("dave")],
    roles: ["security", "developer"])
  static let erin = Person(
    id: "erin", name: "Erin Dev", emails: ["erin@example.com"], keys: [key("erin")],
    roles: ["developer"])

  static let everyone = People([alice, bob, carol, dave, erin])
}

/// The example policy of the product contract, restricted to the sections enforced today.
let contractPolicyText = """
  version: 1
  protected:               # refs whose updates need an approved release (globs)
    - refs/heads/main
    - refs/heads/release/*
    - refs/tags/v*
  rules:                   # approval paths; the first whose `when` matches applies
    - name: standard-change
      when: {type: standard}
      approvals: 0
    - name: high-risk
      when: {risk: [high, critical]}
      approvals: 2         # distinct people
      roles: {security: 1} # of which at least this many per role
    - name: default
      approvals: 1
  separation_of_duties:
    requester_may_approve: false
    authors_may_approve: false   # authors/committers of any commit in the release range
  approval_ttl: 72h              # an approval older than this no longer counts
  admins:
    approvals: 1                 # policy-admin signatures needed to change policy/people

  """

/// The contract policy with its separation-of-duties switches and TTL set as a test needs.
func contractPolicy(
  requesterMayApprove: Bool = false, authorsMayApprove: Bool = false, approvalTTL: String? = "72h"
) throws -> Policy {
  var text =
    contractPolicyText
    .replacingOccurrences(
      of: "requester_may_approve: false", with: "requester_may_approve: \(requesterMayApprove)"
    )
    .replacingOccurrences(
      of: "authors_may_approve: false", with: "authors_may_approve: \(authorsMayApprove)")
  if let approvalTTL {
    text = text.replacingOccurrences(of: "approval_ttl: 72h", with: "approval_ttl: \(approvalTTL)")
  } else {
    text = text.replacingOccurrences(of: "approval_ttl: 72h", with: "")
  }
  return try PolicyParser.parse(text)
}

/// The errors a policy text is refused with, as users read them (`file:line:col: message`).
func policyErrors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
  do {
    let policy = try PolicyParser.parse(text)
    Issue.record(
      "expected the policy to be refused, but it parsed to \(policy)",
      sourceLocation: sourceLocation)
    return []
  } catch {
    return error.errors.map(\.description)
  }
}

/// The errors a people file is refused with.
func peopleErrors(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
  do {
    let people = try PeopleFile.parse(text)
    Issue.record(
      "expected people.yml to be refused, but it parsed to \(people)",
      sourceLocation: sourceLocation)
    return []
  } catch {
    return error.errors.map(\.description)
  }
}

func by(_ person: Person, at created: String) -> RecordAuthorship {
  RecordAuthorship(
    repo: OID.governanceRoot, actor: person.id, email: person.emails[0], created: created)
}

/// An approval as `approver` would sign it, by default for exactly the release under test.
func approval(
  by approver: Person, at created: String = hoursAgo(1), target: String = OID.releasedCommit,
  tree: String = OID.releasedTree, ref: String = releasedRef, policy: String = OID.policyInForce
) -> Signed<Approval> {
  Signed(
    record: Approval(
      by(approver, at: created), release: releaseID, target: target, tree: tree, ref: ref,
      policy: policy),
    path: "releases/\(releaseID)/approval-\(approver.id)-\(created).json", signer: approver)
}

func rejection(by rejecter: Person, reason: String) -> Signed<Rejection> {
  Signed(
    record: Rejection(
      by(rejecter, at: hoursAgo(1)), release: releaseID, target: OID.releasedCommit,
      tree: OID.releasedTree,
      ref: releasedRef, policy: OID.policyInForce, reason: reason),
    path: "releases/\(releaseID)/rejection-\(rejecter.id).json", signer: rejecter)
}

func authored(_ person: Person?, as email: String, commit: String = OID.releasedCommit)
  -> Contributor
{
  Contributor(commit: commit, email: email, person: person?.id)
}

/// One release going to `releasedRef`, requested by alice, judged at `now`.
struct Release {
  var policy: Policy
  var people = Cast.everyone
  var requester = Cast.alice
  var type = ReleaseType.normal
  var risk = Risk.low
  var requestedTarget = OID.releasedCommit
  var requestedTree = OID.releasedTree
  var requestedRef = releasedRef
  var approvals: [Signed<Approval>] = []
  var rejections: [Signed<Rejection>] = []
  var problems: [RecordProblem] = []
  var contributors: [Contributor] = []
  /// The paths the release changes, as the ledger works them out for standard requests.
  var changedPaths: [String]?
  var signatures: RangeSignatures?
  var delegations: [Signed<Delegation>] = []
  var recertifications: Recertifications?
  var at = now

  init(policy: Policy, type: ReleaseType = .normal, risk: Risk = .low) {
    self.policy = policy
    self.type = type
    self.risk = risk
  }

  var facts: ReleaseFacts {
    let request = ReleaseRequest(
      by(requester, at: hoursAgo(2)), release: releaseID, target: requestedTarget,
      tree: requestedTree,
      ref: requestedRef, type: type, risk: risk)
    var facts = ReleaseFacts(
      request: Signed(
        record: request, path: "releases/\(releaseID)/request.json", signer: requester),
      approvals: approvals, rejections: rejections, problems: problems, target: OID.releasedCommit,
      targetTree: OID.releasedTree, ref: releasedRef, contributors: contributors,
      rangeSize: max(contributors.count, 1))
    facts.changedPaths = changedPaths
    facts.signatures = signatures
    facts.delegations = Delegations(delegations)
    facts.recertifications = recertifications
    return facts
  }

  var evaluator: ReleaseEvaluator {
    ReleaseEvaluator(policy: policy, policyBlob: OID.policyInForce, people: people, now: at)
  }

  func evaluate() -> Readiness { evaluator.evaluate(facts) }
}

extension Readiness {
  func messages(_ name: String, _ status: Check.Status) -> [String] {
    checks.filter { $0.name == name && $0.status == status }.map(\.message)
  }
}
