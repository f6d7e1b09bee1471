import Foundation
import GitKit

/// Hands governance events to the command the server's admin configured
/// (`govern.eventCommand`, run with `/bin/sh -c`, one JSON line on its standard input per event,
/// `GIT_GOVERN_EVENT` set to the event's kind), retrying a failed delivery
/// (`govern.eventRetries`, default 3, waiting 0.5 s, 1 s, 2 s… between tries). With
/// `govern.eventDryRun` true the lines are only printed. git-govern knows nothing of chat or
/// ticketing: the command does (`curl -fsS --data-binary @- https://chat.example/hook`).
struct EventDelivery {
  var command: String
  var retries = 3
  var dryRun = false
  /// How long one try may take before it is stopped and counted as failed.
  var timeout: TimeInterval = 10

  init?(repository: Repository) throws {
    guard let command = try repository.configString("govern.eventcommand"), !command.isEmpty
    else { return nil }
    self.command = command
    if let text = try repository.configString("govern.eventretries") {
      guard let retries = Int(text), retries >= 0 else {
        throw UsageError("govern.eventRetries is \"\(text)\"; it must be a whole number, e.g. 3")
      }
      self.retries = retries
    }
    dryRun = try repository.configString("govern.eventdryrun").map { $0 == "true" } ?? false
  }

  init(command: String, retries: Int = 3, dryRun: Bool = false) {
    (self.command, self.retries, self.dryRun) = (command, retries, dryRun)
  }

  /// Delivers each line; returns the lines that could not be delivered after every retry.
  func deliver(_ lines: [String]) -> [String] {
    lines.filter { line in
      if dryRun {
        Message.note("git-govern: event (dry run, not sent): \(line)")
        return false
      }
      for attempt in 0...retries {
        if attempt > 0 { Thread.sleep(forTimeInterval: 0.5 * Double(1 << (attempt - 1))) }
        if send(line) { return false }
      }
      return true
    }
  }

  private func send(_ line: String) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    var environment = ProcessInfo.processInfo.environment
    environment["GIT_GOVERN_EVENT"] =
      ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["event"]
      as? String ?? "record"
    process.environment = environment
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      Message.note("git-govern: govern.eventCommand could not start: \(error)")
      return false
    }
    input.fileHandleForWriting.write(Data((line + "\n").utf8))
    try? input.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      return false
    }
    return process.terminationStatus == 0
  }
}
