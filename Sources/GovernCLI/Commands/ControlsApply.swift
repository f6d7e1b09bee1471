import ArgumentParser
import Foundation
import Governance
import Ledger

struct ControlsApply: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Put a control catalog in force: a signed record, by a policy-admin.",
    discussion: """
      The catalog maps each control of a framework to the checks that evidence it; \
      git govern audit --controls then reports, per control, the releases sampled, passing and \
      failing. Start from a template: git govern controls template (SOX ITGC, SOC 2, ISO 27001, NIST 800-53).
      """)

  @Argument(help: "The catalog file (YAML: version, framework, controls).")
  var file: String

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let (text, catalog) = try ControlCatalogFile.read(file)
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    guard me.hasRole("policy-admin") else {
      throw UsageError(
        "\(me.id) is not a policy-admin; only a policy-admin puts a control catalog in force")
    }
    let now = Date()
    let record = ControlsRecord(
      try session.authorship(state, me, now: now), framework: catalog.framework, catalog: text)
    let path = ControlCatalogRecords.path(record, created: now)
    try session.appendRecord(
      record, at: path, author: author, now: now,
      message: "git-govern: control catalog \(catalog.framework) by \(me.id)")
    Message.out(
      "Control catalog \"\(catalog.framework)\" (\(catalog.controls.count) control\(catalog.controls.count == 1 ? "" : "s")) is in force: \(path). Report with: git govern audit --controls"
    )
    try sync.syncIfAsked(key: signing.path)
  }
}
