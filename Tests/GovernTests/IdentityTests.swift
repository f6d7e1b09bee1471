import Foundation
import Testing

@Suite("git govern identity")
struct IdentityTests {
  @Test("identity add registers a person with several emails and keys; list and export show them")
  func addListExport() throws {
    let world = try World()
    let alice = try world.persona("alice")
    let bob = try world.persona("bob")
    let bobSecondKey = try world.persona("bob-laptop", email: "bob@example.com")
    try world.repository(admin: alice)
    try world.expectSuccess(
      world.govern(
        [
          "identity", "add", "bob", "--email", bob.email, "--email", "robert@example.org", "--key",
          bob.publicKey,
          "--key", bobSecondKey.publicKey, "--role", "developer", "--role", "security", "--team",
          "payments",
        ], as: alice))

    let list = try world.govern(["identity", "list", "--json"])
    try world.expectSuccess(list)
    let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [String: Any]
    let people = json["people"] as! [[String: Any]]
    let entry = try #require(people.first { $0["principal"] as? String == "bob" })
    #expect(entry["emails"] as? [String] == [bob.email, "robert@example.org"])
    #expect((entry["keys"] as? [String])?.count == 2)
    #expect(entry["roles"] as? [String] == ["developer", "security"])
    #expect(entry["team"] as? String == "payments")

    let exported = world.root.appendingPathComponent("allowed_signers")
    try world.expectSuccess(
      world.govern(["identity", "export", "--allowed-signers", exported.path]))
    let lines = try String(contentsOf: exported, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0.contains("namespaces=\"git-govern,git\"") })
  }

  @Test("someone who is not a policy-admin cannot change people.yml")
  func nonAdminCannotAddPeople() throws {
    let world = try World()
    let alice = try world.persona("alice")
    let bob = try world.persona("bob")
    let mallory = try world.persona("mallory")
    try world.repository(admin: alice)
    try world.register(bob, roles: ["developer"], by: alice)
    let before = try world.governanceTip()
    let attempt = try world.govern(
      [
        "identity", "add", "mallory", "--email", mallory.email, "--key", mallory.publicKey,
        "--role", "policy-admin",
      ], as: bob)
    #expect(attempt.status == 2)
    #expect(attempt.stderr.contains("only a policy-admin may change people.yml"))
    #expect(try world.governanceTip() == before)
  }

  @Test("a key or email already registered to someone else is refused")
  func duplicateKeyRefused() throws {
    let world = try World()
    let alice = try world.persona("alice")
    let bob = try world.persona("bob")
    try world.repository(admin: alice)
    try world.register(bob, roles: ["developer"], by: alice)
    let attempt = try world.govern(
      ["identity", "add", "carol", "--email", "carol@example.com", "--key", bob.publicKey],
      as: alice)
    #expect(attempt.status == 2)
    #expect(
      attempt.stderr.contains("also registered for bob")
        || attempt.stderr.contains("one key, one person"))
  }

  @Test("a bad key argument names the argument and what would be right")
  func badKeyArgument() throws {
    let world = try World()
    let alice = try world.persona("alice")
    try world.repository(admin: alice)
    let attempt = try world.govern(
      ["identity", "add", "carol", "--email", "carol@example.com", "--key", "not-a-key"], as: alice)
    #expect(attempt.status == 2)
    #expect(attempt.stderr.contains("--key not-a-key"))
    let badPrincipal = try world.govern(
      ["identity", "add", "Carol!", "--email", "c@example.com", "--key", "x"], as: alice)
    #expect(badPrincipal.status == 2)
    #expect(badPrincipal.stderr.contains("<principal>"))
  }
}
