import Foundation
import GitKit
import Governance

/// Retention reviews, their decisions and legal holds, in `retention/<release>/` (`review-…`,
/// `decision-…`, `hold-…`), each verified and its signer checked, read with the release's
/// counted closeout for `git govern retention`. The report reads every release folder: it is a
/// records manager's question about the whole history, never asked by a hook.
public struct RetentionRecords {
  public static let directory = "retention"

  public var releases: [RetentionHealth.Release] = []
  /// Records that do not count (unverified, by someone without the role, self-approved,
  /// misplaced): shown as warnings by the report, refused by the server.
  public var problems: [RecordProblem] = []

  public static func path(release: String, prefix: String, actor: String, created: Date) -> String {
    "\(directory)/\(release)/"
      + LedgerPaths.recordName(kind: prefix, actor: actor, created: created)
  }

  /// The record type a file of a retention folder holds, by its name.
  public static func recordType(fileName name: String) -> (any GovernanceRecord.Type)? {
    switch LedgerPaths.releaseRecordKind(fileName: name) {
    case "review": return RetentionReview.self
    case "decision": return RetentionDecision.self
    case "hold": return LegalHold.self
    default: return nil
    }
  }

  public static func load(_ state: GovernanceState) throws -> RetentionRecords {
    var result = RetentionRecords()
    let snapshot = state.snapshot
    let catalog = ReleaseCatalog(state: state)
    var closeouts: [String: Closeout] = [:]
    for shard in try snapshot.entries(in: "releases") where shard.kind == .tree {
      for folder in try snapshot.entries(in: "releases/\(shard.name)") where folder.kind == .tree {
        let files = try snapshot.repository.treeEntries(folder.oid)
        guard files.contains(where: { $0.name.hasPrefix("closeout-") }) else { continue }
        let records = try catalog.records(of: folder.name, folder: folder.oid)
        closeouts[folder.name] = countedCloseout(records)
      }
    }
    var folders: [String: RetentionHealth.Release] = [:]
    for folder in try snapshot.entries(in: directory) where folder.kind == .tree {
      folders[folder.name] = try load(folder.name, state: state, problems: &result.problems)
    }
    for (release, closeout) in closeouts where folders[release] == nil {
      folders[release] = RetentionHealth.Release(
        id: release, closeout: closeout, reviews: [], decisions: [], holds: [])
    }
    for (release, var entry) in folders {
      entry.closeout = closeouts[release]
      result.releases.append(entry)
    }
    return result
  }

  /// The closeout whose retention counts: the one that ends the release
  /// (`ReleaseLifecycle.finalCloseout`), whenever it was made.
  public static func countedCloseout(_ records: ReleaseRecords) -> Closeout? {
    ReleaseLifecycle.finalCloseout(of: records.closeouts, acceptedAt: records.acceptedAt, at: nil)?
      .record
  }

  /// One release's retention with its counted closeout; nil when there is no such release.
  public static func release(_ id: String, state: GovernanceState) throws
    -> (release: RetentionHealth.Release, problems: [RecordProblem])?
  {
    let catalog = ReleaseCatalog(state: state)
    guard LedgerPaths.isValidReleaseID(id), try catalog.exists(id) else { return nil }
    var problems: [RecordProblem] = []
    var entry = try load(id, state: state, problems: &problems)
    entry.closeout = countedCloseout(try catalog.records(of: id))
    return (entry, problems)
  }

  /// One release's retention folder, each record judged by `problem`.
  public static func load(
    _ release: String, state: GovernanceState, problems: inout [RecordProblem]
  ) throws -> RetentionHealth.Release {
    var entry = RetentionHealth.Release(
      id: release, closeout: nil, reviews: [], decisions: [], holds: [])
    let folder = "\(directory)/\(release)"
    for file in try state.snapshot.entries(in: folder) where file.name.hasSuffix(".json") {
      let path = "\(folder)/\(file.name)"
      func read<R: GovernanceRecord>(_ type: R.Type) -> Signed<R>? {
        switch state.verifier.verify(type, at: path, in: state.snapshot) {
        case .failure(let problem):
          problems.append(problem)
          return nil
        case .success(let signed):
          if let problem = try? problem(signed, folder: release, state: state) {
            problems.append(RecordProblem(path: path, message: problem))
            return nil
          }
          return signed
        }
      }
      switch recordType(fileName: file.name) {
      case is RetentionReview.Type:
        if let review = read(RetentionReview.self) { entry.reviews.append((file.name, review)) }
      case is RetentionDecision.Type:
        if let decision = read(RetentionDecision.self) { entry.decisions.append(decision) }
      case is LegalHold.Type:
        if let hold = read(LegalHold.self) { entry.holds.append((file.name, hold)) }
      default:
        problems.append(RecordProblem(path: path, message: "is not a retention record"))
      }
    }
    return entry
  }

  /// Why a verified retention record in `retention/<folder>/` cannot count; nil when it can.
  /// Checked where it is written, where the server receives it and where the report reads it.
  public static func problem<R: GovernanceRecord>(
    _ signed: Signed<R>, folder: String, state: GovernanceState
  ) throws -> String? {
    let roles = state.policy.retentionRoles
    func lacks(_ needed: [String]) -> Bool { !needed.contains(where: signed.signer.hasRole) }
    if let placed = signed.record as? any RetentionRecord, placed.release != folder {
      return
        "is \(type(of: placed).described) \(placed.release) but sits in \(directory)/\(folder)/"
    }
    switch signed.record {
    case let review as RetentionReview:
      switch review.action {
      case .extend:
        guard review.retain_until.flatMap(Timestamp.parse) != nil else {
          return "asks to extend retention without a valid retain_until"
        }
      case .delete:
        guard review.retain_until == nil else { return "asks to delete, yet names a retain_until" }
      }
      return nil
    case let decision as RetentionDecision:
      guard !lacks(roles.review) else {
        return
          "is a retention decision by \(signed.signer.id), who holds no retention.review role (\(roles.review.joined(separator: ", ")))"
      }
      let reviewPath = "\(directory)/\(folder)/\(decision.review)"
      guard
        case .success(let review) = state.verifier.verify(
          RetentionReview.self, at: reviewPath, in: state.snapshot)
      else { return "answers \(decision.review), which is not a verified review in this folder" }
      guard review.signer.id != signed.signer.id else {
        return
          "is \(signed.signer.id)'s decision on their own retention review; someone else with a retention.review role must decide"
      }
      return nil
    case let hold as LegalHold:
      guard !lacks(roles.hold) else {
        return
          "is a legal hold \(hold.action == .set ? "set" : "lifted") by \(signed.signer.id), who holds no retention.hold role (\(roles.hold.joined(separator: ", ")))"
      }
      switch hold.action {
      case .set:
        guard hold.lifts == nil else { return "sets a hold, yet names holds it lifts" }
      case .lift:
        guard let lifts = hold.lifts, !lifts.isEmpty else {
          return "lifts a hold without naming which (lifts: [<hold file>] or [closeout])"
        }
        for name in lifts where name != LegalHold.closeoutHold {
          let path = "\(directory)/\(folder)/\(name)"
          guard
            case .success(let lifted) = state.verifier.verify(
              LegalHold.self, at: path, in: state.snapshot), lifted.record.action == .set
          else { return "lifts \(name), which is not a verified hold in this folder" }
        }
      }
      return nil
    default:
      return "is not a retention record"
    }
  }
}
