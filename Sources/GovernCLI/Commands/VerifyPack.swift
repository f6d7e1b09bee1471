import ArgumentParser
import Foundation
import Ledger

struct VerifyPack: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify-pack",
    abstract: "Re-check an evidence pack offline. Exit 1 when anything in it does not hold.",
    discussion:
      "Checks what its VERIFY.md checks with stock tools: every file against MANIFEST.sha256, the exporter's signature, "
      + "each record's signature by the person it names, the governance history in the bundle (which must prove the pack's "
      + "policy and people and hold every record byte for byte), the artifact hashes and the audit report. It needs no repository."
  )

  @Argument(help: "The pack, as `git govern export` wrote it.")
  var pack: String

  @Flag(help: "The checks as JSON: {\"pack\", \"holds\", \"passed\": […], \"failed\": […]}.")
  var json = false

  /// `--json`'s shape.
  struct Report: Encodable {
    let pack: String
    let holds: Bool
    let passed: [String]
    let failed: [String]
  }

  func run() throws {
    guard let data = FileManager.default.contents(atPath: pack) else {
      throw UsageError("\(pack): cannot read it")
    }
    let entries: [TarArchive.Entry]
    do {
      entries = try TarArchive.read(Array(data))
    } catch {
      throw UsageError("\(pack): is not a tar archive git govern export wrote: \(error)")
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "govern-verify-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let outcome = PackVerifier.verify(entries) { try GovernanceBundle.open($0, in: folder) }
    if json {
      Message.out(
        try Message.json(
          Report(pack: pack, holds: outcome.holds, passed: outcome.passed, failed: outcome.failed)))
      if !outcome.holds { throw Blocked() }
      return
    }
    for line in outcome.passed { Message.out("ok: \(line)") }
    for line in outcome.failed { Message.out("FAILED: \(line)") }
    guard outcome.holds else {
      Message.out(
        "\(pack) does not hold: \(outcome.failed.count) check\(outcome.failed.count == 1 ? "" : "s") failed."
      )
      throw Blocked()
    }
    Message.out("\(pack) holds.")
  }
}
