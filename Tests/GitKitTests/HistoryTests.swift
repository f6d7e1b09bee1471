import Foundation
import Testing

@testable import GitKit

@Suite struct HistoryTests {
  /// main: A - B - C ------ M1 - F - M2
  ///            \          /        /
  /// feature:    D ------ E        /
  /// other:           G ----------'
  struct Graph {
    let scratch: Scratch
    let dir: String
    let c: [String: OID]
  }

  func makeGraph() throws -> Graph {
    let scratch = try Scratch()
    let clock = Clock()
    let dir = try makeRepository(in: scratch)
    var c: [String: OID] = [:]
    c["A"] = try commit("A", in: dir, clock: clock, files: ["a": "A"])
    c["B"] = try commit("B", in: dir, clock: clock, files: ["b": "B"])
    try git(["checkout", "-q", "-b", "feature"], in: dir)
    c["D"] = try commit("D", in: dir, clock: clock, files: ["d": "D"])
    try git(["checkout", "-q", "main"], in: dir)
    c["C"] = try commit("C", in: dir, clock: clock, files: ["c": "C"])
    try git(["checkout", "-q", "feature"], in: dir)
    c["E"] = try commit("E", in: dir, clock: clock, files: ["e": "E"])
    try git(["checkout", "-q", "-b", "other", c["A"]!.hex], in: dir)
    c["G"] = try commit("G", in: dir, clock: clock, files: ["g": "G"])
    try git(["checkout", "-q", "main"], in: dir)
    let date = clock.tick()
    try git(
      ["merge", "-q", "--no-ff", "-m", "M1", "feature"], in: dir,
      environment: ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date])
    c["M1"] = oid(try git(["rev-parse", "HEAD"], in: dir))
    c["F"] = try commit("F", in: dir, clock: clock, files: ["f": "F"])
    let date2 = clock.tick()
    try git(
      ["merge", "-q", "--no-ff", "-m", "M2", "other"], in: dir,
      environment: ["GIT_AUTHOR_DATE": date2, "GIT_COMMITTER_DATE": date2])
    c["M2"] = oid(try git(["rev-parse", "HEAD"], in: dir))
    return Graph(scratch: scratch, dir: dir, c: c)
  }

  func revList(_ args: [String], in dir: String) throws -> [OID] {
    try git(["rev-list"] + args, in: dir).split(separator: "\n").map { oid(String($0)) }
  }

  /// `hidingWhereCommits` hides what a commit or a tag of one reaches (each once, however often
  /// it is named), as `git rev-list --not` does, and passes over what is no commit: a tag of a
  /// tree, an object the repository lacks. Anything else wrong still throws.
  @Test func hidingWhereCommitsPassesOverWhatIsNoCommit() throws {
    let graph = try makeGraph()
    let c = graph.c
    try git(["tag", "-a", "-m", "annotated", "tagged-e", c["E"]!.hex], in: graph.dir)
    let tagOfE = oid(try git(["rev-parse", "tagged-e"], in: graph.dir))
    let tree = oid(try git(["rev-parse", c["M2"]!.hex + "^{tree}"], in: graph.dir))
    try git(["tag", "-a", "-m", "a tree", "tagged-tree", tree.hex], in: graph.dir)
    let tagOfTree = oid(try git(["rev-parse", "tagged-tree"], in: graph.dir))
    let missing = OID(hex: String(repeating: "ab", count: 20))!
    let repo = try Repository.open(graph.dir, environment: cleanEnvironment)

    let walked = try repo.walk(
      from: [c["M2"]!], hidingWhereCommits: [missing, tagOfTree, tagOfE, c["G"]!, tagOfE, tree],
      order: .none
    ).collect()
    let expected = try revList([c["M2"]!.hex, "^" + c["E"]!.hex, "^" + c["G"]!.hex], in: graph.dir)
    #expect(Set(walked) == Set(expected))
    #expect(walked.count == expected.count)
    // Strictly hidden, the same ids are refused.
    #expect(throws: GitError.self) {
      _ = try repo.walk(from: [c["M2"]!], hiding: [missing]).collect()
    }
  }

  @Test func walkMatchesRevList() throws {
    let graph = try makeGraph()
    let c = graph.c
    let repo = try Repository.open(graph.dir, environment: cleanEnvironment)

    let cases: [([String], [String])] = [
      (["M2"], []), (["M2"], ["B"]), (["M2"], ["E"]), (["M2"], ["G"]), (["M2"], ["M1"]),
      (["E", "G"], ["C"]), (["M2"], ["M2"]), (["F"], ["E", "G"]),
    ]
    for (tips, hidden) in cases {
      let expected = try revList(
        tips.map { c[$0]!.hex } + hidden.map { "^" + c[$0]!.hex }, in: graph.dir)
      for order in [WalkOrder.topological, .time, .none] {
        let walked = try repo.walk(
          from: tips.map { c[$0]! }, hiding: hidden.map { c[$0]! }, order: order
        )
        .collect()
        #expect(Set(walked) == Set(expected), "tips \(tips) hiding \(hidden) order \(order)")
        #expect(walked.count == expected.count)
      }
      // Topological: every commit comes before its parents.
      let topo = try repo.walk(from: tips.map { c[$0]! }, hiding: hidden.map { c[$0]! }).collect()
      let position = Dictionary(uniqueKeysWithValues: topo.enumerated().map { ($1, $0) })
      for commitID in topo {
        for parent in try repo.commit(commitID).parents {
          if let p = position[parent] { #expect(p > position[commitID]!) }
        }
      }
    }
    // Time order with distinct dates equals git's --date-order here.
    #expect(
      try repo.walk(from: [c["M2"]!], hiding: [c["B"]!], order: .time).collect()
        == (try revList(["--date-order", c["M2"]!.hex, "^" + c["B"]!.hex], in: graph.dir)))
    // Reverse and first-parent.
    #expect(
      try repo.walk(from: [c["M2"]!], order: .topological, reverse: true, firstParent: true)
        .collect()
        == (try revList(["--first-parent", "--reverse", c["M2"]!.hex], in: graph.dir)))
    // The Sequence interface.
    var seen: [OID] = []
    let walk = try repo.walk(from: [c["C"]!])
    for oid in walk { seen.append(oid) }
    #expect(walk.failure == nil)
    #expect(seen == [c["C"]!, c["B"]!, c["A"]!])
    #expect(walk.next() == nil)
  }

  @Test func walkErrors() throws {
    let graph = try makeGraph()
    let repo = try Repository.open(graph.dir, environment: cleanEnvironment)
    let missing = OID(hex: String(repeating: "5a", count: 40 / 2))!
    expectGitError(.notFound) { _ = try repo.walk(from: [graph.c["M2"]!], hiding: [missing]) }
    expectGitError(.notFound) { _ = try repo.walk(from: [missing]) }
    #expect(throws: GitError.self) {
      _ = try repo.walk(from: [graph.c["M2"]!], hiding: [try repo.tree(ofCommit: graph.c["A"]!)])
    }

    // A commit whose parent object is missing: the walk fails midway, and says so.
    let tree = try repo.tree(ofCommit: graph.c["A"]!)
    let broken = oid(
      try git(
        ["hash-object", "-t", "commit", "-w", "--stdin"], in: graph.dir,
        input: """
          tree \(tree.hex)
          parent \(missing.hex)
          author X <x@example.com> 1700000000 +0000
          committer X <x@example.com> 1700000000 +0000

          broken

          """))
    let walk = try repo.walk(from: [broken], order: .none)
    var seen: [OID] = []
    for oid in walk { seen.append(oid) }
    #expect(walk.failure?.code == .notFound, "\(String(describing: walk.failure))")
    #expect(!seen.contains(missing))
    #expect(throws: GitError.self) { _ = try walk.nextCommit() }
    #expect(throws: GitError.self) {
      _ = try repo.walk(from: [broken], order: .topological).collect()
    }
  }

  @Test func ancestry() throws {
    let graph = try makeGraph()
    let c = graph.c
    let repo = try Repository.open(graph.dir, environment: cleanEnvironment)
    #expect(try repo.isDescendant(c["M2"]!, of: c["A"]!))
    #expect(try repo.isDescendant(c["M1"]!, of: c["E"]!))
    #expect(try !repo.isDescendant(c["A"]!, of: c["M2"]!))
    #expect(try !repo.isDescendant(c["C"]!, of: c["D"]!))
    #expect(try !repo.isDescendant(c["C"]!, of: c["C"]!))  // not reflexive
    #expect(try repo.mergeBase(c["C"]!, c["E"]!) == c["B"]!)
    #expect(try repo.mergeBase(c["G"]!, c["F"]!) == c["A"]!)
    // Unrelated histories.
    let orphanTree = try repo.emptyTree()
    let orphan = try repo.createCommit(
      buffer: try repo.commitBuffer(
        tree: orphanTree, parents: [], author: testSignature, committer: testSignature,
        message: "orphan\n"),
      signature: nil)
    #expect(try repo.mergeBase(orphan, c["A"]!) == nil)
  }
}
