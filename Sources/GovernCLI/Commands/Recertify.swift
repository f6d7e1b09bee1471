import ArgumentParser
import Foundation
import Governance
import Ledger

struct Recertify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recertify",
    abstract: "Answer an access review: sign that people still need their roles.",
    discussion: """
      With recertify_every in the policy, a role counts for approvals, path owners and exceptions
      only while a policy-admin other than its holder recertified it within that time. One record
      per person, all in one governance commit. See who is due: git govern access-review.
      """)

  @Argument(help: "Principals to recertify.")
  var people: [String] = []

  @Flag(help: "Everyone in people.yml with a role that lapses (not yourself).")
  var all = false

  @Option(name: .customLong("role"), help: "Only this role (repeatable; default: all they hold).")
  var roles: [String] = []

  @Option(help: "A note for the record (the review's ticket, say).")
  var note: String?

  @OptionGroup var signing: SigningKeyOption

  @OptionGroup var sync: PushOption

  func run() throws {
    let session = try Session()
    let state = try session.state()
    let (me, author) = try session.actor(in: state, key: signing.path)
    guard me.hasRole("policy-admin") else {
      throw UsageError("\(me.id) is not a policy-admin; only a policy-admin recertifies roles")
    }
    let now = Date()
    var records: [(record: Recertification, path: String)] = []
    var done: [String] = []
    for person in try chosen(state.people, me: me) {
      let roles = try rolesToRecertify(person)
      let record = Recertification(
        try session.authorship(state, me, now: now), person: person.id, roles: roles, note: note)
      records.append((record, RecertificationRecords.path(record, created: now)))
      done.append("\(person.id) (\(roles.joined(separator: ", ")))")
    }
    guard !done.isEmpty else {
      throw UsageError("nobody to recertify: everyone's roles are exempt")
    }
    try session.appendRecords(
      records, author: author, now: now, message: "git-govern: recertify \(done.count) by \(me.id)")
    Message.out("Recertified \(done.joined(separator: "; ")) at \(Timestamp.format(now)).")
    try sync.syncIfAsked(key: signing.path)
  }

  private func chosen(_ registered: People, me: Person) throws -> [Person] {
    guard all else {
      guard !people.isEmpty else { throw UsageError("name who to recertify, or --all") }
      return try people.map { id in
        guard let person = registered[id] else {
          throw UsageError("\(id) is not a registered person (a principal of people.yml)")
        }
        guard id != me.id else {
          throw UsageError(
            "\(id): nobody recertifies their own roles; another policy-admin must answer for you")
        }
        return person
      }
    }
    guard people.isEmpty else { throw UsageError("give principals or --all, not both") }
    let due = registered.persons.filter { person in
      person.id != me.id && person.roles.contains { !Recertifications.exempt.contains($0) }
    }
    if registered[me.id]?.roles.contains(where: { !Recertifications.exempt.contains($0) }) == true {
      Message.note("\(me.id)'s own roles are left out: another policy-admin must recertify them.")
    }
    return due
  }

  private func rolesToRecertify(_ person: Person) throws -> [String] {
    let lapsing = person.roles.filter { !Recertifications.exempt.contains($0) }
    guard !roles.isEmpty else { return lapsing }
    if let role = roles.first(where: { !person.hasRole($0) }) {
      throw UsageError(
        "--role \(role): \(person.id) does not hold it (roles held: \(person.roles.joined(separator: ", ")))"
      )
    }
    return roles
  }
}
