import Governance

extension LedgerPaths {
  /// The kind word of a file name in a release's folder: `approval` for `approval-…json`, the
  /// part before the first dash (leading dashes skipped), found without splitting the name (the
  /// audit asks 60,000 times).
  public static func releaseRecordKind(fileName name: String) -> Substring {
    name.drop { $0 == "-" }.prefix { $0 != "-" }
  }

  /// The kind of record a file in a release's folder holds, by its name (`approval-…json`).
  public static func releaseRecordType(fileName name: String) -> (any GovernanceRecord.Type)? {
    if name == "request.json" { return ReleaseRequest.self }
    switch releaseRecordKind(fileName: name) {
    case "approval": return Approval.self
    case "rejection": return Rejection.self
    case "withdrawal": return Withdrawal.self
    case "exception": return ReleaseException.self
    case "evidence": return Evidence.self
    case "review": return ReleaseReview.self
    case "receipt": return PushReceipt.self
    case "acceptance": return AcceptanceReceipt.self
    case "closeout": return Closeout.self
    default: return nil
    }
  }

  /// The kind of record at a path of the governance tree; nil for files that are not records
  /// or not where that kind is kept.
  public static func recordType(forPath path: String) -> (any GovernanceRecord.Type)? {
    guard path.hasSuffix(".json") else { return nil }
    // Nearly every record is `releases/<ab>/<id>/<file>`: known without splitting the path.
    if path.hasPrefix("releases/"), let name = plainFourthPart(path) {
      return releaseRecordType(fileName: name)
    }
    let parts = parts(of: path)
    switch parts.first {
    case "releases" where parts.count == 4: return releaseRecordType(fileName: String(parts[3]))
    case "changes" where parts.count == 4: return ChangeProposal.self
    case "freezes" where parts.count == 3:
      return CalendarRecords.isCancellation(String(parts[2]))
        ? FreezeCancellation.self : FreezeRecord.self
    case "incidents" where parts.count == 4 && parts[1] == "records": return IncidentRecord.self
    case "delegations" where parts.count == 3: return Delegation.self
    case "recertifications" where parts.count == 3: return Recertification.self
    case "controls" where parts.count == 2: return ControlsRecord.self
    case "retention" where parts.count == 3:
      return RetentionRecords.recordType(fileName: String(parts[2]))
    case _ where path == repository: return RepositoryRecord.self
    default: return nil
    }
  }

  /// `path.split(separator: "/")`, by bytes when the path is ASCII (in ASCII no character
  /// joins a slash, so the parts are the same), by characters otherwise.
  public static func parts(of path: String) -> [Substring] {
    guard path.utf8.allSatisfy({ $0 < 0x80 }) else { return path.split(separator: "/") }
    return path.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
  }

  /// The last of exactly four non-empty parts (`a/b/c/d`), else nil.
  private static func plainFourthPart(_ path: String) -> String? {
    var slashes = 0
    var previous = UInt8(ascii: "/")
    var start = 0
    for (offset, byte) in path.utf8.enumerated() {
      if byte == UInt8(ascii: "/") {
        guard previous != UInt8(ascii: "/") else { return nil }
        slashes += 1
        start = offset + 1
      }
      previous = byte
    }
    guard slashes == 3, previous != UInt8(ascii: "/") else { return nil }
    return String(path.utf8.dropFirst(start))
  }
}
