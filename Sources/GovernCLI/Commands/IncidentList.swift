import ArgumentParser
import Foundation
import Governance
import Ledger

extension Incident {
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract:
        "The incidents open now (while one is, only releases requested with --incident <id> go out); --all lists closed ones too."
    )

    @Flag(help: "Closed incidents too.")
    var all = false

    @Flag(help: "Machine-readable output.")
    var json = false

    struct Listed: Encodable {
      let id: String
      let title: String?
      let state: String
      /// Claimed by the signed records (`created`), as their signers wrote them.
      let opened: String?
      let opened_by: String?
      let closed: String?
      let closed_by: String?
    }

    func run() throws {
      let state = try Session().state()
      let (listed, problems) = try Self.incidents(state, all: all)
      for problem in problems {
        Message.note("warning: \(problem.path) \(problem.message); it does not count")
      }
      if json {
        Message.out(try Message.json(["incidents": listed]))
        return
      }
      if listed.isEmpty {
        Message.out(all ? "No incidents recorded." : "No incident is open.")
        return
      }
      for incident in listed {
        let title = incident.title.map { " \"\($0)\"" } ?? ""
        let opened = "opened \(incident.opened ?? "?") by \(incident.opened_by ?? "?")"
        let closed = incident.closed.map { ", closed \($0) by \(incident.closed_by ?? "?")" } ?? ""
        Message.out("\(incident.id)\(title): \(incident.state), \(opened)\(closed)")
        if incident.state == "open" {
          Message.out(
            "  releases need --incident \(incident.id); close it with: git govern incident close \(incident.id)"
          )
        }
      }
    }

    /// Open incidents by the `incidents/open/` index (each checked against its signed records,
    /// as the gate does); with `all`, every incident ever declared.
    static func incidents(_ state: GovernanceState, all: Bool) throws -> (
      [Listed], [RecordProblem]
    ) {
      let directory = all ? CalendarRecords.incidentDirectory : CalendarRecords.openIncidentIndex
      var listed: [Listed] = []
      var problems: [RecordProblem] = []
      for entry in try state.snapshot.entries(in: directory) {
        let records = try CalendarRecords.incidentRecords(entry.name, state: state)
        problems += records.problems
        guard let latest = records.signed.last else { continue }
        if !all, latest.record.state != .open { continue }
        let opening = records.signed.last { $0.record.state == .open }
        let closing = latest.record.state == .closed ? latest : nil
        listed.append(
          Listed(
            id: entry.name, title: records.signed.first?.record.title,
            state: latest.record.state.rawValue, opened: opening?.record.created,
            opened_by: opening?.signer.id, closed: closing?.record.created,
            closed_by: closing?.signer.id))
      }
      return (listed, problems)
    }
  }
}
