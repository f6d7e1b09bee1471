import Foundation
import Governance
import Ledger
import Signing

/// The parsers a hostile input reaches first, one fuzz target each. `make fuzz` builds them
/// with libFuzzer; the tests replay the seed corpus and every regression through the same code.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// SSHSIG armour and wire format, then native verification.
  case sshsig
  /// Canonical JSON records of every kind.
  case record
  /// policy.yml and people.yml, and the policy lint.
  case policy
  /// git's hook input lines.
  case hook
}

public enum FuzzHarness {
  /// A fixed message and key for verification: inputs that parse are verified against them.
  static let message = Array("git-govern fuzz message\n".utf8)

  public static func run(_ target: FuzzTarget, _ bytes: [UInt8]) {
    switch target {
    case .sshsig:
      if let text = String(validating: bytes, as: UTF8.self),
        let signature = try? SSHSignature(armored: text)
      {
        _ = SSHSignatureVerifier.isValid(
          signature, message: message, namespace: "git-govern", expectedKey: nil)
      }
      if let signature = try? SSHSignature(wireBytes: bytes) {
        _ = SSHSignatureVerifier.isValid(
          signature, message: bytes, namespace: "git-govern", expectedKey: signature.publicKey)
      }
    case .record:
      _ = CanonicalJSON.kind(of: bytes)
      _ = try? CanonicalJSON.decode(ReleaseRequest.self, from: bytes, path: "fuzz.json")
      _ = try? CanonicalJSON.decode(Approval.self, from: bytes, path: "fuzz.json")
      _ = try? CanonicalJSON.decode(ReleaseException.self, from: bytes, path: "fuzz.json")
      _ = try? CanonicalJSON.decode(Closeout.self, from: bytes, path: "fuzz.json")
      _ = try? CanonicalJSON.decode(ChangeProposal.self, from: bytes, path: "fuzz.json")
    case .policy:
      guard let text = String(validating: bytes, as: UTF8.self) else { return }
      if let policy = try? PolicyParser.parse(text) {
        _ = PolicyLint.findings(policy, people: nil)
        _ = FreezeCalendar(policy: policy.freezes).occurrence(
          at: Date(timeIntervalSince1970: 1_795_000_000))
      }
      _ = try? PeopleFile.parse(text)
    case .hook:
      _ = try? HookLines.prePush(bytes)
      _ = try? HookLines.preReceive(bytes)
      guard let text = String(validating: bytes, as: UTF8.self) else { return }
      _ = try? HookLines.update(text.split(separator: " ").map(String.init))
    }
  }
}

#if FUZZING
  /// libFuzzer's entry point; the target is chosen by `GOVERN_FUZZ_TARGET`.
  let fuzzTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["GOVERN_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      fatalError(
        "set GOVERN_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    return target
  }()

  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzHarness.run(fuzzTarget, Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
  }
#endif
