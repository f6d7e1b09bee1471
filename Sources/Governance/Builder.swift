/// A build system or scanner registered in people.yml's `builders:` whose key signs
/// attestations (in-toto statements in DSSE envelopes). A builder is not a person: its key
/// signs no record, approves nothing and counts for no role.
public struct Builder: Sendable, Equatable {
  public var id: String
  public var name: String
  /// Public keys as `"<type> <base64>"` (comments dropped).
  public var keys: [String]
  /// The predicate types it may attest; empty: any.
  public var predicates: [String]

  public init(id: String, name: String, keys: [String], predicates: [String] = []) {
    self.id = id
    self.name = name
    self.keys = keys.map(Person.normalisedKey)
    self.predicates = predicates
  }

  public func mayAttest(_ predicateType: String) -> Bool {
    predicates.isEmpty || predicates.contains(predicateType)
  }
}
