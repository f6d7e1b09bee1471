import ArgumentParser
import Foundation
import GitKit
import Governance

struct Doctor: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract:
      "Check what makes the gate hold here (hooks, server settings, keys, the governance branch, the clock), each problem with the command that fixes it.",
    discussion: """
      Exit 0 when every check holds (warnings allowed), 1 when one fails: a push could walk
      around the gate, or every push would be refused. In a bare repository, or with --server,
      the server's checks run.
      """)

  @Flag(help: "Run the server's checks (the default in a bare repository).")
  var server = false

  @Flag(help: "Machine-readable output.")
  var json = false

  func run() throws {
    let now = try Session.clock(at: nil)
    let report: DoctorReport
    do {
      let session = try Session()
      let onServer = server || session.repository.isBare
      let diagnosis = GateDiagnosis(session: session, now: now)
      report = DoctorReport(
        mode: onServer ? "server" : "client",
        repository: session.repository.workingDirectory ?? session.repository.gitDirectory,
        checks: onServer ? diagnosis.server() : diagnosis.client())
    } catch let error as GitError where error.code == .owner {
      // Unopened, a bare repository is told by its layout: HEAD and objects/ with no .git.
      let here = FileManager.default.currentDirectoryPath
      let bare = ["HEAD", "objects"].allSatisfy {
        FileManager.default.fileExists(atPath: here + "/" + $0)
      }
      report = DoctorReport(
        mode: server || bare ? "server" : "client", repository: here,
        checks: [GateDiagnosis.ownerRefused(error)])
    }
    if json {
      Message.out(try Message.json(report))
    } else {
      print(report)
    }
    if !report.holds { throw Blocked() }
  }

  private func print(_ report: DoctorReport) {
    Message.out("git-govern doctor (\(report.mode)): \(report.repository)")
    for check in report.checks {
      let mark: Check.Status =
        switch check.status {
        case .ok: .pass
        case .warn: .warn
        case .fail: .blocker
        }
      Message.out("  \(Message.mark(mark)) \(check.id): \(check.message)")
      if let fix = check.fix { Message.out("        fix: \(fix)") }
    }
    let failing = report.checks.filter { $0.status == .fail }.map(\.id)
    let warning = report.checks.filter { $0.status == .warn }.count
    Message.out(
      failing.isEmpty
        ? "The gate holds"
          + (warning == 0 ? "." : " (\(warning) warning\(warning == 1 ? "" : "s")).")
        : "The gate does not hold: \(failing.joined(separator: ", ")) \(failing.count == 1 ? "fails" : "fail"); run the fix shown for each."
    )
  }
}
