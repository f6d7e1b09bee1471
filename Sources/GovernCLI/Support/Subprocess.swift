import Foundation

/// Runs a program with its output captured: standard output and error apart.
enum Subprocess {
  /// `git` as git-govern runs it: never prompting for credentials (a hook or a script has
  /// nobody to answer), never starting a gc, in `directory` (default: the current one);
  /// `timeout`, in seconds, bounds a call that may wait on the network.
  static func git(_ arguments: [String], in directory: URL? = nil, timeout: Int? = nil) throws
    -> (status: Int32, output: String, errors: String)
  {
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_TERMINAL_PROMPT"] = "0"
    let bound = timeout.map { ["timeout", "\($0)"] } ?? []
    return try run(
      bound + ["git", "-c", "gc.auto=0"] + arguments,
      in: directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
      environment: environment)
  }

  static func run(_ command: [String], in directory: URL, environment: [String: String]) throws -> (
    status: Int32, output: String, errors: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    process.currentDirectoryURL = directory
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Drain stderr on another thread so neither pipe can fill up and stall the child.
    let errorData = LockedData()
    let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return (
      process.terminationStatus, String(decoding: outputData, as: UTF8.self),
      String(decoding: errorData.value, as: UTF8.self)
    )
  }
}

final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?
  func set(_ value: Data) { lock.withLock { data = value } }
  var isSet: Bool { lock.withLock { data != nil } }
  var value: Data { lock.withLock { data ?? Data() } }
}
