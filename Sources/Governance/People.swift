/// Everyone in `people.yml`, with look-ups from email and key to the person.
public struct People: Sendable, Equatable {
  public private(set) var persons: [Person]
  /// `.mailmap` lines (`Proper Name <proper@email> <commit@email>`) proven with people.yml,
  /// the only mailmap separation of duties reads: one in the code tree is anyone's to write.
  public var mailmap: [String] = []
  /// `builders:`: the build systems whose keys sign attestations (never records).
  public var builders: [Builder] = []
  private var byEmail: [String: Int] = [:]
  private var byKey: [String: Int] = [:]
  private var byPGPKey: [String: Int] = [:]

  public init(_ persons: [Person], mailmap: [String] = [], builders: [Builder] = []) {
    self.persons = persons.sorted { $0.id < $1.id }
    self.mailmap = mailmap
    self.builders = builders.sorted { $0.id < $1.id }
    for (index, person) in self.persons.enumerated() {
      for email in person.emails { byEmail[EmailAddress.canonical(email)] = index }
      for key in person.keys { byKey[key] = index }
      for key in person.pgpKeys { byPGPKey[key] = index }
    }
  }

  public subscript(id: String) -> Person? { persons.first { $0.id == id } }

  public func person(email: String) -> Person? {
    byEmail[EmailAddress.canonical(email)].map { persons[$0] }
  }

  public func person(key: String) -> Person? {
    (byKey[key] ?? byKey[Person.normalisedKey(key)]).map { persons[$0] }
  }

  /// The person an OpenPGP key's fingerprint is registered to.
  public func person(pgpFingerprint fingerprint: String) -> Person? {
    Person.pgpFingerprint(fingerprint).flatMap { byPGPKey[$0] }.map { persons[$0] }
  }

  public func withRole(_ role: String) -> [Person] { persons.filter { $0.hasRole(role) } }

  /// A copy with `person` added, or replacing the entry with the same id.
  public func upserting(_ person: Person) -> People {
    People(persons.filter { $0.id != person.id } + [person], mailmap: mailmap, builders: builders)
  }

  /// A copy with `builder` added, or replacing the builder with the same id.
  public func upserting(_ builder: Builder) -> People {
    People(persons, mailmap: mailmap, builders: builders.filter { $0.id != builder.id } + [builder])
  }
}

extension People {
  /// A copy in which every key revoked in `later` is revoked here too. A change record is
  /// verified against the people it names (an earlier state, when a key may not yet have been
  /// revoked); overlaying the revocations in force now means a revoked key cannot sign a record
  /// against an earlier people.yml. Using a later, unproven people.yml for this is safe: a
  /// revocation can only take signatures away.
  public func withRevocations(from later: People) -> People {
    var revoked: [String: KeyValidity.Revocation] = [:]
    for person in later.persons {
      for key in person.keys {
        if let revocation = person.validity(of: key).revoked { revoked[key] = revocation }
      }
    }
    guard !revoked.isEmpty else { return self }
    return People(
      persons.map { person in
        var person = person
        for key in person.keys where person.validity(of: key).revoked == nil {
          if let revocation = revoked[key] {
            var validity = person.validity(of: key)
            validity.revoked = revocation
            person.keyValidity[key] = validity
          }
        }
        return person
      }, mailmap: mailmap, builders: builders)
  }
}
