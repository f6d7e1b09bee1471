import Foundation
import GitKit
import Governance

/// The audit's first pass, a pipeline a newcomer can follow:
///
///     reader ── record and signature bytes, in batches ──▶ BoundedQueue ──▶ verifiers
///
/// The reader is the one thread that reads objects here, on the caller's repository handle: it
/// lists the governance tree and reads each record's blob and the signature beside it; while
/// the queue is full (the verifiers are busy) it reads the protected history's commits instead
/// of waiting (`HistoryReading`). Verifiers need no repository: they seal the bytes
/// (`RecordSeal.make`, the one place a record's signature is verified) and keep each seal by
/// its key. The passes that follow (`GovernanceAudit.run`) judge records and releases from
/// memory.
struct AuditPreparation {
  /// One record's bytes and its signature's, as the reader hands them to a verifier.
  struct RecordBytes: Sendable {
    var key: RecordSeals.Key
    var path: String
    var type: any GovernanceRecord.Type
    var bytes: [UInt8]
    var armored: [UInt8]
  }

  /// How many verifiers seal side by side: one per core.
  var verifiers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
  /// Records travel in batches (one lock round per batch, not per record); the queue holds a
  /// few of them, enough that no verifier waits while the reader reads a large folder.
  var batchSize = 64
  var queueCapacity = 16
  /// Signatures seen to verify in earlier audits (`VerificationCache`); nil verifies all.
  var cache: VerificationCache?

  /// Seals every record under `tree` and reads all of `history` on the way. Returns the seals
  /// by key and how many records (`*.json`) the tree holds outside `targets/`.
  func run(_ repository: Repository, tree: OID, history: inout HistoryReading) throws -> (
    seals: [RecordSeals.Key: RecordSeal], recordCount: Int
  ) {
    let listing = try Self.list(tree, in: repository)
    var recordCount = 0
    let batchSize = self.batchSize
    let cache = self.cache
    let seals: [RecordSeals.Key: RecordSeal] = try Pipeline.run(
      workers: verifiers, capacity: queueCapacity,
      // A release folder holds about six records (request, approvals, evidence, closeout).
      expected: listing.releaseFolders.count * 8 + 1024,
      // The signing keys' text forms and the records' long values, kept once by each verifier.
      context: { RecordSeal.SharedTexts() },
      produce: { hand in
        var batch: [RecordBytes] = []
        batch.reserveCapacity(batchSize)
        recordCount = try Self.readRecords(listing, in: repository) { record in
          batch.append(record)
          if batch.count == batchSize {
            try hand(batch)
            batch.removeAll(keepingCapacity: true)
          }
        }
        if !batch.isEmpty { try hand(batch) }
      },
      whileFull: { try history.readSome(repository) },
      work: { (batch: [RecordBytes], texts: inout RecordSeal.SharedTexts) in
        batch.map { record -> (RecordSeals.Key, RecordSeal) in
          (
            record.key,
            RecordSeal.make(
              record.type, bytes: record.bytes, armoredSignature: record.armored,
              path: record.path, texts: &texts, blobs: record.key, cache: cache)
          )
        }
      })
    // What the verifiers left for the reader to read, read now.
    while try history.readSome(repository) {}
    return (seals, recordCount)
  }

  /// Where the records of a governance tree are: its release folders, the files at its top,
  /// and its other folders (changes, freezes, incidents), read whole; `targets/` is an index
  /// of release ids, never records.
  struct Listing {
    var releaseFolders: [(path: String, tree: OID)] = []
    var topLevel: [TreeChange] = []
    var others: [TreeEntry] = []
  }

  static func list(_ tree: OID, in repository: Repository) throws -> Listing {
    var listing = Listing()
    for entry in try repository.treeEntries(tree) {
      switch (entry.name, entry.fileMode == TreeEntry.modeTree) {
      case ("releases", true):
        for shard in try repository.treeEntries(entry.oid)
        where shard.fileMode == TreeEntry.modeTree {
          for folder in try repository.treeEntries(shard.oid)
          where folder.fileMode == TreeEntry.modeTree {
            listing.releaseFolders.append(("releases/\(shard.name)/\(folder.name)", folder.oid))
          }
        }
      case ("targets", true): continue
      case (_, true): listing.others.append(entry)
      default:
        listing.topLevel.append(TreeChange(path: entry.name, kind: .added, old: nil, new: entry))
      }
    }
    return listing
  }

  /// Reads every record of `listing` that can be sealed and hands it on; returns how many
  /// records (`*.json`) there were.
  static func readRecords(
    _ listing: Listing, in repository: Repository, hand: (RecordBytes) throws -> Void
  ) throws -> Int {
    var records = 0
    for folder in listing.releaseFolders {
      records += try readFolder(
        folder.path, entries: repository.treeEntries(folder.tree), in: repository, hand: hand)
    }
    var files = listing.topLevel
    for tree in listing.others {
      files += try repository.changes(from: nil, to: tree.oid, prefix: tree.name)
    }
    return try records
      + readFiles(
        files.compactMap { file in file.new.map { (file.path, $0) } }, in: repository, hand: hand)
  }

  /// The records among `files` that have a signature beside them; returns how many records
  /// (`*.json`) there were.
  private static func readFiles(
    _ files: [(path: String, entry: TreeEntry)], in repository: Repository,
    hand: (RecordBytes) throws -> Void
  ) throws -> Int {
    var signatures: [String: OID] = [:]
    for file in files where file.path.hasSuffix(LedgerPaths.signatureSuffix) {
      signatures[file.path] = file.entry.oid
    }
    var records = 0
    for file in files where file.path.hasSuffix(".json") {
      records += 1
      try readRecord(
        at: file.path, file.entry, signature: signatures[file.path + LedgerPaths.signatureSuffix],
        in: repository, hand: hand)
    }
    return records
  }

  /// `readFiles` for the entries of one folder, found by name among them (a release folder
  /// holds a dozen files): no path is made for a signature file, no table of them.
  private static func readFolder(
    _ folder: String, entries: [TreeEntry], in repository: Repository,
    hand: (RecordBytes) throws -> Void
  ) throws -> Int {
    var records = 0
    for entry in entries where entry.name.hasSuffix(".json") {
      records += 1
      try readRecord(
        at: "\(folder)/\(entry.name)", entry,
        signature: entries.first { isSignature($0.name, of: entry.name) }?.oid, in: repository,
        hand: hand)
    }
    return records
  }

  /// Hands on the `*.json` file at `path` when it is a plain file of a kind kept there, has a
  /// signature beside it, and both are within their size limits; any other is judged (and
  /// reported) by the passes that follow, which read it again.
  private static func readRecord(
    at path: String, _ entry: TreeEntry, signature: OID?, in repository: Repository,
    hand: (RecordBytes) throws -> Void
  ) throws {
    guard entry.fileMode == TreeEntry.modeBlob, let type = LedgerPaths.recordType(forPath: path),
      let signature
    else { return }
    // Sizes from the blobs read: asking libgit2 for an object's size first costs as much as
    // reading it when it is stored as a delta, as records are in a pack.
    let bytes = try repository.blob(entry.oid)
    let armored = try repository.blob(signature)
    guard bytes.count <= LedgerLimits.recordBytes, armored.count <= LedgerLimits.signatureBytes
    else { return }
    try hand(
      RecordBytes(
        key: RecordSeals.Key(record: entry.oid, signature: signature), path: path, type: type,
        bytes: bytes, armored: armored))
  }

  /// Whether `name` is `record` followed by `.sig`, compared without making that string.
  private static func isSignature(_ name: String, of record: String) -> Bool {
    let suffix = LedgerPaths.signatureSuffix.utf8
    return name.utf8.count == record.utf8.count + suffix.count
      && name.utf8.starts(with: record.utf8) && name.utf8.reversed().starts(with: suffix.reversed())
  }
}

/// The protected history read a few hundred commits at a time, so that the audit's reader can
/// read it whenever the verifiers are busy: first the refs (tags peeled to their commits,
/// what names no commit left out), then every commit they reach (`CommitCatalog`).
struct HistoryReading {
  let ledgerRef: String
  /// Every ref as listed, once `readSome` has run.
  private(set) var refs: [(name: String, target: OID)]?
  private(set) var catalog = CommitCatalog()
  private var pending: [Int32] = []
  /// How many commits one `readSome` reads: a few milliseconds' work.
  var step = 256

  init(ledgerRef: String) { self.ledgerRef = ledgerRef }

  /// Reads a little more; false once everything is read.
  mutating func readSome(_ repository: Repository) throws -> Bool {
    guard refs != nil else {
      let listed = try repository.references(glob: nil)
      refs = listed
      // Where the protected history is: every branch, tag and remote-tracking ref but the
      // governance branch, notes and review refs (which release nothing).
      let tips = listed.compactMap { name, target in
        name != ledgerRef && !name.hasPrefix("refs/notes/") && !ReviewRef.isInNamespace(name)
          ? target : nil
      }.compactMap { tip in
        (try? repository.kind(of: tip)) == .commit ? tip : try? repository.peelToCommit(tip)
      }
      pending = tips.map { catalog.place($0) }
      return true
    }
    guard !pending.isEmpty else { return false }
    try catalog.read(step, pending: &pending, in: repository)
    return !pending.isEmpty
  }
}
