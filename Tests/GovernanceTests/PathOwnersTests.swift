import Foundation
import Testing

@testable import Governance

/// frank and gina are payments engineers beside alice and bob; sam holds sre.
private let frank = Person(
  id: "frank", name: "Frank Pay", emails: ["frank@example.com"], keys: [key("frank")],
  roles: ["developer"], team: "payments")
private let gina = Person(
  id: "gina", name: "Gina Pay", emails: ["gina@example.com"], keys: [key("gina")],
  roles: ["developer"], team: "payments")
private let sam = Person(
  id: "sam", name: "Sam Ops", emails: ["sam@example.com"], keys: [key("sam")], roles: ["sre"])
private let staff = People([
  Cast.alice, Cast.bob, Cast.carol, Cast.dave, Cast.erin, frank, gina, sam,
])

private func ownersPolicy(_ owners: String) throws -> Policy {
  try PolicyParser.parse(contractPolicyText + "owners:\n" + owners)
}

/// A release alice requested, bob wrote, carol approved (the rule's one approval), changing `paths`.
private func ownedRelease(_ owners: String, paths: [String]?) throws -> Release {
  var release = Release(policy: try ownersPolicy(owners))
  release.people = staff
  release.contributors = [authored(Cast.bob, as: "bob@example.com")]
  release.approvals = [approval(by: Cast.carol)]
  release.changedPaths = paths
  return release
}

@Suite("path owners: patterns, counts, separation of duties per path, the fallback")
struct PathOwnersTests {
  @Test("a compiled pattern matches as a standard change's PathPattern does, `**` across segments")
  func patternsMatch() {
    let cases: [(String, String, Bool)] = [
      ("payments/**", "payments/api.swift", true), ("payments/**", "payments/a/b/c.swift", true),
      ("payments/**", "paymentsx/a", false), ("payments/**", "src/payments/a", false),
      ("*.md", "README.md", true), ("*.md", "docs/a.md", false), ("**/*.md", "docs/a.md", true),
      ("**/*.md", "README.md", true), ("Makefile", "Makefile", true),
      ("Makefile", "Makefile2", false),
      ("src/?.c", "src/a.c", true), ("src/?.c", "src/ab.c", false),
      ("infra/*/main.tf", "infra/eu/main.tf", true),
    ]
    for (pattern, path, expected) in cases {
      #expect(CompiledPathPattern(pattern).matches(path) == expected, "\(pattern) ~ \(path)")
      #expect(PathPattern(pattern).matches(path) == expected, "\(pattern) ~ \(path)")
    }
  }

  @Test(
    "every pattern that matches a path applies; the default takes only paths no pattern matches")
  func groups() throws {
    let policy = try ownersPolicy(
      """
        payments/**: {team: payments, approvals: 2}
        payments/ledger/**: {role: security}
        default: {role: release-manager}
      """)
    let groups = policy.owners.groups(for: [
      "payments/api.swift", "payments/ledger/book.swift", "README.md",
    ])
    #expect(groups.map(\.rule.name) == ["payments/**", "payments/ledger/**", "default"])
    #expect(groups[0].paths == ["payments/api.swift", "payments/ledger/book.swift"])
    #expect(groups[1].paths == ["payments/ledger/book.swift"])
    #expect(groups[2].paths == ["README.md"])
    #expect(policy.owners.groups(for: ["payments/api.swift"]).map(\.rule.name) == ["payments/**"])

    let noDefault = try ownersPolicy("  payments/**: {team: payments}\n")
    #expect(noDefault.owners.groups(for: ["README.md"]).isEmpty)
  }

  @Test(
    "two payments owners must approve; the author and the requester do not count; status names who can"
  )
  func countsAndDuties() throws {
    var release = try ownedRelease(
      "  payments/**: {team: payments, approvals: 2}\n",
      paths: [
        "payments/api.swift", "payments/b.swift", "payments/c.swift", "payments/d.swift",
        "README.md",
      ])
    #expect(release.evaluate().status == .blocked)
    #expect(
      release.evaluate().messages("owners", .blocker) == [
        "owners of payments/** (team payments) must approve: 4 changed paths (payments/api.swift, payments/b.swift, "
          + "payments/c.swift and 1 more) need 2 more owner approvals: frank or gina can run `git govern approve \(releaseID)`"
      ])
    // bob wrote the range and alice asked for it: neither counts for payments/ (nor at all).
    release.approvals += [approval(by: Cast.bob), approval(by: Cast.alice), approval(by: frank)]
    let blocked = release.evaluate()
    #expect(blocked.status == .blocked)
    #expect(
      blocked.messages("owners", .blocker).first?.contains(
        "need 1 more owner approval; counted so far: frank: gina can run") == true,
      "\(blocked.messages("owners", .blocker))")
    #expect(
      blocked.messages("approvals", .warn).contains { $0.contains("bob authored or committed") })
    release.approvals.append(approval(by: gina))
    #expect(release.evaluate().status != .blocked)
    #expect(
      release.evaluate().messages("owners", .pass) == [
        "approved by owners of payments/** (frank, gina)"
      ])

    // With authors allowed to approve, bob counts for payments/ too.
    var lenient = try ownedRelease(
      "  payments/**: {team: payments, approvals: 2}\n", paths: ["payments/a"])
    lenient.policy.authorsMayApprove = true
    lenient.approvals += [approval(by: Cast.bob), approval(by: frank)]
    #expect(lenient.evaluate().status != .blocked)
  }

  @Test("the default owners cover unowned paths; a role owner; paths not worked out block")
  func fallbackAndRoles() throws {
    let owners = "  infra/**: {role: sre}\n  default: {people: [dave]}\n"
    var release = try ownedRelease(owners, paths: ["infra/main.tf", "README.md"])
    let blockers = release.evaluate().messages("owners", .blocker)
    #expect(blockers.count == 2)
    #expect(
      blockers[0].hasPrefix(
        "owners of infra/** (role sre) must approve: 1 changed path (infra/main.tf)"))
    #expect(blockers[0].hasSuffix("sam can run `git govern approve \(releaseID)`"))
    #expect(
      blockers[1].hasPrefix(
        "paths no owner pattern matches (default owners) (dave) must approve: 1 changed path (README.md)"
      ))
    release.approvals += [approval(by: sam), approval(by: Cast.dave)]
    #expect(release.evaluate().status == .ready)

    release.changedPaths = ["infra/main.tf"]
    release.approvals = [approval(by: Cast.carol), approval(by: sam)]
    #expect(release.evaluate().status == .ready, "the default owners are not asked for owned paths")

    release.changedPaths = nil
    #expect(
      release.evaluate().messages("owners", .blocker).first?.contains("could not be worked out")
        == true)

    var unowned = try ownedRelease("  infra/**: {role: sre}\n", paths: ["README.md"])
    unowned.approvals = [approval(by: Cast.carol)]
    #expect(unowned.evaluate().status == .ready)
    #expect(unowned.evaluate().messages("owners", .pass) == ["no changed path has owners"])
  }

  @Test("an approval under a policy whose owners changed since must be given again")
  func ownersChangeIsAPolicyChange() throws {
    let before = try ownersPolicy("  infra/**: {role: sre}\n")
    let after = try ownersPolicy("  infra/**: {role: sre, approvals: 2}\n")
    #expect(after.changes(since: before, type: .normal, risk: .low) == ["the owners section"])
    #expect(before.changes(since: before, type: .normal, risk: .low).isEmpty)
  }

  @Test("owners is parsed with file:line:col errors")
  func parseErrors() {
    let base = contractPolicyText + "owners:\n"
    #expect(
      policyErrors(base + "  /abs/**: {role: sre}\n") == [
        "policy.yml:23:3: owners: path patterns are relative to the repository root, without a leading /, got \"/abs/**\" (use `default:` for paths no pattern matches)"
      ])
    #expect(
      policyErrors(base + "  infra/**: {approvals: 2}\n") == [
        "policy.yml:23:13: owners.infra/** names no owner; give people, a role or a team, e.g. {team: payments, approvals: 2}"
      ])
    #expect(
      policyErrors(base + "  infra/**: {role: sre, approvals: 0, reviewers: [a]}\n") == [
        "policy.yml:23:36: owners.infra/**.approvals must be a whole number of at least 1, got \"0\"",
        "policy.yml:23:39: unknown field \"reviewers\" in owners.infra/**; known: people, roles, teams (or person, role, team), approvals",
      ])
    #expect(
      policyErrors(base + "  infra/**: {team: Payments Team}\n") == [
        "policy.yml:23:20: owners.infra/**.team: \"Payments Team\" is not a team name (lowercase letters, digits, '.', '_' or '-')"
      ])
  }

  @Test(
    "lint: a pattern nothing matches, a role nobody holds, a team without members, too few owners")
  func lint() throws {
    let policy = try ownersPolicy(
      """
        payments/**: {team: payments, approvals: 2}
        infra/**: {role: sre}
        billing/**: {team: billing}
        default: {role: dba, approvals: 3}
      """)
    let messages =
      (PolicyLint.ownerPatternFindings(policy, paths: ["payments/api.swift", "README.md"])
      + PolicyLint.ownerFindings(policy, people: Cast.everyone)).map {
        $0.located(in: "policy.yml")
      }
    #expect(
      messages == [
        "policy.yml:24:3: warning: owner pattern infra/** matches no file of the tree checked (2 files); check its spelling (`dir/**` is everything under dir/)",
        "policy.yml:25:3: warning: owner pattern billing/** matches no file of the tree checked (2 files); check its spelling (`dir/**` is everything under dir/)",
        "policy.yml:24:3: warning: owners.infra/** names role sre, which nobody registered holds",
        "policy.yml:24:3: owners.infra/** needs 1 owner approval but only 0 registered people with keys are owners (role sre); no release touching it could ever pass: register owners or lower approvals",
        "policy.yml:25:3: warning: owners.billing/** names team billing, which has no members in people.yml",
        "policy.yml:25:3: owners.billing/** needs 1 owner approval but only 0 registered people with keys are owners (team billing); no release touching it could ever pass: register owners or lower approvals",
        "policy.yml:26:3: warning: owners.default names role dba, which nobody registered holds",
        "policy.yml:26:3: owners.default needs 3 owner approvals but only 0 registered people with keys are owners (role dba); no release touching it could ever pass: register owners or lower approvals",
      ])
    let fine = try ownersPolicy("  payments/**: {team: payments, approvals: 2}\n")
    #expect(PolicyLint.ownerPatternFindings(fine, paths: ["payments/a"]).isEmpty)
    #expect(PolicyLint.findings(fine, people: Cast.everyone).isEmpty)
  }

  @Test(
    "100 owner patterns over a 1,000-file diff are grouped in well under a millisecond per pattern")
  func matchingIsCheap() throws {
    let owners = (0..<100).map { "  team\($0)/**: {team: t\($0)}\n" }.joined()
    let policy = try ownersPolicy(owners)
    let paths = (0..<1000).map { "team\($0 % 100)/src/file\($0).swift" }
    let start = Date()
    let groups = policy.owners.groups(for: paths)
    let elapsed = Date().timeIntervalSince(start)
    #expect(groups.count == 100 && groups.allSatisfy { $0.paths.count == 10 })
    #expect(elapsed < 0.1, "grouping took \(elapsed)s")
  }
}
