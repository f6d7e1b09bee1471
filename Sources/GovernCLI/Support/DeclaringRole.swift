import Governance
import Ledger

/// Refuses, before anything is written, an incident or freeze record its signer may not make:
/// readers would not count it (and the server refuses it).
enum DeclaringRole {
  enum Kind {
    case incident, freeze

    var key: String { self == .incident ? "incidents.declare" : "freezes.declare" }
  }

  static func require(_ kind: Kind, _ me: Person, state: GovernanceState, doing what: String)
    throws
  {
    let policy = state.policy
    func may(_ person: Person) -> Bool {
      kind == .incident ? policy.mayDeclareIncident(person) : policy.mayDeclareFreeze(person)
    }
    guard !may(me) else { return }
    let roles = (kind == .incident ? policy.incidentDeclarers : policy.freezeDeclarers)
    let holders = state.people.persons.filter { may($0) }.map(\.id)
    Message.note(
      "Refused: \(me.id) holds no role that may \(what) (\(kind.key): \(roles.joined(separator: ", "))), "
        + "so the record would not count and none was written. "
        + (holders.isEmpty
          ? "Nobody holds one yet; a policy-admin can run: git govern identity add <who> … --role \(roles[0])"
          : "\(holders.joined(separator: " or ")) can."))
    throw Blocked()
  }
}
