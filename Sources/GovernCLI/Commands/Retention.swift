import ArgumentParser

struct Retention: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retention",
    abstract:
      "Retention health, reviews of how long releases are kept, and legal holds (signed records).",
    subcommands: [
      RetentionReport.self, RetentionReviewCommand.self, RetentionApprove.self,
      RetentionHold.self, RetentionLift.self,
    ],
    defaultSubcommand: RetentionReport.self)
}
