import Foundation
import GovernCLI
import Testing
import Yams

/// The CI templates (templates/ci/) run as their CI runs them: the workflow file read with a
/// YAML parser, its shell steps run in order with bash, in a workspace checked out the way the
/// runner checks out, with the variables the runner sets, against a forge repository (bare, no
/// hooks: GitHub runs none) that the team's real, signed records reach by `git push`.
@Suite("CI templates: the deployment gate and the scheduled audit")
struct CITemplateTests {
  static let zeros = String(repeating: "0", count: 40)
  /// The system's own PATH: git-govern is on it only once the install step put it there.
  static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

  static func template(_ name: String) throws -> [AnyHashable: Any] {
    let text = try String(
      contentsOf: World.packageRoot.appendingPathComponent("templates/ci/\(name)"),
      encoding: .utf8)
    return try #require(try Yams.load(yaml: text) as? [AnyHashable: Any], "templates/ci/\(name)")
  }

  /// What one job did, step by step.
  struct JobRun {
    var steps: [(name: String, status: Int32, output: String)] = []
    var workspace: URL
    /// The artifact paths the job keeps that exist when it ends.
    var artifacts: [String] = []

    func step(_ name: String) -> (status: Int32, output: String)? {
      steps.first { $0.name == name }.map { ($0.status, $0.output) }
    }
    var succeeded: Bool { steps.allSatisfy { $0.status == 0 } }
    var log: String {
      steps.map { "[\($0.name): \($0.status)]\n\($0.output)" }.joined(separator: "\n")
    }
  }

  /// The team's repository and the forge it pushes to: a bare repository with no hooks.
  final class Forge {
    let team: Team
    var world: World { team.world }
    let origin: URL

    init() throws {
      team = try Team()
      origin = team.world.root.appendingPathComponent("forge.git")
      try world.expectSuccess(
        world.run(["git", "init", "-q", "--bare", origin.path], in: world.root))
      try world.git("remote", "add", "origin", origin.path)
      try push("refs/heads/main", "refs/heads/governance")
    }

    /// Nothing on the forge checks a push, and the client hook is skipped as anyone can skip it.
    func push(_ refs: String...) throws {
      try world.expectSuccess(
        world.run(["git", "push", "-q", "--no-verify", "origin"] + refs, in: world.work))
      try world.git("fetch", "-q", "origin")
    }

    func approve(_ release: String, as persona: World.Persona) throws {
      try world.expectSuccess(world.govern(["approve", release], as: persona))
      try push("refs/heads/governance")
    }
  }

  // MARK: GitHub Actions

  /// Runs `job` of the GitHub workflow as the runner would for `event` on `ref` at `sha`.
  static func github(
    _ forge: Forge, job name: String, event: String, ref: String, sha: String,
    before: String? = nil
  ) throws -> JobRun {
    let world = forge.world
    let workflow = try template("github-actions.yml")
    let defaults = (workflow["defaults"] as? [AnyHashable: Any])?["run"] as? [AnyHashable: Any]
    #expect(defaults?["shell"] as? String == "bash", "run steps say their shell: bash")
    let jobs = try #require(workflow["jobs"] as? [AnyHashable: Any])
    let job = try #require(jobs[name] as? [AnyHashable: Any], "no job \(name)")
    let steps = try #require(job["steps"] as? [[AnyHashable: Any]], "\(name) has no steps")

    // The expressions the workflow's env mappings use, as this event and the repository's
    // variables give them; a run block never holds one (it would be pasted into the script).
    let expressions = [
      "vars.GIT_GOVERN_BIN": World.binary, "vars.GIT_GOVERN_DEB_URL": "",
      "github.event.before": before ?? "",
    ]
    func environment(_ mapping: Any?) throws -> [String: String] {
      var values: [String: String] = [:]
      for (key, value) in mapping as? [AnyHashable: Any] ?? [:] {
        var text = "\(value)"
        while let range = text.range(of: #"\$\{\{\s*([^}]*?)\s*\}\}"#, options: .regularExpression)
        {
          let expression = text[range].dropFirst(3).dropLast(2).trimmingCharacters(in: .whitespaces)
          let known = try #require(expressions[expression], "unknown expression \(expression)")
          text.replaceSubrange(range, with: known)
        }
        values["\(key)"] = text
      }
      return values
    }

    let runner = world.root.appendingPathComponent("runner-\(UUID().uuidString.prefix(8))")
    let temp = runner.appendingPathComponent("_temp")
    let workspace = runner.appendingPathComponent("work/repo")
    try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    let pathFile = temp.appendingPathComponent("github_path")
    let envFile = temp.appendingPathComponent("github_env")
    FileManager.default.createFile(atPath: pathFile.path, contents: nil)
    FileManager.default.createFile(atPath: envFile.path, contents: nil)
    var env = try environment(workflow["env"]).merging(try environment(job["env"])) { $1 }
    let refName = ref.split(separator: "/").dropFirst(2).joined(separator: "/")
    env.merge([
      "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_REF": ref,
      "GITHUB_REF_NAME": refName, "GITHUB_REF_TYPE": ref.hasPrefix("refs/tags/") ? "tag" : "branch",
      "GITHUB_SHA": sha, "GITHUB_WORKSPACE": workspace.path, "RUNNER_TEMP": temp.path,
      "GITHUB_PATH": pathFile.path, "GITHUB_ENV": envFile.path,
    ]) { $1 }
    var path = [String]()

    var run = JobRun(workspace: workspace)
    for (index, step) in steps.enumerated() {
      let title = step["name"] as? String ?? (step["uses"] as? String ?? "step \(index + 1)")
      if let condition = step["if"] as? String {
        #expect(condition == "always()", "\(title): only if: always() is run here")
      } else if !run.succeeded {
        continue  // a failed step skips the rest, as the runner does
      }
      var stepEnv = env.merging(try environment(step["env"])) { $1 }
      stepEnv["PATH"] = (path.reversed() + [systemPath]).joined(separator: ":")
      if let script = step["run"] as? String {
        #expect(!script.contains("${{"), "\(title): an expression in a run block")
        let file = temp.appendingPathComponent("step-\(index).sh")
        try Data(script.utf8).write(to: file)
        // GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        let result = try world.run(
          ["bash", "--noprofile", "--norc", "-eo", "pipefail", file.path], in: workspace,
          environment: stepEnv)
        run.steps.append((title, result.status, result.output))
      } else if let uses = step["uses"] as? String, uses.hasPrefix("actions/checkout@") {
        let with = step["with"] as? [AnyHashable: Any] ?? [:]
        let depth = with["fetch-depth"] as? Int ?? 1
        let result = try checkOut(
          world, origin: forge.origin, into: workspace, ref: ref, sha: sha, depth: depth,
          environment: stepEnv)
        run.steps.append((title, result.status, result.output))
      } else if let uses = step["uses"] as? String, uses.hasPrefix("actions/upload-artifact@") {
        let with = step["with"] as? [AnyHashable: Any] ?? [:]
        let kept = try #require(with["path"] as? String, "\(title): no path")
        if FileManager.default.fileExists(atPath: workspace.appendingPathComponent(kept).path) {
          run.artifacts.append(kept)
        }
        run.steps.append((title, 0, ""))
      } else {
        Issue.record("\(title): a step this test does not know how to run: \(step)")
        run.steps.append((title, 1, ""))
      }
      // What the step appended to GITHUB_PATH and GITHUB_ENV holds for the steps after it.
      path = try String(contentsOf: pathFile, encoding: .utf8).split(separator: "\n").map(
        String.init)
      for line in try String(contentsOf: envFile, encoding: .utf8).split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 { env[parts[0]] = parts[1] }
      }
    }
    return run
  }

  /// actions/checkout: the branches as remote-tracking refs and the tags (fetch-depth 0 for
  /// all history, else that many commits), then the pushed ref checked out.
  static func checkOut(
    _ world: World, origin: URL, into workspace: URL, ref: String, sha: String, depth: Int,
    environment: [String: String]
  ) throws -> World.Result {
    let branch = ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : nil
    let depthFlag = depth > 0 ? ["--depth", "\(depth)"] : []
    let refspecs =
      depth > 0
      ? [branch.map { "+\(sha):refs/remotes/origin/\($0)" } ?? "+\(sha):\(ref)"]
      : ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
    let checkout =
      branch.map { ["git", "checkout", "-q", "-B", $0, "refs/remotes/origin/\($0)"] }
      ?? ["git", "checkout", "-q", "--detach", sha]
    for command in [
      ["git", "init", "-q"], ["git", "remote", "add", "origin", origin.path],
      ["git", "fetch", "-q", "--prune", "--no-tags"] + depthFlag + ["origin"] + refspecs, checkout,
    ] {
      let result = try world.run(command, in: workspace, environment: environment)
      if result.status != 0 { return result }
    }
    return World.Result(status: 0, stdout: "", stderr: "")
  }

  // MARK: GitLab CI

  /// Runs `job` of the GitLab CI file as a runner would for a pipeline from `source`, for
  /// tag `tag` or branch `branch` at `sha`.
  static func gitlab(
    _ forge: Forge, job name: String, source: String, tag: String? = nil,
    branch: String? = nil, sha: String, before: String = zeros
  ) throws -> JobRun {
    let world = forge.world
    let file = try template("gitlab-ci.yml")
    let job = try #require(file[name] as? [AnyHashable: Any], "no job \(name)")
    func strings(_ mapping: Any?) -> [String: String] {
      (mapping as? [AnyHashable: Any] ?? [:]).reduce(into: [:]) { $0["\($1.key)"] = "\($1.value)" }
    }
    // A script entry may be a list (a YAML alias of one): GitLab flattens them.
    func lines(_ value: Any?) -> [String] {
      if let line = value as? String { return [line] }
      return (value as? [Any] ?? []).flatMap { lines($0) }
    }

    let runner = world.root.appendingPathComponent("gitlab-\(UUID().uuidString.prefix(8))")
    let workspace = runner.appendingPathComponent("builds/team/app")
    try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    var env = strings(file["variables"]).merging(strings(job["variables"])) { $1 }
    env.merge([
      "CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": source, "CI_COMMIT_SHA": sha,
      "CI_COMMIT_BEFORE_SHA": before, "CI_COMMIT_REF_NAME": tag ?? branch ?? "main",
      "CI_DEFAULT_BRANCH": "main", "CI_PROJECT_DIR": workspace.path,
      "CI_REPOSITORY_URL": forge.origin.path, "PATH": systemPath,
      // The project's CI/CD variable: the git-govern under test is on the runner.
      "GIT_GOVERN_BIN": World.binary,
    ]) { $1 }
    if let tag { env["CI_COMMIT_TAG"] = tag }
    if let branch { env["CI_COMMIT_BRANCH"] = branch }

    // The runner's checkout: this pipeline's ref only, GIT_DEPTH deep (0: all), detached.
    var run = JobRun(workspace: workspace)
    let depth = Int(env["GIT_DEPTH"] ?? "20") ?? 20
    let refspec =
      tag.map { "+refs/tags/\($0):refs/tags/\($0)" }
      ?? "+refs/heads/\(branch ?? "main"):refs/remotes/origin/\(branch ?? "main")"
    for command in [
      ["git", "init", "-q"], ["git", "remote", "add", "origin", forge.origin.path],
      ["git", "fetch", "-q", "--no-tags"] + (depth > 0 ? ["--depth", "\(depth)"] : [])
        + ["origin", refspec], ["git", "checkout", "-f", "-q", sha],
    ] {
      let result = try world.run(command, in: workspace, environment: env)
      try world.expectSuccess(result)
    }

    // before_script and script run in one shell, which stops at the first failing command.
    let script = lines(job["before_script"]) + lines(job["script"])
    #expect(!script.isEmpty, "\(name) has no script")
    let path = runner.appendingPathComponent("script.sh")
    try Data((["set -eo pipefail"] + script).joined(separator: "\n").utf8).write(to: path)
    let result = try world.run(
      ["bash", "--noprofile", "--norc", path.path], in: workspace, environment: env)
    run.steps.append((name, result.status, result.output))
    if let artifacts = job["artifacts"] as? [AnyHashable: Any] {
      #expect(artifacts["when"] as? String == "always", "the report is kept when the audit fails")
      for kept in artifacts["paths"] as? [String] ?? []
      where FileManager.default.fileExists(atPath: workspace.appendingPathComponent(kept).path) {
        run.artifacts.append(kept)
      }
    }
    return run
  }

  // MARK: The scenarios

  /// The audit's HTML report, kept as the job's artifact.
  static func report(_ run: JobRun, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> String
  {
    #expect(run.artifacts == ["governance-audit/"], "\(run.log)", sourceLocation: sourceLocation)
    let file = run.workspace.appendingPathComponent("governance-audit/audit.html")
    let html = try String(contentsOf: file, encoding: .utf8)
    #expect(html.contains("<html"), sourceLocation: sourceLocation)
    return html
  }

  @Test(
    "GitHub Actions: the gate fails for an unapproved tag and passes once carol approves; the scheduled audit fails with its report kept, then passes; a push to main carol wrote is judged on the commits it brought, so her own approval does not count"
  )
  func githubActions() throws {
    let forge = try Forge()
    let (world, team) = (forge.world, forge.team)
    let workflow = try Self.template("github-actions.yml")
    let deploy = (workflow["jobs"] as? [AnyHashable: Any])?["deploy"] as? [AnyHashable: Any]
    #expect(deploy?["needs"] as? String == "gate", "deploy runs only once the gate passed")

    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try forge.push("refs/heads/governance", "refs/tags/v1.0.0")
    let sha = try world.git("rev-parse", "v1.0.0^{commit}")

    let blocked = try Self.github(
      forge, job: "gate", event: "push", ref: "refs/tags/v1.0.0", sha: sha, before: Self.zeros)
    #expect(blocked.step("Install git-govern")?.status == 0, "\(blocked.log)")
    #expect(
      blocked.step("Fetch the forge's refs")?.output.contains(GitGovernVersion.number) == true,
      "\(blocked.log)")
    let gate = try #require(blocked.step("The gate"), "\(blocked.log)")
    #expect(gate.status == 1, "\(blocked.log)")
    #expect(gate.output.contains("refs/tags/v1.0.0"), "\(blocked.log)")
    #expect(gate.output.contains("needs 1 more approval"), "\(blocked.log)")

    let findings = try Self.github(
      forge, job: "audit", event: "schedule", ref: "refs/heads/main",
      sha: try world.git("rev-parse", "main"))
    #expect(findings.step("Audit")?.status == 1, "the tag went out unapproved: \(findings.log)")
    #expect(try Self.report(findings).contains(release))

    try forge.approve(release, as: team.carol)
    let allowed = try Self.github(
      forge, job: "gate", event: "push", ref: "refs/tags/v1.0.0", sha: sha, before: Self.zeros)
    #expect(allowed.succeeded, "\(allowed.log)")
    #expect(
      allowed.step("The gate")?.output.contains("allowed by release \(release)") == true,
      "\(allowed.log)")
    let clean = try Self.github(
      forge, job: "audit", event: "workflow_dispatch", ref: "refs/heads/main",
      sha: try world.git("rev-parse", "main"))
    #expect(clean.succeeded, "\(clean.log)")
    #expect(try Self.report(clean).contains(release))

    // carol writes a commit and pushes it to main; with main already there, her clone sees an
    // empty range and takes her approval. The gate judges what the push brought: her commit.
    let before = try world.git("rev-parse", "main")
    try world.commit("fix.txt", "fix\n", by: team.carol)
    let fix = try world.request("main", to: "refs/heads/main", as: team.bob)
    try forge.push("refs/heads/main", "refs/heads/governance")
    try forge.approve(fix, as: team.carol)
    let head = try world.git("rev-parse", "main")
    let own = try Self.github(
      forge, job: "gate", event: "push", ref: "refs/heads/main", sha: head, before: before)
    #expect(own.step("The gate")?.status == 1, "\(own.log)")
    #expect(own.step("The gate")?.output.contains("carol authored") == true, "\(own.log)")
    try forge.approve(fix, as: team.erin)
    let approved = try Self.github(
      forge, job: "gate", event: "push", ref: "refs/heads/main", sha: head, before: before)
    #expect(approved.succeeded, "\(approved.log)")
  }

  @Test(
    "GitLab CI: the gate fails for an unapproved tag and passes once carol approves; the scheduled audit fails with its report kept, then passes; a push to main carol wrote is judged on the commits it brought"
  )
  func gitlabCI() throws {
    let forge = try Forge()
    let (world, team) = (forge.world, forge.team)
    let file = try Self.template("gitlab-ci.yml")
    let deploy = file["deploy"] as? [AnyHashable: Any]
    #expect(
      deploy?["needs"] as? [String] == ["governance-gate"], "deploy runs only once the gate passed")

    try world.git("tag", "v1.0.0")
    let release = try world.request("v1.0.0", to: "refs/tags/v1.0.0", as: team.bob)
    try forge.push("refs/heads/governance", "refs/tags/v1.0.0")
    let sha = try world.git("rev-parse", "v1.0.0^{commit}")
    let main = try world.git("rev-parse", "main")

    let blocked = try Self.gitlab(
      forge, job: "governance-gate", source: "push", tag: "v1.0.0", sha: sha)
    let gate = try #require(blocked.steps.first)
    #expect(gate.status == 1, "\(blocked.log)")
    #expect(gate.output.contains(GitGovernVersion.number), "the install step ran: \(blocked.log)")
    #expect(gate.output.contains("needs 1 more approval"), "\(blocked.log)")

    let findings = try Self.gitlab(
      forge, job: "governance-audit", source: "schedule", branch: "main", sha: main)
    #expect(findings.steps.first?.status == 1, "the tag went out unapproved: \(findings.log)")
    #expect(try Self.report(findings).contains(release))

    try forge.approve(release, as: team.carol)
    let allowed = try Self.gitlab(
      forge, job: "governance-gate", source: "push", tag: "v1.0.0", sha: sha)
    #expect(allowed.succeeded, "\(allowed.log)")
    #expect(allowed.steps.first?.output.contains("allowed by release \(release)") == true)
    let clean = try Self.gitlab(
      forge, job: "governance-audit", source: "schedule", branch: "main", sha: main)
    #expect(clean.succeeded, "\(clean.log)")
    #expect(try Self.report(clean).contains(release))

    try world.commit("fix.txt", "fix\n", by: team.carol)
    let fix = try world.request("main", to: "refs/heads/main", as: team.bob)
    try forge.push("refs/heads/main", "refs/heads/governance")
    try forge.approve(fix, as: team.carol)
    let head = try world.git("rev-parse", "main")
    let own = try Self.gitlab(
      forge, job: "governance-gate", source: "push", branch: "main", sha: head, before: main)
    #expect(own.steps.first?.status == 1, "\(own.log)")
    #expect(own.steps.first?.output.contains("carol authored") == true, "\(own.log)")
    try forge.approve(fix, as: team.erin)
    let approved = try Self.gitlab(
      forge, job: "governance-gate", source: "push", branch: "main", sha: head, before: main)
    #expect(approved.succeeded, "\(approved.log)")
  }
}
