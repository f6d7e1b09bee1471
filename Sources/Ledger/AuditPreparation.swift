import Foundation
import GitKit
import Governance

/// The audit's first pass, spread over the cores with one repository handle per worker:
/// every record of the governance tree is sealed (its signature checked, the record decoded,
/// see `RecordSeal`), and every commit the protected history holds is read once. The passes
/// that follow (`GovernanceAudit.run`) judge records and releases from memory.
struct AuditPreparation {
  struct RecordJob: Sendable {
    var path: String
    var record: OID
    var signature: OID
    var type: any GovernanceRecord.Type
  }

  /// Seals every record under `tree` into `RecordSeals.shared` and reads the commits
  /// reachable from what `commitTips` gives, on the worker that reads them (refs' targets:
  /// tags are peeled, what is no commit skipped).
  /// Release folders are read by the workers themselves, in chunks; the rest of the tree
  /// (changes, freezes, incidents) is one job. Returns the commits read and how many records
  /// (`*.json`) the tree holds outside `targets/`.
  static func run(
    _ handles: WorkerHandles, tree: OID, cache: VerificationCache? = nil,
    commitTips: @escaping @Sendable (Repository) throws -> [OID]
  ) throws -> (
    commits: CommitCatalog, recordCount: Int
  ) {
    let repository = handles.repositories[0]
    var releaseFolders: [TreeEntry] = []
    var otherTrees: [TreeEntry] = []
    var topLevelRecords: [TreeEntry] = []
    for entry in try repository.treeEntries(tree) {
      switch (entry.name, entry.fileMode == TreeEntry.modeTree) {
      case ("releases", true):
        for shard in try repository.treeEntries(entry.oid)
        where shard.fileMode == TreeEntry.modeTree {
          releaseFolders += try repository.treeEntries(shard.oid).filter {
            $0.fileMode == TreeEntry.modeTree
          }.map {
            TreeEntry(
              name: "\(shard.name)/\($0.name)", oid: $0.oid, kind: $0.kind, fileMode: $0.fileMode)
          }
        }
      case ("targets", true): continue  // an index of release ids, never records
      case (_, true): otherTrees.append(entry)
      default: topLevelRecords.append(entry)
      }
    }
    // A release folder holds about six records (request, approvals, evidence, closeout).
    RecordSeals.shared.reserve(releaseFolders.count * 8 + 1024)
    let topLevel = topLevelRecords
    let others = otherTrees
    var work: [@Sendable (Repository) throws -> (CommitCatalog?, Int)] = [
      { repository in
        let commits = try commitTips(repository).compactMap { tip in
          (try? repository.kind(of: tip)) == .commit ? tip : try? repository.peelToCommit(tip)
        }
        return (try CommitCatalog.read(repository, from: commits), 0)
      },
      { repository in
        var files = topLevel.map { TreeChange(path: $0.name, kind: .added, old: nil, new: $0) }
        for tree in others {
          files += try repository.changes(from: nil, to: tree.oid, prefix: tree.name)
        }
        return (
          nil,
          try sealFiles(
            files.compactMap { file in file.new.map { (file.path, $0) } }, cache: cache,
            in: repository)
        )
      },
    ]
    let chunk = 100
    for start in stride(from: 0, to: releaseFolders.count, by: chunk) {
      let folders = releaseFolders[start..<min(releaseFolders.count, start + chunk)]
      work.append { repository in
        var records = 0
        var sealed: [(RecordSeals.Key, RecordSeal)] = []
        for folder in folders {
          records += try sealFolder(
            "releases/\(folder.name)", entries: repository.treeEntries(folder.oid), into: &sealed,
            cache: cache, in: repository)
        }
        RecordSeals.shared.store(sealed)
        return (nil, records)
      }
    }
    let results = try ParallelJobs.run(handles, jobs: work)
    return (results[0].0 ?? CommitCatalog(), results.reduce(0) { $0 + $1.1 })
  }

  /// Seals the records among `files` that have a signature beside them; returns how many
  /// records (`*.json`) there were.
  private static func sealFiles(
    _ files: [(path: String, entry: TreeEntry)], cache: VerificationCache?,
    in repository: Repository
  )
    throws -> Int
  {
    var signatures: [String: OID] = [:]
    for file in files where file.path.hasSuffix(LedgerPaths.signatureSuffix) {
      signatures[file.path] = file.entry.oid
    }
    var sealed: [(RecordSeals.Key, RecordSeal)] = []
    var records = 0
    for file in files where file.path.hasSuffix(".json") {
      records += 1
      try sealRecord(
        at: file.path, file.entry, signature: signatures[file.path + LedgerPaths.signatureSuffix],
        into: &sealed, cache: cache, in: repository)
    }
    RecordSeals.shared.store(sealed)
    return records
  }

  /// `sealFiles` for the entries of one folder, found by name among them (a release folder
  /// holds a dozen files): no path is made for a signature file, no table of them.
  private static func sealFolder(
    _ folder: String, entries: [TreeEntry], into sealed: inout [(RecordSeals.Key, RecordSeal)],
    cache: VerificationCache?, in repository: Repository
  ) throws -> Int {
    var records = 0
    for entry in entries where entry.name.hasSuffix(".json") {
      records += 1
      try sealRecord(
        at: "\(folder)/\(entry.name)", entry,
        signature: entries.first { isSignature($0.name, of: entry.name) }?.oid, into: &sealed,
        cache: cache, in: repository)
    }
    return records
  }

  /// Seals the `*.json` file at `path` when it is a plain file of a kind kept there and has a
  /// signature beside it; any other is judged (and reported) by the passes that follow.
  private static func sealRecord(
    at path: String, _ entry: TreeEntry, signature: OID?,
    into sealed: inout [(RecordSeals.Key, RecordSeal)], cache: VerificationCache?,
    in repository: Repository
  ) throws {
    guard entry.fileMode == TreeEntry.modeBlob, let type = LedgerPaths.recordType(forPath: path),
      let signature
    else { return }
    let job = RecordJob(path: path, record: entry.oid, signature: signature, type: type)
    if let seal = try seal(job, cache: cache, in: repository) {
      sealed.append((RecordSeals.Key(record: job.record, signature: job.signature), seal))
    }
  }

  /// Whether `name` is `record` followed by `.sig`, compared without making that string.
  private static func isSignature(_ name: String, of record: String) -> Bool {
    let suffix = LedgerPaths.signatureSuffix.utf8
    return name.utf8.count == record.utf8.count + suffix.count
      && name.utf8.starts(with: record.utf8) && name.utf8.reversed().starts(with: suffix.reversed())
  }

  /// Nil for a file over its size limit: the pass that judges it reads it again and reports it.
  private static func seal(_ job: RecordJob, cache: VerificationCache?, in repository: Repository)
    throws -> RecordSeal?
  {
    // Sizes from the blobs read: asking libgit2 for an object's size first costs as much as
    // reading it when it is stored as a delta, as records are in a pack.
    let bytes = try repository.blob(job.record)
    let armored = try repository.blob(job.signature)
    guard bytes.count <= LedgerLimits.recordBytes, armored.count <= LedgerLimits.signatureBytes
    else { return nil }
    func make<R: GovernanceRecord>(_ type: R.Type) -> RecordSeal {
      RecordSeal.make(
        type, bytes: bytes, armoredSignature: armored, path: job.path,
        blobs: RecordSeals.Key(record: job.record, signature: job.signature), cache: cache)
    }
    return make(job.type)
  }
}

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
    // Each commit is read once, for its parents and people together (a revision walk would
    // read every commit a second time).
    while let position = pending.popLast() {
      guard catalog.entries[Int(position)] == nil, !catalog.unreadable.contains(position) else {
        continue
      }
      let oid = catalog.oids[Int(position)]
      let commit: CommitIdentities
      do {
        commit = try repository.identities(ofCommit: oid)
      } catch  where !repository.objectExists(oid) {
        // Beyond a shallow clone's edge: the passes that need it report it.
        catalog.unreadable.insert(position)
        continue
      }
      pending += catalog.keep(commit, at: position).parents
    }
    return catalog
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
