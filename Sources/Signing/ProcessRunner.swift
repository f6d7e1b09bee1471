import Foundation

/// Runs a command through `/usr/bin/env` and collects its output.
///
/// Standard input is /dev/null: hooks have no terminal, and nothing may wait
/// for input. Output and error go to files in a scratch directory rather than
/// pipes, so no reader threads are needed and large output cannot deadlock.
enum ProcessRunner {
  struct Output {
    var status: Int32
    var terminatedBySignal: Bool
    var standardOutput: [UInt8]
    var standardError: String

    var succeeded: Bool { status == 0 && !terminatedBySignal }

    /// stderr on one line, or the exit status when stderr says nothing.
    /// - Parameter notes: informational stderr lines that are not part of an error.
    func failureDescription(ignoring notes: Set<String> = []) -> String {
      let text = standardError.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !notes.contains($0) }
        .joined(separator: "; ")
      if !text.isEmpty { return text }
      return terminatedBySignal ? "killed by signal \(status)" : "exit status \(status)"
    }
  }

  /// - Parameter environment: the child's environment; nil inherits ours.
  static func run(_ arguments: [String], environment: [String: String]?, in directory: URL)
    throws -> Output
  {
    let outputURL = directory.appendingPathComponent("stdout")
    let errorURL = directory.appendingPathComponent("stderr")
    for url in [outputURL, errorURL] {
      guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
      }
    }
    let input = FileHandle(forReadingAtPath: "/dev/null")
    let output = try FileHandle(forWritingTo: outputURL)
    let error = try FileHandle(forWritingTo: errorURL)
    defer {
      try? input?.close()
      try? output.close()
      try? error.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    process.waitUntilExit()

    return Output(
      status: process.terminationStatus,
      terminatedBySignal: process.terminationReason == .uncaughtSignal,
      standardOutput: [UInt8](try Data(contentsOf: outputURL)),
      standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
  }
}
