/// Thrown after a command has said why it refuses: exit 1, blocked by policy, or findings.
struct Blocked: Error {
  var code: Int32 = 1
}

/// A usage or input error raised by a command: exit 2 with this message.
struct UsageError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
