import ArgumentParser
import Foundation
import Governance
import Ledger

struct ControlsShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show the control catalog in force.")

  @Flag(help: "Machine-readable output.")
  var json = false

  struct Shown: Encodable {
    struct Control: Encodable {
      let id: String
      let title: String
      let checks: [String]
    }
    let framework: String
    let source: String
    let controls: [Control]
  }

  func run() throws {
    let state = try Session().state()
    let (catalog, source) = try ControlCatalogFile.inForce(state)
    if json {
      Message.out(
        try Message.json(
          Shown(
            framework: catalog.framework, source: source,
            controls: catalog.controls.map { .init(id: $0.id, title: $0.title, checks: $0.checks) })
        ))
      return
    }
    Message.out("# \(catalog.framework): \(source)")
    for control in catalog.controls {
      Message.out("\(control.id)\t\(control.title)\t\(control.checks.joined(separator: ", "))")
    }
  }
}
