import Foundation
import GitKit
import Governance

/// The audit's first pass, spread over the cores with one repository handle per worker:
/// every record of the governance tree is sealed (its signature checked, the record decoded,
/// see `RecordSeal`), and every commit the protected history holds is read once. The passes
/// that follow judge records and releases from memory, in order, on one thread.
struct AuditPreparation {
  struct RecordJob: Sendable {
    var path: String
    var record: OID
    var signature: OID
    var type: any GovernanceRecord.Type
  }

  /// The records under `tree`, with their signatures; files that are not records are left to
  /// the checks that report them.
  static func recordJobs(_ repository: Repository, tree: OID) throws -> (
    jobs: [RecordJob], recordCount: Int
  ) {
    let files = try repository.changes(from: nil, to: tree)
    var signatures: [String: OID] = [:]
    for file in files where file.path.hasSuffix(LedgerPaths.signatureSuffix) {
      signatures[file.path] = file.new?.oid
    }
    var jobs: [RecordJob] = []
    var recordCount = 0
    for file in files where file.path.hasSuffix(".json") {
      recordCount += 1
      guard let record = file.new?.oid, let type = LedgerPaths.recordType(forPath: file.path),
        let signature = signatures[file.path + LedgerPaths.signatureSuffix]
      else { continue }
      jobs.append(RecordJob(path: file.path, record: record, signature: signature, type: type))
    }
    return (jobs, recordCount)
  }

  /// Seals `jobs` into `RecordSeals.shared` and reads the commits reachable from `tips`.
  static func run(_ handles: WorkerHandles, jobs: [RecordJob], commitTips: [OID]) throws
    -> CommitCatalog
  {
    let chunk = 512
    var work: [@Sendable (Repository) throws -> CommitCatalog?] = [
      { repository in try CommitCatalog.read(repository, from: commitTips) }
    ]
    for start in stride(from: 0, to: jobs.count, by: chunk) {
      let slice = jobs[start..<min(jobs.count, start + chunk)]
      work.append { repository in
        var sealed: [(RecordSeals.Key, RecordSeal)] = []
        for job in slice {
          if let seal = try seal(job, in: repository) {
            sealed.append(
              (RecordSeals.Key(record: job.record, signature: job.signature, path: job.path), seal))
          }
        }
        RecordSeals.shared.store(sealed)
        return nil
      }
    }
    return try ParallelJobs.run(handles, jobs: work)[0] ?? CommitCatalog()
  }

  /// Nil for a file over its size limit: the sequential pass reports it.
  private static func seal(_ job: RecordJob, in repository: Repository) throws -> RecordSeal? {
    // Sizes from the blobs read: asking libgit2 for an object's size first costs as much as
    // reading it when it is stored as a delta, as records are in a pack.
    let bytes = try repository.blob(job.record)
    let armored = try repository.blob(job.signature)
    guard bytes.count <= LedgerLimits.recordBytes, armored.count <= LedgerLimits.signatureBytes
    else { return nil }
    func make<R: GovernanceRecord>(_ type: R.Type) -> RecordSeal {
      RecordSeal.make(type, bytes: bytes, armoredSignature: armored, path: job.path)
    }
    return make(job.type)
  }
}

/// Parents and people of commits, read once and kept in memory.
struct CommitCatalog: Sendable {
  private(set) var commits: [OID: CommitIdentities] = [:]

  static func read(_ repository: Repository, from tips: [OID]) throws -> CommitCatalog {
    var catalog = CommitCatalog()
    guard !tips.isEmpty else { return catalog }
    let walk = try repository.walk(from: tips, order: .none)
    while let oid = try walk.nextCommit() {
      catalog.commits[oid] = try repository.identities(ofCommit: oid)
    }
    return catalog
  }

  /// From memory, else read (and kept).
  mutating func identities(_ oid: OID, in repository: Repository) throws -> CommitIdentities {
    if let known = commits[oid] { return known }
    let read = try repository.identities(ofCommit: oid)
    commits[oid] = read
    return read
  }
}
