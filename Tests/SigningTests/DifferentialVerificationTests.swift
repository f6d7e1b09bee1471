import Foundation
import Testing

@testable import Signing

/// Signs random messages with `ssh-keygen -Y sign` and checks that
/// `ssh-keygen -Y verify` and `SSHSignatureVerifier` accept and reject the same
/// signatures. ssh-keygen runs in two shell scripts per key type (one signing
/// everything, one verifying everything) to keep process start-up cheap.
@Suite struct DifferentialVerificationTests {
  static let namespace = "git-govern"

  enum Tamper: String {
    case none = "good signature"
    case message = "corrupted message"
    case signature = "corrupted signature blob"
    case namespace = "wrong namespace"
    case key = "wrong key"
  }

  struct Case {
    var index: Int
    var tamper: Tamper
    var messageFile: String
    var signatureFile: String
    var namespace: String
    var allowedSignersFile: String
    var expectedKey: SSHPublicKey
  }

  @Test(arguments: TestKeyKind.allCases)
  func verifierAgreesWithSSHKeygen(kind: TestKeyKind) throws {
    let messageCount = [.ecdsa384, .ecdsa521].contains(kind) ? 12 : 30
    var random = SplitMix64(seed: 0x5EED_0000 + UInt64(kind.rawValue.utf8.count))
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(kind, named: "k", in: directory)
      let otherKey = try TestKey.generate(kind, named: "other", in: directory)
      try writeAllowedSigners(key.publicKey, to: directory.appendingPathComponent("allowed"))
      try writeAllowedSigners(
        otherKey.publicKey, to: directory.appendingPathComponent("allowed-other"))

      var messages: [[UInt8]] = []
      var signScript = "set -e\n"
      for index in 0..<messageCount {
        let message = random.bytes(count: Int.random(in: 0...4096, using: &random))
        messages.append(message)
        try Data(message).write(to: directory.appendingPathComponent("m\(index)"))
        // Alternate between the sha256 option and ssh-keygen's default, sha512.
        let hashOption = index.isMultiple(of: 2) ? "-O hashalg=sha256" : ""
        signScript +=
          "ssh-keygen -Y sign -f k -n \(Self.namespace) \(hashOption) m\(index) 2>/dev/null\n"
      }
      try Shell.run(signScript, in: directory)

      var cases: [Case] = []
      for (index, message) in messages.enumerated() {
        let armored = try String(
          contentsOf: directory.appendingPathComponent("m\(index).sig"), encoding: .utf8)
        let signature = try SSHSignature(armored: armored)
        #expect(signature.hashAlgorithm == (index.isMultiple(of: 2) ? .sha256 : .sha512))
        #expect(signature.publicKey == key.publicKey)

        var corruptedMessage = message
        if corruptedMessage.isEmpty {
          corruptedMessage = [0]
        } else {
          corruptedMessage[Int.random(in: 0..<message.count, using: &random)] ^= 0x01
        }
        try Data(corruptedMessage).write(to: directory.appendingPathComponent("bad-m\(index)"))

        var wire = armoredBody(armored)
        let blobStart = wire.count - signature.signatureBlob.count
        wire[Int.random(in: blobStart..<wire.count, using: &random)] ^= UInt8.random(
          in: 1...255, using: &random)
        try armor(wire).write(
          to: directory.appendingPathComponent("bad-m\(index).sig"), atomically: true,
          encoding: .utf8)

        func make(
          _ tamper: Tamper, message: String = "m\(index)", signature: String = "m\(index).sig",
          namespace: String = Self.namespace, allowed: String = "allowed",
          expectedKey: SSHPublicKey = key.publicKey
        ) -> Case {
          Case(
            index: index, tamper: tamper, messageFile: message, signatureFile: signature,
            namespace: namespace, allowedSignersFile: allowed, expectedKey: expectedKey)
        }
        cases += [
          make(.none),
          make(.message, message: "bad-m\(index)"),
          make(.signature, signature: "bad-m\(index).sig"),
          make(.namespace, namespace: "other-namespace"),
          make(.key, allowed: "allowed-other", expectedKey: otherKey.publicKey),
        ]
      }

      var verifyScript = ""
      for (number, testCase) in cases.enumerated() {
        verifyScript +=
          "ssh-keygen -Y verify -f \(testCase.allowedSignersFile) -I signer -n \(testCase.namespace) -s \(testCase.signatureFile) < \(testCase.messageFile) >/dev/null 2>&1; echo \(number) $?\n"
      }
      let output = try Shell.run(verifyScript, in: directory).output
      var keygenStatus: [Int: Int] = [:]
      for line in output.split(separator: "\n") {
        let fields = line.split(separator: " ").compactMap { Int($0) }
        if fields.count == 2 { keygenStatus[fields[0]] = fields[1] }
      }
      #expect(keygenStatus.count == cases.count)

      for (number, testCase) in cases.enumerated() {
        let shouldVerify = testCase.tamper == .none
        let label = "\(kind.rawValue) message \(testCase.index), \(testCase.tamper.rawValue)"
        #expect((keygenStatus[number] == 0) == shouldVerify, "ssh-keygen: \(label)")

        let message = try [UInt8](
          Data(contentsOf: directory.appendingPathComponent(testCase.messageFile)))
        let armored = try String(
          contentsOf: directory.appendingPathComponent(testCase.signatureFile), encoding: .utf8)
        var ourError: Error?
        do {
          try SSHSignatureVerifier.verify(
            SSHSignature(armored: armored), message: message, namespace: testCase.namespace,
            expectedKey: testCase.expectedKey)
        } catch {
          ourError = error
        }
        #expect(
          (ourError == nil) == shouldVerify,
          "SSHSignatureVerifier: \(label): \(String(describing: ourError))")
        switch (testCase.tamper, ourError as? SignatureError) {
        case (.message, let error):
          #expect(error == .signatureDoesNotMatch, "\(label)")
        case (.namespace, let error):
          #expect(
            error == .namespaceMismatch(signed: Self.namespace, expected: "other-namespace"),
            "\(label)")
        case (.key, let error):
          #expect(
            error
              == .keyMismatch(
                signedBy: key.publicKey.description, expected: otherKey.publicKey.description),
            "\(label)")
        default:
          break
        }
      }
    }
  }
}
