import ArgumentParser

struct Freeze: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "freeze",
    abstract: "Declare and cancel ad-hoc freezes, and list the freezes in force and coming.",
    subcommands: [FreezeAdd.self, FreezeCancel.self, FreezeList.self])
}
