import ArgumentParser

struct Controls: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "controls",
    abstract:
      "Apply and show the control catalog audits report against (audit --controls), or print a template.",
    subcommands: [ControlsApply.self, ControlsShow.self, ControlsTemplate.self])
}
