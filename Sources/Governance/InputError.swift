/// A problem with something a person wrote: a policy, a people file, a record, an argument.
/// It names where (`file:line:col`) and what would be right.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int?
  public let column: Int?
  public let message: String

  public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    var location = file
    if let line { location += ":\(line)" }
    if let column { location += ":\(column)" }
    return "\(location): \(message)"
  }
}

/// Several input problems found in one pass, so a user fixes them all at once.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
  public let errors: [InputError]

  public init(_ errors: [InputError]) { self.errors = errors }

  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
