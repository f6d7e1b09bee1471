import Foundation

/// The code history both shapes share, written with `git fast-import`: commit *i* on `main` by
/// the author `dev<k>@example.com` the generator picks, touching one of 97 files, five minutes
/// after the one before. `tag(i)` names the lightweight tag to put at commit *i*, if any.
/// Returns each commit's id by its number (index 0 is unused).
func writeCodeHistory(
  repoPath: String, marksFile: String, commits: Int, authors: Int, rng: inout SeededRNG,
  tag: (Int) -> String?
) throws -> [String] {
  let fastImport = Process()
  fastImport.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  fastImport.arguments = ["git", "fast-import", "--quiet", "--export-marks=\(marksFile)"]
  fastImport.currentDirectoryURL = URL(fileURLWithPath: repoPath)
  let pipe = Pipe()
  fastImport.standardInput = pipe
  try fastImport.run()
  var buffer = ""
  let baseTime = 1_700_000_000
  for i in 1...commits {
    let a = Int(rng.next() % UInt64(authors))
    let t = baseTime + i * 300
    let msg = "change \(i)\n"
    let content = "line \(i) by dev\(a)\n"
    buffer +=
      "commit refs/heads/main\nmark :\(i)\nauthor Dev \(a) <dev\(a)@example.com> \(t) +0000\ncommitter Dev \(a) <dev\(a)@example.com> \(t) +0000\ndata \(msg.utf8.count)\n\(msg)M 644 inline src/f\(i % 97).txt\ndata \(content.utf8.count)\n\(content)\n"
    if let name = tag(i) {
      buffer += "reset \(name)\nfrom :\(i)\n\n"
    }
    if buffer.utf8.count > 1 << 20 {
      pipe.fileHandleForWriting.write(Data(buffer.utf8))
      buffer = ""
    }
  }
  pipe.fileHandleForWriting.write(Data(buffer.utf8))
  try pipe.fileHandleForWriting.close()
  fastImport.waitUntilExit()
  guard fastImport.terminationStatus == 0 else { throw BenchError("git fast-import failed") }
  var marks: [String] = Array(repeating: "", count: commits + 1)
  for line in try String(contentsOfFile: marksFile, encoding: .utf8).split(separator: "\n") {
    let parts = line.split(separator: " ")
    if let m = Int(parts[0].dropFirst()) { marks[m] = String(parts[1]) }
  }
  _ = try run(["git", "-C", repoPath, "reset", "-q", "--hard", "main"])
  return marks
}
