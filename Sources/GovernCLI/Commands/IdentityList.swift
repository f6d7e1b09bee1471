import ArgumentParser
import Governance

struct IdentityList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the people in force.")

  @Flag(help: "Machine-readable output.")
  var json = false

  struct Entry: Encodable {
    let principal: String
    let name: String
    let emails: [String]
    let keys: [String]
    let roles: [String]
    let team: String?
  }

  func run() throws {
    let state = try Session().state()
    let entries = state.people.persons.map {
      Entry(
        principal: $0.id, name: $0.name, emails: $0.emails, keys: $0.keys, roles: $0.roles,
        team: $0.team)
    }
    if json {
      Message.out(Message.json(["people": entries]))
      return
    }
    for person in state.people.persons {
      let team = person.team.map { ", team \($0)" } ?? ""
      Message.out("\(person.id)  \(person.name)  <\(person.emails.joined(separator: ">, <"))>")
      Message.out(
        "    roles: \(person.roles.isEmpty ? "none" : person.roles.joined(separator: ", "))\(team); keys: \(person.keys.count)"
      )
    }
  }
}
