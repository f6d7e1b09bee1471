/// A framework's controls mapped to the checks that evidence them (`controls.yml`): the audit
/// reports, per control, the releases sampled and which of them passed every mapped check.
/// The catalog judges nothing itself; it only groups what the gate and the audit found.
public struct ControlCatalog: Sendable, Equatable {
  /// One control of the framework, as its own text names it.
  public struct Control: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Check ids (``ControlCheck``), in the catalog's order, each once.
    public var checks: [String]

    public init(id: String, title: String, checks: [String]) {
      self.id = id
      self.title = title
      self.checks = checks
    }
  }

  public var version: Int
  public var framework: String
  public var controls: [Control]

  public init(version: Int = 1, framework: String, controls: [Control]) {
    self.version = version
    self.framework = framework
    self.controls = controls
  }
}

/// The check ids a catalog may map a control to: the gate's checks (what blocked a release
/// when it went out) and the audit's per-release findings, under one spelling (a dash for the
/// gate's underscore: `signed_commits` is `signed-commits`).
public enum ControlCheck {
  /// Each id with what a release must have had to pass it, for the parser's error and the
  /// README.
  public static let known: [(id: String, meaning: String)] = [
    ("gate", "it was ready when it went out (no `approval` or `bypass` finding names it)"),
    ("receipt", "the server signed a receipt of its push (the server's gate saw it)"),
    ("request", "its request names the very commit, tree and ref that went out"),
    ("type", "a change requested as standard was one the policy pre-approves"),
    ("rule", "an approval rule of the policy applied to it"),
    (
      "approvals", "enough distinct people approved it, none of them barred by separation of duties"
    ),
    ("owners", "the owners of every changed path approved it"),
    ("recertification", "the roles its approvals counted under were recertified"),
    ("rejections", "no rejection of its commit and ref stood"),
    ("exception", "any break-glass exception it used counted"),
    ("obligations", "an emergency's validation and review came in time"),
    ("evidence", "the evidence its type requires was recorded"),
    ("change", "it named a change record where the policy requires one"),
    ("freeze", "it did not go out in a freeze, or had an override"),
    ("incident", "no open incident held it back"),
    ("promotion", "it reached the environment before this one first, and soaked"),
    ("signed-commits", "every commit of its range was signed by a registered key"),
    ("identity", "every commit of its range names its people one way"),
    ("records", "every record of it verifies"),
    ("lifecycle", "it was not over (closed, cancelled, withdrawn) when it went out"),
    ("closeout", "a closeout says how it ended, in time"),
    ("retention", "its records are kept as long as retention_min"),
    ("notes", "refs/notes/governance carries its note, agreeing with the records"),
  ]

  public static let ids: Set<String> = Set(known.map(\.id))

  /// The catalog's spelling of a gate check name or audit finding category.
  public static func id(_ name: String) -> String {
    name.replacingOccurrences(of: "_", with: "-")
  }
}
