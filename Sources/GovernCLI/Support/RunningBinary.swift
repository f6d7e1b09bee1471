import Foundation

/// The git-govern binary this process runs from: hooks call it when `git-govern` is not on PATH.
enum RunningBinary {
  static var path: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }
}
