import Foundation

/// One thing the gate depends on, as `git govern doctor` found it, with the command that puts
/// it right when it does not hold.
struct DoctorCheck: Encodable {
  enum Status: String, Encodable {
    /// It holds.
    case ok
    /// Worth putting right, but the gate holds without it.
    case warn
    /// The gate does not hold: a push could walk around it, or every push is refused.
    case fail
  }

  let id: String
  let status: Status
  let message: String
  /// The command that fixes it; nil when it holds.
  let fix: String?

  static func ok(_ id: String, _ message: String) -> DoctorCheck {
    DoctorCheck(id: id, status: .ok, message: message, fix: nil)
  }

  static func warn(_ id: String, _ message: String, fix: String?) -> DoctorCheck {
    DoctorCheck(id: id, status: .warn, message: message, fix: fix)
  }

  static func fail(_ id: String, _ message: String, fix: String?) -> DoctorCheck {
    DoctorCheck(id: id, status: .fail, message: message, fix: fix)
  }

  private enum CodingKeys: String, CodingKey { case id, status, message, fix }

  // `fix` is always there, null when nothing needs fixing: a stable shape for scripts.
  func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(status, forKey: .status)
    try container.encode(message, forKey: .message)
    if let fix {
      try container.encode(fix, forKey: .fix)
    } else {
      try container.encodeNil(forKey: .fix)
    }
  }
}

/// What `git govern doctor` found: `doctor --json` prints it as it is.
struct DoctorReport: Encodable {
  /// `ok` when no check fails (warnings allowed), else `fail`.
  let status: String
  /// `client` or `server`: which checks ran.
  let mode: String
  let repository: String
  let checks: [DoctorCheck]

  init(mode: String, repository: String, checks: [DoctorCheck]) {
    self.mode = mode
    self.repository = repository
    self.checks = checks
    status = checks.contains { $0.status == .fail } ? "fail" : "ok"
  }

  var holds: Bool { status == "ok" }
}

/// A word for a shell command line: as it is when it needs no quoting, else in single quotes.
func shellWord(_ text: String) -> String {
  let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:=@,%")
  if !text.isEmpty, text.allSatisfy(plain.contains) { return text }
  return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
