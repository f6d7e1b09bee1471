import ArgumentParser

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Validate, show and change the policy.",
    subcommands: [
      PolicyCheck.self, PolicyShow.self, PolicyApply.self, PolicyApprove.self, PolicyPending.self,
      PolicyTest.self,
    ])
}
