import ArgumentParser
import Foundation
import Governance
import Ledger

struct Incident: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "incident",
    abstract:
      "Open or close an incident: while one is open, only releases requested with --incident <id> may go out.",
    subcommands: [Open.self, Close.self, List.self])

  static func validID(_ id: String) -> Bool {
    !id.isEmpty && id.count <= 64
      && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
      && !id.hasPrefix(".")
  }

  struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "open", abstract: "Open an incident.")
    @Argument(help: "The incident id, e.g. INC-1234.") var id: String
    @Option(help: "What is happening.") var title: String?
    @OptionGroup var signing: SigningKeyOption
    @OptionGroup var sync: PushOption

    func validate() throws {
      guard Incident.validID(id) else {
        throw ValidationError("<id> \"\(id)\" must be letters, digits, '-', '_' or '.'")
      }
    }

    func run() throws {
      try Incident.write(id: id, state: .open, title: title, key: signing.path)
      Message.out(
        "Opened incident \(id). Protected releases are blocked unless requested with --incident \(id)."
      )
      try sync.syncIfAsked(key: signing.path)
    }
  }

  struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "close", abstract: "Close an incident.")
    @Argument(help: "The incident id.") var id: String
    @OptionGroup var signing: SigningKeyOption
    @OptionGroup var sync: PushOption

    func validate() throws {
      guard Incident.validID(id) else {
        throw ValidationError("<id> \"\(id)\" must be letters, digits, '-', '_' or '.'")
      }
    }

    func run() throws {
      try Incident.write(id: id, state: .closed, title: nil, key: signing.path)
      Message.out("Closed incident \(id).")
      try sync.syncIfAsked(key: signing.path)
    }
  }

  static func write(id: String, state wanted: IncidentRecord.State, title: String?, key: String?)
    throws
  {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: key)
    try DeclaringRole.require(
      .incident, me, state: state, doing: wanted == .open ? "open an incident" : "close an incident"
    )
    let existing = try CalendarRecords.incidentRecords(id, state: state).signed
    if wanted == .open, existing.last?.record.state == .open {
      throw UsageError("incident \(id) is already open")
    }
    if wanted == .closed, existing.last?.record.state != .open {
      throw UsageError("incident \(id) is not open")
    }
    let now = Date()
    let record = IncidentRecord(
      try session.authorship(state, me, now: now), id: id, state: wanted, title: title,
      sequence: existing.count)
    let path =
      "\(CalendarRecords.incidentDirectory)/\(id)/\(LedgerPaths.recordName(kind: wanted.rawValue, actor: me.id, created: now))"
    var files = try author.signedFiles(record, at: path)
    let index = "\(CalendarRecords.openIncidentIndex)/\(id)"
    files.append(
      wanted == .open
        ? LedgerFile(path: index, bytes: Array("\(title ?? id)\n".utf8)) : .removal(index))
    try session.ledger.append(
      message: "git-govern: incident \(id) \(wanted.rawValue) by \(me.id)", author: author, now: now
    ) { _ in files }
  }
}
