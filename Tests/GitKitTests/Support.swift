import Foundation
import Testing

@testable import GitKit

/// A temporary directory removed when the value goes away.
final class Scratch {
  let path: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/gitkit-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func sub(_ name: String) -> String { path + "/" + name }

  func write(_ relative: String, _ text: String) throws {
    let full = sub(relative)
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: full, atomically: true, encoding: .utf8)
  }
}

struct CommandFailure: Error, CustomStringConvertible {
  let description: String
}

/// Runs the git CLI hermetically: no GIT_* from the test process (tests may run inside a
/// hook), no system or global config, fixed identities.
@discardableResult
func git(
  _ arguments: [String], in directory: String, environment extra: [String: String] = [:],
  input: String? = nil, allowFailure: Bool = false
) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  var environment: [String: String] = [
    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    "HOME": directory,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_AUTHOR_NAME": "Ada Author",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Carl Committer",
    "GIT_COMMITTER_EMAIL": "carl@example.com",
    "LC_ALL": "C",
  ]
  environment.merge(extra) { $1 }
  process.environment = environment
  let out = Pipe()
  let err = Pipe()
  let inPipe = Pipe()
  process.standardOutput = out
  process.standardError = err
  process.standardInput = inPipe
  try process.run()
  if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
  try inPipe.fileHandleForWriting.close()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let stdout = String(decoding: outData, as: UTF8.self)
  if process.terminationStatus != 0 && !allowFailure {
    throw CommandFailure(
      description: "git \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): "
        + String(decoding: errData, as: UTF8.self))
  }
  return stdout
}

/// `git ...` output without the trailing newline.
func gitLine(_ arguments: [String], in directory: String, environment: [String: String] = [:])
  throws
  -> String
{
  try git(arguments, in: directory, environment: environment).trimmingCharacters(
    in: .whitespacesAndNewlines)
}

/// Environment without anything that could redirect libgit2 to another repository.
let cleanEnvironment: [String: String] = [:]

/// A counter for increasing, deterministic commit dates.
final class Clock: @unchecked Sendable {
  private var seconds = 1_700_000_000
  func tick() -> String {
    seconds += 60
    return "\(seconds) +0000"
  }
}

/// A non-bare repository with "main" checked out, created by the git CLI.
func makeRepository(in scratch: Scratch, name: String = "work") throws -> String {
  let dir = scratch.sub(name)
  try git(["init", "-q", "-b", "main", dir], in: scratch.path)
  return dir
}

/// Commits all changes (or an empty commit) and returns the new HEAD.
@discardableResult
func commit(_ message: String, in dir: String, clock: Clock, files: [String: String] = [:]) throws
  -> OID
{
  for (path, text) in files {
    let full = dir + "/" + path
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: full, atomically: true, encoding: .utf8)
  }
  let date = clock.tick()
  let env = ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
  try git(["add", "-A"], in: dir, environment: env)
  try git(["commit", "-q", "--allow-empty", "-m", message], in: dir, environment: env)
  return OID(hex: try gitLine(["rev-parse", "HEAD"], in: dir))!
}

func oid(_ text: String) -> OID { OID(hex: text.trimmingCharacters(in: .whitespacesAndNewlines))! }

let testSignature = Signature(
  name: "Grace Governor", email: "grace@example.com",
  time: Date(timeIntervalSince1970: 1_700_000_000), offsetMinutes: 120)

/// Expects `body` to throw a `GitError` with `code`, returning it.
@discardableResult
func expectGitError(
  _ code: GitError.Code, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) -> GitError? {
  do {
    try body()
    Issue.record("expected GitError \(code), nothing thrown", sourceLocation: sourceLocation)
    return nil
  } catch let error as GitError {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected GitError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}
