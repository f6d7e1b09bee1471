import ArgumentParser

struct Identity: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "identity",
    abstract: "Manage the people in people.yml: their emails, keys, roles and team.",
    subcommands: [
      IdentityAdd.self, IdentityBuilder.self, IdentityList.self, IdentityExport.self,
      IdentityRevoke.self,
    ])
}
