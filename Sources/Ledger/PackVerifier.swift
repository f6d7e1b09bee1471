import Foundation
import GitKit
import Governance
import Signing

/// Re-checks an evidence pack offline, as `VERIFY.md` tells an auditor to with stock tools,
/// but natively: the manifest covers every file and every hash matches; the manifest is
/// signed by the exporter with a key the pack's people.yml registers; each record verifies by
/// the person it names; the bundled governance history proves the policy and people the pack
/// carries and holds each record byte for byte; the artifact hashes are ones the records state.
///
/// Nothing in the pack is trusted for being there: a claim (EXPORT.json, audit.json) is only
/// compared with what the signatures and the history prove.
public struct PackVerifier {
  public struct Outcome: Sendable {
    /// What held, in the order checked.
    public var passed: [String] = []
    /// What did not: each names the file and what differs.
    public var failed: [String] = []
    public var holds: Bool { failed.isEmpty }
  }

  /// Turns the bundle's bytes into a repository holding its `refs/heads/governance` (the
  /// caller fetches it with git, which checks the pack's objects as it indexes them).
  public typealias BundleOpener = ([UInt8]) throws -> Repository

  public static func verify(_ entries: [TarArchive.Entry], openBundle: BundleOpener) -> Outcome {
    var outcome = Outcome()
    let prefix = EvidencePack.folder + "/"
    var files: [String: [UInt8]] = [:]
    for entry in entries {
      guard entry.path.hasPrefix(prefix), !entry.path.split(separator: "/").contains(".."),
        files[String(entry.path.dropFirst(prefix.count))] == nil
      else {
        outcome.failed.append(
          "\(entry.path): is outside \(prefix), climbs with .., or is there twice")
        continue
      }
      files[String(entry.path.dropFirst(prefix.count))] = entry.bytes
    }
    checkManifest(files, &outcome)
    guard let exportBytes = files["EXPORT.json"],
      let export = try? JSONDecoder().decode(EvidencePack.Export.self, from: Data(exportBytes))
    else {
      outcome.failed.append("EXPORT.json: missing or not an evidence-pack description")
      return outcome
    }
    let people: People
    do {
      people = try PeopleFile.parse(
        String(decoding: files["people.yml"] ?? [], as: UTF8.self), file: "people.yml")
    } catch {
      outcome.failed.append("people.yml: \(error)")
      return outcome
    }
    checkManifestSignature(files, export: export, people: people, &outcome)
    let history: Repository
    do {
      history = try openBundle(files["governance.bundle"] ?? [])
    } catch {
      outcome.failed.append("governance.bundle: \(error)")
      return outcome
    }
    if let sealed = checkHistory(files, export: export, history: history, &outcome) {
      checkRecords(files, export: export, people: people, sealed: sealed, &outcome)
    }
    checkArtifacts(files, &outcome)
    if let report = files["audit.json"].flatMap({
      try? JSONDecoder().decode(AuditReport.self, from: Data($0))
    }) {
      if report.governance_tip == export.governance_tip
        && Set(report.releases.map(\.release)) == Set(export.releases)
      {
        outcome.passed.append(
          "audit.json is the report for these \(export.releases.count) release(s) at the sealed tip (status \(report.status))"
        )
      } else {
        outcome.failed.append(
          "audit.json: is a report of governance tip \(report.governance_tip) for releases \(report.releases.map(\.release).joined(separator: ", ")), not of the sealed tip and releases"
        )
      }
    } else {
      outcome.failed.append("audit.json: missing or not an audit report")
    }
    return outcome
  }

  static func checkManifest(_ files: [String: [UInt8]], _ outcome: inout Outcome) {
    guard let manifest = files[EvidencePack.manifest] else {
      outcome.failed.append("\(EvidencePack.manifest): missing")
      return
    }
    var listed: [String: String] = [:]
    for line in String(decoding: manifest, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" ") else {
        outcome.failed.append("\(EvidencePack.manifest): \"\(line)\" is not a sha256sum line")
        continue
      }
      listed[String(parts[1].dropFirst())] = String(parts[0])
    }
    let sealed = Set(files.keys).subtracting([
      EvidencePack.manifest, EvidencePack.manifestSignature,
    ])
    var bad = 0
    for path in sealed.sorted() {
      guard let expected = listed[path] else {
        outcome.failed.append(
          "\(path): is not in \(EvidencePack.manifest); it was added after sealing")
        bad += 1
        continue
      }
      let actual = EvidencePack.sha256(files[path]!)
      if actual != expected {
        outcome.failed.append(
          "\(path): its SHA-256 is \(actual), but \(EvidencePack.manifest) says \(expected); it was changed after sealing"
        )
        bad += 1
      }
    }
    for path in Set(listed.keys).subtracting(sealed).sorted() {
      outcome.failed.append("\(path): is in \(EvidencePack.manifest) but not in the pack")
      bad += 1
    }
    if bad == 0 {
      outcome.passed.append("\(sealed.count) files match \(EvidencePack.manifest)")
    }
  }

  static func checkManifestSignature(
    _ files: [String: [UInt8]], export: EvidencePack.Export, people: People,
    _ outcome: inout Outcome
  ) {
    guard let armored = files[EvidencePack.manifestSignature],
      let signature = try? SSHSignature(armored: String(decoding: armored, as: UTF8.self))
    else {
      outcome.failed.append("\(EvidencePack.manifestSignature): missing or not an SSH signature")
      return
    }
    let signer = people.person(key: signature.publicKey.authorizedKey)
    do {
      try SSHSignatureVerifier.verify(
        signature, message: files[EvidencePack.manifest] ?? [],
        namespace: LedgerPaths.recordNamespace, expectedKey: nil)
    } catch {
      outcome.failed.append("\(EvidencePack.manifestSignature): does not verify: \(error)")
      return
    }
    guard let signer else {
      outcome.failed.append(
        "\(EvidencePack.manifestSignature): made by \(signature.publicKey.fingerprint), a key people.yml does not register"
      )
      return
    }
    guard signer.id == export.exporter else {
      outcome.failed.append(
        "\(EvidencePack.manifestSignature): signed by \(signer.id), but EXPORT.json names \(export.exporter)"
      )
      return
    }
    outcome.passed.append(
      "the manifest is signed by \(signer.id) (\(signature.publicKey.fingerprint))")
  }

  /// The sealed governance commit, when the bundle holds it.
  static func checkHistory(
    _ files: [String: [UInt8]], export: EvidencePack.Export, history: Repository,
    _ outcome: inout Outcome
  ) -> LedgerSnapshot? {
    do {
      guard let tip = try history.referenceTarget("refs/heads/governance").map(history.peelToCommit)
      else {
        outcome.failed.append("governance.bundle: holds no refs/heads/governance")
        return nil
      }
      guard tip.hex == export.governance_tip else {
        outcome.failed.append(
          "governance.bundle: its tip is \(tip.hex), but EXPORT.json seals \(export.governance_tip)"
        )
        return nil
      }
      let snapshot = try LedgerSnapshot(repository: history, commit: tip)
      let state = try GovernanceState.load(snapshot)
      guard state.repoID == export.repository else {
        outcome.failed.append(
          "governance.bundle: its root is \(state.repoID), but EXPORT.json says \(export.repository)"
        )
        return nil
      }
      let policy = try history.blob(state.policyBlob)
      let people = try history.blob(state.peopleBlob)
      if files["policy.yml"] != policy || files["people.yml"] != people {
        outcome.failed.append(
          "policy.yml/people.yml: are not the files the governance history proves in force (policy \(state.policyBlob.hex.prefix(10)), people \(state.peopleBlob.hex.prefix(10)))"
        )
      } else {
        outcome.passed.append(
          "the governance history (tip \(tip.hex.prefix(10))) proves the pack's policy.yml and people.yml in force"
        )
      }
      return snapshot
    } catch {
      outcome.failed.append("governance.bundle: its history does not prove a state: \(error)")
      return nil
    }
  }

  static func checkRecords(
    _ files: [String: [UInt8]], export: EvidencePack.Export, people: People,
    sealed snapshot: LedgerSnapshot, _ outcome: inout Outcome
  ) {
    let verifier = RecordVerifier(
      people: people, repoID: export.repository, repository: snapshot.repository)
    var good = 0
    let records = files.keys.filter {
      $0.hasPrefix("records/") && !$0.hasSuffix(LedgerPaths.signatureSuffix)
    }
    for path in records.sorted() {
      let branchPath = String(path.dropFirst("records/".count))
      guard let type = LedgerPaths.recordType(forPath: branchPath) else {
        outcome.failed.append("\(path): is not a record git-govern knows")
        continue
      }
      guard let signature = files[path + LedgerPaths.signatureSuffix] else {
        outcome.failed.append("\(path): has no signature beside it")
        continue
      }
      if let problem = verifier.problem(type, bytes: files[path]!, signature: signature, path: path)
      {
        outcome.failed.append("\(path) \(problem)")
        continue
      }
      guard (try? snapshot.file(at: branchPath)) == files[path] else {
        outcome.failed.append(
          "\(path): is not the file at \(branchPath) on the sealed governance branch")
        continue
      }
      good += 1
    }
    if good == records.count {
      outcome.passed.append(
        "\(good) records verify by the people they name and are the governance branch's own")
    }
  }

  static func checkArtifacts(_ files: [String: [UInt8]], _ outcome: inout Outcome) {
    let stated = Set(
      files.filter { $0.key.hasPrefix("records/") && $0.key.hasSuffix(".json") }.values
        .flatMap { Self.sha256Values(in: $0) })
    var good = 0
    let lines = String(decoding: files["ARTIFACTS.sha256"] ?? [], as: UTF8.self).split(
      separator: "\n")
    for line in lines {
      let hash = String(line.prefix(64))
      if stated.contains(hash) {
        good += 1
      } else {
        outcome.failed.append("ARTIFACTS.sha256: \(line) is a hash no record in the pack states")
      }
    }
    if good == lines.count {
      outcome.passed.append("\(good) artifact hashes are the records' own")
    }
  }

  /// Every `"sha256"` value anywhere in a record (an evidence file, a closeout's artifacts).
  static func sha256Values(in record: [UInt8]) -> [String] {
    func walk(_ value: Any) -> [String] {
      if let object = value as? [String: Any] {
        return object.flatMap { key, value in
          key == "sha256" ? [value as? String].compactMap { $0 } : walk(value)
        }
      }
      if let array = value as? [Any] { return array.flatMap(walk) }
      return []
    }
    return (try? JSONSerialization.jsonObject(with: Data(record))).map(walk) ?? []
  }
}

extension RecordVerifier {
  /// Why a record and its signature do not stand, or nil when they do.
  func problem(
    _ type: any GovernanceRecord.Type, bytes: [UInt8], signature: [UInt8], path: String
  ) -> String? {
    func check<R: GovernanceRecord>(_ type: R.Type) -> String? {
      switch verify(type, bytes: bytes, armoredSignature: signature, path: path) {
      case .success: return nil
      case .failure(let problem): return problem.message
      }
    }
    return check(type)
  }
}
