import ArgumentParser

struct Freeze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Declare ad-hoc freezes and list the freezes in force and coming.",
    subcommands: [FreezeAdd.self, FreezeList.self])
}
