import Foundation
import Ledger
import Testing

/// Refs as git resolves them on the server: a symbolic ref moves the ref it points at, a
/// protected pattern covers the name in any case, and the hook's input is taken byte for byte.
@Suite("refs as git resolves them: symbolic refs, case, and the hook's exact input")
struct RefResolutionTests {
  @Test("an unapproved push to refs/tags/V1.0.0 or refs/heads/MAIN is refused like v1.0.0 and main")
  func differentlyCasedRefsAreProtected() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.commit("change.txt", "x\n", by: server.team.bob)
    for (source, ref, pattern) in [
      ("HEAD", "refs/tags/V1.0.0", "refs/tags/v*"), ("HEAD", "refs/heads/MAIN", "refs/heads/main"),
    ] {
      for destination in [server.url, server.bare.path] {
        let refused = try world.run(
          ["git", "push", "--no-verify", destination, "\(source):\(ref)"], in: world.work)
        #expect(refused.status != 0)
        #expect(
          refused.stderr.contains("\(ref) is protected (\(pattern)) and no release was requested"),
          "\(refused.output)")
      }
    }
  }

  @Test("a release approved for refs/heads/main does not open refs/heads/MAIN")
  func releaseRefStaysExact() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.commit("change.txt", "x\n", by: server.team.bob)
    let release = try world.request("HEAD", to: "refs/heads/main", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let refused = try world.run(
      ["git", "push", "--no-verify", "origin", "HEAD:refs/heads/MAIN"], in: world.work)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("no release was requested"), "\(refused.output)")
    #expect(refused.stderr.contains("to refs/heads/MAIN"))
    let pushed = try world.run(["git", "push", "--no-verify", "origin", "main"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
  }

  @Test(
    "a push to a symbolic ref is judged as the ref it moves: refused unapproved, deletion refused, allowed once released"
  )
  func symbolicRefJudgedAsItsTarget() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("symbolic-ref", "refs/heads/latest", "refs/heads/main", in: server.bare)
    // A chain: current -> HEAD -> main.
    try world.git("symbolic-ref", "refs/heads/current", "HEAD", in: server.bare)
    let before = try world.git("rev-parse", "refs/heads/main", in: server.bare)
    try world.commit("change.txt", "x\n", by: server.team.bob)
    let head = try world.git("rev-parse", "HEAD")
    for (destination, name) in [
      (server.url, "refs/heads/latest"), (server.bare.path, "refs/heads/latest"),
      (server.url, "refs/heads/current"),
    ] {
      let refused = try world.run(
        ["git", "push", "--no-verify", destination, "HEAD:\(name)"], in: world.work)
      #expect(refused.status != 0)
      #expect(
        refused.stderr.contains(
          "\(name) is a symbolic ref to refs/heads/main here, so this push is judged as refs/heads/main"
        ),
        "\(refused.output)")
      #expect(refused.stderr.contains("refs/heads/main is protected (refs/heads/main)"))
      // Deleting the symbolic ref would delete main.
      let deleted = try world.run(
        ["git", "push", "--no-verify", destination, ":\(name)"], in: world.work)
      #expect(deleted.status != 0)
      #expect(
        deleted.stderr.contains(
          "refs/heads/main is protected (refs/heads/main); deleting it is not allowed"),
        "\(deleted.output)")
    }
    #expect(try world.git("rev-parse", "refs/heads/main", in: server.bare) == before)

    let release = try world.request("HEAD", to: "refs/heads/main", as: server.team.bob)
    try world.expectSuccess(world.govern(["approve", release, "--push"], as: server.team.carol))
    let pushed = try world.run(
      ["git", "push", "--no-verify", "origin", "HEAD:refs/heads/latest"], in: world.work)
    #expect(pushed.status == 0, "\(pushed.output)")
    #expect(
      pushed.stderr.contains("refs/heads/main -> \(head.prefix(10)): allowed by release \(release)")
    )
    #expect(pushed.stderr.contains("receipt for refs/heads/main -> \(release)"), "\(pushed.output)")
    #expect(try world.git("rev-parse", "refs/heads/main", in: server.bare) == head)
  }

  @Test(
    "a protected name that is a symbolic ref to an unprotected ref is refused, not judged as the unprotected one"
  )
  func protectedSymbolicRefToUnprotectedRef() throws {
    let server = try ServerWorld()
    let world = server.world
    let main = try world.git("rev-parse", "refs/heads/main", in: server.bare)
    try world.git("update-ref", "refs/heads/trunk", main, in: server.bare)
    try world.git("update-ref", "-d", "refs/heads/main", in: server.bare)
    try world.git("symbolic-ref", "refs/heads/main", "refs/heads/trunk", in: server.bare)
    try world.git("symbolic-ref", "HEAD", "refs/heads/trunk", in: server.bare)
    try world.commit("change.txt", "x\n", by: server.team.bob)
    let refused = try world.run(
      ["git", "push", "--no-verify", server.url, "HEAD:refs/heads/main"], in: world.work)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        "refs/heads/main is protected (refs/heads/main) but is a symbolic ref to refs/heads/trunk here, which the policy does not protect"
      ), "\(refused.output)")
    #expect(try world.git("rev-parse", "refs/heads/trunk", in: server.bare) == main)
  }

  @Test("a symbolic ref to the governance branch gets no push past the governance checks")
  func symbolicRefToGovernance() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.git("symbolic-ref", "refs/heads/records", "refs/heads/governance", in: server.bare)
    let gov = world.root.appendingPathComponent("gov")
    try world.git("worktree", "add", "-q", gov.path, "governance")
    try world.git("rm", "-q", "people.yml", in: gov)
    try world.git("commit", "-q", "-m", "no people", in: gov)
    let refused = try world.run(
      ["git", "push", "--no-verify", server.bare.path, "governance:refs/heads/records"],
      in: world.work)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("so this push is judged as refs/heads/governance"),
      "\(refused.output)")
    #expect(refused.stderr.contains("the governance branch has no people.yml"))
    #expect(
      try world.git("rev-parse", "refs/heads/governance", in: server.bare)
        != world.git("rev-parse", "refs/heads/governance"))
  }

  @Test(
    "pre-receive input with a carriage return after the ref name is refused, not judged as another ref"
  )
  func carriageReturnFailsClosed() throws {
    let server = try ServerWorld()
    let world = server.world
    let head = try world.git("rev-parse", "HEAD")
    let zero = String(repeating: "0", count: 40)
    for input in ["\(zero) \(head) refs/tags/v1.0.0\r\n", "\(zero) \(head) refs/tags/v1.0.0\t\n"] {
      let result = try world.govern(
        ["check", "--hook", "pre-receive"], in: server.bare, stdin: input)
      #expect(result.status == 2, "\(result.output)")
      #expect(result.stderr.contains("the pre-receive input:1: holds the control byte"))
    }
  }

  @Test("the audit reports a protected ref pushed in another case, past the hooks, as a bypass")
  func auditFindsDifferentlyCasedBypass() throws {
    let server = try ServerWorld()
    let world = server.world
    try world.commit("sneaky.txt", "x\n", by: server.team.bob)
    try world.expectSuccess(
      world.run(
        ["git", "push", "-q", "--no-verify", "origin", "HEAD:refs/heads/topic"], in: world.work))
    let head = try world.git("rev-parse", "HEAD")
    try world.git("tag", "V6.6.6", head, in: server.bare)
    try world.git("update-ref", "refs/heads/MAIN", head, in: server.bare)
    let audit = try world.govern(["audit", "--format", "json"], in: server.bare)
    #expect(audit.status == 1)
    let json =
      try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any] ?? [:]
    let bypasses = (json["findings"] as? [[String: Any]] ?? []).filter {
      $0["check"] as? String == "bypass"
    }
    for ref in ["refs/tags/V6.6.6", "refs/heads/MAIN"] {
      #expect(
        bypasses.contains { $0["ref"] as? String == ref && $0["commit"] as? String == head },
        "\(ref): \(bypasses)")
    }
  }
}
