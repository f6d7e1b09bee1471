import Dispatch
import Foundation
import Signing

/// How many SSH signatures swift-crypto verifies per second on this machine, right now: the
/// audit's ceiling, measured in the same minutes as the audit because this machine's speed
/// drifts. The signature is made once with the benchmark's test key and verified `count`
/// times through the same call the audit makes (namespace, hash of the message, ed25519).
enum VerifyCeiling {
  static func perSecond(keyPath: String, count: Int, workers: Int) throws -> Double {
    let signer = try NativeEd25519Signer(privateKeyPath: keyPath)
    let message = Array(repeating: UInt8(ascii: "x"), count: 600)
    let signature = try signer.signature(message, namespace: "git-govern")
    let start = DispatchTime.now().uptimeNanoseconds
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for _ in 0..<(count / workers) {
        do {
          try SSHSignatureVerifier.verify(
            signature, message: message, namespace: "git-govern", expectedKey: nil)
        } catch {
          failures.add()
        }
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard failures.count == 0 else { throw BenchError("a good signature failed to verify") }
    return Double(count / workers * workers) / seconds
  }

  private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = 0
    var count: Int { lock.withLock { failed } }
    func add() { lock.withLock { failed += 1 } }
  }
}
