import Foundation

/// Where `templates/` and `hooks/` are: `GIT_GOVERN_SHARE`, else `<prefix>/share/git-govern`
/// beside the installed binary, else the source checkout the binary was built in.
enum ShareDirectory {
  static func locate() throws -> URL {
    let environment = ProcessInfo.processInfo.environment
    if let share = environment["GIT_GOVERN_SHARE"], !share.isEmpty {
      return URL(fileURLWithPath: share)
    }
    let executable = URL(fileURLWithPath: executablePath()).resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    let installed = directory.deletingLastPathComponent().appendingPathComponent("share/git-govern")
    if holdsShare(installed) { return installed }
    for _ in 0..<6 {
      if holdsShare(directory) { return directory }
      directory = directory.deletingLastPathComponent()
    }
    throw UsageError(
      "cannot find git-govern's templates/ and hooks/ (looked beside \(executable.path) and in share/git-govern); "
        + "install with `make install` or set GIT_GOVERN_SHARE to the folder holding them")
  }

  static func executablePath() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }

  private static func holdsShare(_ directory: URL) -> Bool {
    FileManager.default.fileExists(
      atPath: directory.appendingPathComponent("templates/policy.yml").path)
      && FileManager.default.fileExists(
        atPath: directory.appendingPathComponent("hooks/pre-push").path)
  }

  static func read(_ relativePath: String) throws -> String {
    let url = try locate().appendingPathComponent(relativePath)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      throw UsageError("cannot read \(url.path)")
    }
    return text
  }
}
