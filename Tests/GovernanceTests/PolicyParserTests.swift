import Testing

@testable import Governance

@Suite("policy.yml")
struct PolicyParserTests {
  @Test("the contract's example policy, restricted to the enforced sections, reads as written")
  func contractExample() throws {
    let policy = try PolicyParser.parse(contractPolicyText)
    #expect(policy.version == 1)
    #expect(
      policy.protected == [
        RefPattern("refs/heads/main"), RefPattern("refs/heads/release/*"),
        RefPattern("refs/tags/v*"),
      ])
    #expect(
      policy.rules == [
        ApprovalRule(name: "standard-change", types: [.standard], approvals: 0),
        ApprovalRule(
          name: "high-risk", risks: [.high, .critical], approvals: 2, roles: ["security": 1]),
        ApprovalRule(name: "default", approvals: 1),
      ])
    #expect(policy.requesterMayApprove == false)
    #expect(policy.authorsMayApprove == false)
    #expect(policy.approvalTTL == 72 * 3600)
    #expect(policy.adminApprovals == 1)
  }

  @Test("the first rule whose `when` matches applies; a rule without `when` catches the rest")
  func firstMatchingRuleApplies() throws {
    let policy = try PolicyParser.parse(contractPolicyText)
    #expect(policy.rule(type: .standard, risk: .critical)?.name == "standard-change")
    #expect(policy.rule(type: .normal, risk: .high)?.name == "high-risk")
    #expect(policy.rule(type: .emergency, risk: .critical)?.name == "high-risk")
    #expect(policy.rule(type: .normal, risk: .medium)?.name == "default")
    #expect(policy.rule(type: .emergency, risk: .low)?.name == "default")
  }

  @Test("protected refs are matched by the policy's globs")
  func protectedRefs() throws {
    let policy = try PolicyParser.parse(contractPolicyText)
    #expect(policy.isProtected("refs/heads/main"))
    #expect(policy.isProtected("refs/tags/v1.2.0"))
    #expect(
      policy.protectingPattern(for: "refs/heads/release/2.x") == RefPattern("refs/heads/release/*"))
    #expect(!policy.isProtected("refs/heads/feature/login"))
    #expect(!policy.isProtected("refs/heads/governance"))
  }

  @Test(
    "a minimal policy takes the safe defaults: requesters and authors may not approve, approvals never expire"
  )
  func minimalPolicyDefaults() throws {
    let policy = try PolicyParser.parse("version: 1\nprotected: [refs/heads/main]\n")
    #expect(policy == Policy(protected: [RefPattern("refs/heads/main")], rules: []))
    #expect(policy.requesterMayApprove == false)
    #expect(policy.authorsMayApprove == false)
    #expect(policy.approvalTTL == nil)
    #expect(policy.adminApprovals == 1)
  }

  @Test("separation of duties can be relaxed explicitly, and admins can demand more signatures")
  func relaxedSeparationOfDuties() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      protected: []
      separation_of_duties: {requester_may_approve: true, authors_may_approve: true}
      admins: {approvals: 2}
      approval_ttl: 1h30m
      """)
    #expect(policy.requesterMayApprove)
    #expect(policy.authorsMayApprove)
    #expect(policy.adminApprovals == 2)
    #expect(policy.approvalTTL == 5400)
  }

  @Test("a rule may name a single type or risk instead of a list")
  func singleConditionValues() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      protected: [refs/heads/main]
      rules:
        - name: emergencies
          when: {type: emergency, risk: critical}
          approvals: 1
          roles: {incident-commander: 1}
      """)
    #expect(
      policy.rules == [
        ApprovalRule(
          name: "emergencies", types: [.emergency], risks: [.critical], approvals: 1,
          roles: ["incident-commander": 1])
      ])
  }

  // MARK: - Errors name file:line:col and say what would be right

  struct Mistake: CustomTestStringConvertible, Sendable {
    let what: String
    let yaml: String
    let expected: String
    var testDescription: String { what }
  }

  static let mistakes: [Mistake] = [
    Mistake(
      what: "an unknown section",
      yaml: "version: 1\nprotected: [refs/heads/main]\nreviewers: 2\n",
      expected:
        "policy.yml:3:1: unknown section \"reviewers\"; known: version, protected, rules, standard_changes, separation_of_duties, approval_ttl, freezes, incidents, evidence, attestations, require_change, emergency, allow_non_fast_forward, closeout_within, closeout_roles, retention_min, retention, admins, owners, recertify_every, environments, calendar"
    ),
    Mistake(
      what: "approvals spelled as a word",
      yaml: """
        version: 1
        protected: [refs/heads/main]
        rules:
          - name: default
            approvals: two
        """,
      expected: "policy.yml:5:16: approvals must be a whole number of at least 0, got \"two\""),
    Mistake(
      what: "a negative approval count",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - {name: default, approvals: -1}\n",
      expected: "policy.yml:4:32: approvals must be a whole number of at least 0, got \"-1\""),
    Mistake(
      what: "a duration without a unit",
      yaml: "version: 1\nprotected: [refs/heads/main]\napproval_ttl: 72\n",
      expected:
        "policy.yml:3:15: approval_ttl must be a duration such as 72h, 30m or 1h30m, got \"72\""),
    Mistake(
      what: "a duration in words",
      yaml: "version: 1\nprotected: [refs/heads/main]\napproval_ttl: three days\n",
      expected:
        "policy.yml:3:15: approval_ttl must be a duration such as 72h, 30m or 1h30m, got \"three days\""
    ),
    Mistake(
      what: "a zero duration",
      yaml: "version: 1\nprotected: [refs/heads/main]\napproval_ttl: 0h\n",
      expected:
        "policy.yml:3:15: approval_ttl must be a duration such as 72h, 30m or 1h30m, got \"0h\""),
    Mistake(
      what: "a protected pattern that is a branch name, not a ref",
      yaml: "version: 1\nprotected:\n  - refs/heads/main\n  - release/*\n",
      expected:
        "policy.yml:4:5: protected ref patterns start with refs/, got \"release/*\" (did you mean refs/heads/release/*?)"
    ),
    Mistake(
      what: "a rule without approvals",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: default\n    roles: {security: 1}\n",
      expected: "policy.yml:4:5: rule \"default\" needs `approvals:` (0 for pre-approved changes)"),
    Mistake(
      what: "a rule without a name",
      yaml: "version: 1\nprotected: [refs/heads/main]\nrules:\n  - approvals: 1\n",
      expected: "policy.yml:4:5: every rule needs a name"),
    Mistake(
      what: "an unknown `when` condition",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: main-only\n    when: {branch: main}\n    approvals: 1\n",
      expected: "policy.yml:5:12: unknown condition \"branch\" in when; known: type, risk"),
    Mistake(
      what: "an unknown risk level",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: scary\n    when: {risk: extreme}\n    approvals: 2\n",
      expected: "policy.yml:5:18: when.risk \"extreme\" is not one of low, medium, high, critical"),
    Mistake(
      what: "an unknown risk level among known ones, located at the value itself",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: scary\n    when: {risk: [high, extreme]}\n    approvals: 2\n",
      expected: "policy.yml:5:25: when.risk \"extreme\" is not one of low, medium, high, critical"),
    Mistake(
      what: "a risk list holding a mapping",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: scary\n    when:\n      risk:\n        - high\n        - {level: 9}\n    approvals: 2\n",
      expected: "policy.yml:8:11: when.risk must be text, got a mapping"),
    Mistake(
      what: "an empty rule name",
      yaml: "version: 1\nprotected: [refs/heads/main]\nrules:\n  - {name: \"\", approvals: 1}\n",
      expected: "policy.yml:4:12: a rule's name must not be empty"),
    Mistake(
      what: "a rule name left blank",
      yaml: "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name:\n    approvals: 1\n",
      expected: "policy.yml:4:10: a rule's name must be text, got \"\""),
    Mistake(
      what: "an unknown change type",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: hot\n    when: {type: hotfix}\n    approvals: 2\n",
      expected: "policy.yml:5:18: when.type \"hotfix\" is not one of standard, normal, emergency"),
    Mistake(
      what: "an unknown field in a rule",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: default\n    approvals: 1\n    approvers: [bob]\n",
      expected:
        "policy.yml:6:5: unknown field \"approvers\" in a rule; known: name, when, approvals, roles, approval_sla"
    ),
    Mistake(
      what: "a role demanding nobody",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: default\n    approvals: 1\n    roles: {security: 0}\n",
      expected: "policy.yml:6:23: roles.security must be a whole number of at least 1, got \"0\""),
    Mistake(
      what: "two rules with one name",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nrules:\n  - {name: default, approvals: 1}\n  - {name: default, approvals: 2}\n",
      expected: "policy.yml:5:12: rule name \"default\" is used twice; names must be unique"),
    Mistake(
      what: "a separation-of-duties switch that is not true or false",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nseparation_of_duties:\n  requester_may_approve: sometimes\n",
      expected: "policy.yml:4:26: requester_may_approve must be true or false, got \"sometimes\""),
    Mistake(
      what: "an unknown separation-of-duties switch",
      yaml:
        "version: 1\nprotected: [refs/heads/main]\nseparation_of_duties:\n  managers_may_approve: true\n",
      expected:
        "policy.yml:4:3: unknown setting \"managers_may_approve\" in separation_of_duties; known: requester_may_approve, authors_may_approve, pusher_may_be_sole_approver, requester_may_raise_exception, authors_may_raise_exception, signed_commits"
    ),
    Mistake(
      what: "admins demanding no signature",
      yaml: "version: 1\nprotected: [refs/heads/main]\nadmins:\n  approvals: 0\n",
      expected: "policy.yml:4:14: admins.approvals must be a whole number of at least 1, got \"0\""),
    Mistake(
      what: "version 2",
      yaml: "version: 2\nprotected: [refs/heads/main]\n",
      expected: "policy.yml:1:10: version 2 is not known; this git-govern reads version 1"),
    Mistake(
      what: "a missing version",
      yaml: "protected: [refs/heads/main]\n",
      expected: "policy.yml:1:1: version is missing; add `version: 1`"),
    Mistake(
      what: "rules given as a mapping instead of a list",
      yaml: "version: 1\nprotected: [refs/heads/main]\nrules:\n  default: {approvals: 1}\n",
      expected: "policy.yml:4:3: rules must be a list, got a mapping"),
    Mistake(
      what: "a policy that is a list",
      yaml: "- version: 1\n",
      expected: "policy.yml:1:1: the policy must be a mapping, got a list"),
  ]

  @Test(
    "each mistake is reported once, at its line and column, with what would be right",
    arguments: mistakes)
  func mistakeIsLocated(_ mistake: Mistake) {
    #expect(policyErrors(mistake.yaml) == [mistake.expected])
  }

  @Test("evidence, require_change and emergency are read into the policy")
  func releaseSections() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      protected: [refs/heads/main]
      evidence:
        normal: [tests, rollback-plan]
        emergency: [validation]
      require_change: [normal, emergency]
      emergency:
        approvals: 2
        roles: {incident-commander: 1}
        validation_within: 4h
        review_within: 1d
      """)
    #expect(policy.evidenceRequired[.normal] == ["tests", "rollback-plan"])
    #expect(policy.evidenceRequired[.emergency] == ["validation"])
    #expect(policy.changeRequired == [.normal, .emergency])
    #expect(
      policy.emergency
        == EmergencyRule(
          approvals: 2, roles: ["incident-commander": 1],
          validationWithin: PolicyDuration(seconds: 14400),
          reviewWithin: PolicyDuration(seconds: 86400)))
  }

  @Test(
    "mistakes in the release sections are located",
    arguments: [
      (
        "evidence:\n  urgent: [tests]\n",
        "policy.yml:4:3: evidence is keyed by release type (standard, normal, emergency), got \"urgent\""
      ),
      (
        "evidence:\n  normal: [Tests]\n",
        "policy.yml:4:11: evidence kind \"Tests\" must be lowercase letters, digits and '-', such as tests or rollback-plan"
      ),
      (
        "require_change: [sometimes]\n",
        "policy.yml:3:17: require_change lists release types (standard, normal, emergency), got \"sometimes\""
      ),
      (
        "emergency:\n  approvals: 1\n  roles: {incident-commander: 2}\n",
        "policy.yml:4:3: emergency.roles asks for 2 signatures of one role but emergency.approvals is 1; raise approvals"
      ),
      (
        "emergency:\n  review_within: soon\n",
        "policy.yml:4:18: emergency.review_within must be a duration such as 72h, 30m or 1h30m, or business time such as 24bh or 3bd, got \"soon\""
      ),
      (
        "emergency:\n  pager: yes\n",
        "policy.yml:4:3: unknown setting \"pager\" in emergency; known: approvals, roles, validation_within, review_within"
      ),
    ])
  func releaseSectionMistakes(_ section: String, _ expected: String) {
    #expect(policyErrors("version: 1\nprotected: [refs/heads/main]\n" + section) == [expected])
  }

  @Test("the full contract example is read whole: freezes, evidence and emergency included")
  func fullContractExample() throws {
    let full = contractPolicyText.replacingOccurrences(
      of: "admins:",
      with: """
        evidence:
          normal: [tests, rollback-plan]
        freezes:
          timezone: Europe/London
        emergency:
          approvals: 1
        admins:
        """)
    let policy = try PolicyParser.parse(full)
    #expect(policy.evidenceRequired[.normal] == ["tests", "rollback-plan"])
    #expect(policy.emergency?.approvals == 1)
    #expect(policy.freezes.timeZone?.identifier == "Europe/London")
  }

  @Test("a key written twice is refused at its position, not taken as the last one")
  func duplicateKey() {
    let errors = policyErrors(
      "version: 1\nprotected: [refs/heads/main]\napproval_ttl: 72h\napproval_ttl: 1h\n")
    #expect(errors.count == 1)
    let error = errors.first ?? ""
    #expect(error.hasPrefix("policy.yml:3:1: "), "got \(error)")
    #expect(error.contains("\"approval_ttl\" appears twice"), "got \(error)")
    #expect(!error.contains("\n"), "one line, without the whole file quoted: \(error)")
  }

  @Test("a key written twice inside a rule is located in the rule")
  func duplicateKeyInRule() {
    let errors = policyErrors(
      "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: default\n    approvals: 1\n    approvals: 2\n"
    )
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("policy.yml:5:5: ") == true, "got \(errors)")
    #expect(errors.first?.contains("\"approvals\" appears twice") == true, "got \(errors)")
  }

  @Test("invalid YAML syntax is reported at the position the YAML reader stopped")
  func invalidSyntax() {
    let errors = policyErrors("version: 1\nprotected: [refs/heads/main\nrules: []\n")
    #expect(errors.count == 1)
    let error = errors.first ?? ""
    #expect(error.hasPrefix("policy.yml:3:6: is not valid YAML: "), "got \(error)")
    #expect(error.contains("flow sequence"), "got \(error)")
  }

  @Test("a tab used for indentation is reported where it is")
  func tabIndentation() {
    let errors = policyErrors("version: 1\nprotected:\n\t- refs/heads/main\n")
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("policy.yml:3:1: is not valid YAML: ") == true, "got \(errors)")
  }

  @Test("a control character in the file is reported with its line and column")
  func controlCharacter() {
    let errors = policyErrors("version: 1\nprotected: [refs/heads/\u{7}main]\n")
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("policy.yml:2:24: ") == true, "got \(errors)")
  }

  @Test("an empty file says what it needs")
  func emptyFile() {
    #expect(
      policyErrors("") == ["policy.yml: is empty; it needs at least `version: 1` and `protected:`"])
    #expect(
      policyErrors("# nothing yet\n") == [
        "policy.yml: is empty; it needs at least `version: 1` and `protected:`"
      ])
  }

  @Test("the file name given is the one errors name")
  func fileNameInErrors() {
    do {
      _ = try PolicyParser.parse("version: 1\nprotected: [main]\n", file: "proposed/policy.yml")
      Issue.record("expected an error")
    } catch {
      #expect(error.errors.map(\.file) == ["proposed/policy.yml"])
      #expect(error.errors.first?.line == 2)
      #expect(error.errors.first?.column == 13)
    }
  }

  @Test("every mistake in the file is reported in one pass, in file order")
  func severalErrorsAtOnce() {
    let yaml = """
      version: 2
      protected:
        - main
      rules:
        - name: default
          when: {team: payments}
          approvals: two
        - name: security
          roles: {security: 1}
      approval_ttl: soon
      evidence: {urgent: [tests]}
      owners: [alice]
      """
    #expect(
      policyErrors(yaml) == [
        "policy.yml:1:10: version 2 is not known; this git-govern reads version 1",
        "policy.yml:3:5: protected ref patterns start with refs/, got \"main\" (did you mean refs/heads/main?)",
        "policy.yml:6:12: unknown condition \"team\" in when; known: type, risk",
        "policy.yml:7:16: approvals must be a whole number of at least 0, got \"two\"",
        "policy.yml:8:5: rule \"security\" needs `approvals:` (0 for pre-approved changes)",
        "policy.yml:10:15: approval_ttl must be a duration such as 72h, 30m or 1h30m, got \"soon\"",
        "policy.yml:11:12: evidence is keyed by release type (standard, normal, emergency), got \"urgent\"",
        "policy.yml:12:9: owners must be a mapping, got a list",
      ])
  }

  @Test("a missing version and a missing protected list are both reported")
  func missingRequiredSections() {
    #expect(
      policyErrors("rules: []\n") == [
        "policy.yml:1:1: version is missing; add `version: 1`",
        "policy.yml:1:1: protected is missing; list the refs that need an approved release, e.g. `protected: [refs/heads/main]`",
      ])
  }

  @Test("InputErrors reads as one line per problem")
  func inputErrorsDescription() {
    let errors = InputErrors([
      InputError(file: "policy.yml", line: 3, column: 1, "first"),
      InputError(file: "policy.yml", "second"),
    ])
    #expect(errors.description == "policy.yml:3:1: first\npolicy.yml: second")
  }

  @Test(
    "closeout_roles names who may end a release beside its requester and the admins; an empty or server list is refused at its line"
  )
  func closeoutRoles() throws {
    let base =
      "version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: default\n    approvals: 1\n"
    #expect(try PolicyParser.parse(base).closeoutRoles == ["release-manager"])
    let chosen = try PolicyParser.parse(base + "closeout_roles: [sre, release-manager]\n")
    #expect(chosen.closeoutRoles == ["sre", "release-manager"])
    let sre = Person(id: "sam", name: "Sam", emails: ["sam@x"], keys: [], roles: ["sre"])
    let dev = Person(id: "dev", name: "Dev", emails: ["dev@x"], keys: [], roles: ["developer"])
    #expect(chosen.mayCloseOut(sre, requester: "bob"))
    #expect(!chosen.mayCloseOut(dev, requester: "bob"))
    #expect(chosen.mayCloseOut(dev, requester: "dev"))
    #expect(
      policyErrors(base + "closeout_roles: []\n") == [
        "policy.yml:6:17: closeout_roles lists no role, so nobody could ever do it; name at least one role"
      ])
    #expect(
      policyErrors(base + "closeout_roles: [server]\n").first?.hasPrefix(
        "policy.yml:6:17: closeout_roles: the server role") == true)
  }
}
