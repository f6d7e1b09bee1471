import Foundation
import GitKit
import Governance

/// Parents and people of commits, read once and kept in memory, each at a position: the
/// passes that follow walk parents and look commits up by position, in arrays, instead of
/// hashing ids into tables of 100,000.
struct CommitCatalog: Sendable {
  /// A commit without the text of its people: their numbers, equal for equal names and
  /// addresses, so that a range's contributors are told apart, and entries copied, without
  /// touching strings that both workers share.
  struct Entry: Sendable {
    var parents: [Int32]
    var author: Int
    var committer: Int
    var authorTime: Date
    /// Why git and libgit2 could read its people differently (`IdentityLine`).
    var identityProblems: [String]
    /// The people its `Co-authored-by:` trailers name.
    var coAuthors: [Int] = []
  }

  /// The commit at each position; its entry once read (nil: not read, or not readable).
  private(set) var oids: [OID] = []
  private var entries: [Entry?] = []
  /// Positions whose commit could not be read (beyond a shallow clone's edge).
  private var unreadable: Set<Int32> = []
  private var positions: [OID: Int32] = [:]
  /// Each name and address read, by its number.
  private(set) var identities: [(name: String, email: String)] = []
  private var numbers: [Identity: Int] = [:]

  private struct Identity: Hashable {
    var name: String
    var email: String
  }

  var count: Int { oids.count }

  static func read(_ repository: Repository, from tips: [OID]) throws -> CommitCatalog {
    var catalog = CommitCatalog()
    var pending = tips.map { catalog.place($0) }
    try catalog.read(Int.max, pending: &pending, in: repository)
    return catalog
  }

  /// Reads up to `count` of the commits `pending` holds (positions, last first) and the
  /// parents they reach, each commit once, for its parents and people together (a revision
  /// walk would read every commit a second time). What is left stays in `pending`.
  mutating func read(_ count: Int, pending: inout [Int32], in repository: Repository) throws {
    var read = 0
    while read < count, let position = pending.popLast() {
      guard entries[Int(position)] == nil, !unreadable.contains(position) else { continue }
      let oid = oids[Int(position)]
      let commit: CommitIdentities
      do {
        commit = try repository.identities(ofCommit: oid)
      } catch  where !repository.objectExists(oid) {
        // Beyond a shallow clone's edge: the passes that need it report it.
        unreadable.insert(position)
        continue
      }
      read += 1
      pending += keep(commit, at: position).parents
    }
  }

  /// The position of `oid`, given one (not yet read) if it has none.
  mutating func place(_ oid: OID) -> Int32 {
    if let known = positions[oid] { return known }
    let position = Int32(oids.count)
    oids.append(oid)
    entries.append(nil)
    positions[oid] = position
    return position
  }

  private mutating func keep(_ commit: CommitIdentities, at position: Int32) -> Entry {
    func number(_ signature: Signature) -> Int {
      number(name: signature.name, email: signature.email)
    }
    func number(name: String, email: String) -> Int {
      let identity = Identity(name: name, email: email)
      if let known = numbers[identity] { return known }
      numbers[identity] = identities.count
      identities.append((name, email))
      return identities.count - 1
    }
    let entry = Entry(
      parents: commit.parents.map { place($0) }, author: number(commit.author),
      committer: number(commit.committer), authorTime: commit.author.time,
      identityProblems: commit.identityProblems,
      coAuthors: commit.coAuthors.map { number(name: $0.name, email: $0.email) })
    entries[Int(position)] = entry
    return entry
  }

  /// Whether `oid` is a commit already read: then it exists and is a commit, without asking
  /// the object database.
  func holds(_ oid: OID) -> Bool { positions[oid].map { entries[Int($0)] != nil } ?? false }

  func oid(at position: Int32) -> OID { oids[Int(position)] }

  /// From memory, else read (and kept); throws when the commit cannot be read.
  mutating func entry(at position: Int32, in repository: Repository) throws -> Entry {
    if let known = entries[Int(position)] { return known }
    return keep(try repository.identities(ofCommit: oids[Int(position)]), at: position)
  }

  /// The parents' ids, from memory, else read (and kept).
  mutating func parents(of oid: OID, in repository: Repository) throws -> [OID] {
    try entry(at: place(oid), in: repository).parents.map { oids[Int($0)] }
  }
}
