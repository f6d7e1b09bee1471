import Foundation
import Testing

@testable import Signing

@Suite struct NativeEd25519SignerTests {
  static let namespace = "git-govern"

  @Test func producesTheSameBytesAsSSHKeygen() throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(.ed25519, named: "k", in: directory)
      let sha512Signer = try NativeEd25519Signer(privateKeyPath: key.privatePath)
      let sha256Signer = try NativeEd25519Signer(
        privateKeyPath: key.privatePath, hashAlgorithm: .sha256)
      #expect(sha512Signer.publicKey == key.publicKey)

      var random = SplitMix64(seed: 25519)
      var script = "set -e\n"
      var messages: [[UInt8]] = []
      for index in 0..<10 {
        let message = random.bytes(count: Int.random(in: 0...2048, using: &random))
        messages.append(message)
        try Data(message).write(to: directory.appendingPathComponent("m\(index)"))
        let hashOption = index.isMultiple(of: 2) ? "-O hashalg=sha256" : ""
        script +=
          "ssh-keygen -Y sign -f k -n \(Self.namespace) \(hashOption) m\(index) 2>/dev/null\n"
      }
      try Shell.run(script, in: directory)

      var nativeSignatures: [String] = []
      for (index, message) in messages.enumerated() {
        let signer = index.isMultiple(of: 2) ? sha256Signer : sha512Signer
        let native = try signer.sign(message, namespace: Self.namespace)
        nativeSignatures.append(native)
        let keygen = try String(
          contentsOf: directory.appendingPathComponent("m\(index).sig"), encoding: .utf8)
        // Ed25519 is deterministic, so the armored text must match exactly.
        #expect(native == keygen, "message \(index)")
        try SSHSignatureVerifier.verify(
          SSHSignature(armored: native), message: message, namespace: Self.namespace,
          expectedKey: key.publicKey)
      }

      for (index, native) in nativeSignatures.enumerated() {
        let statuses = try sshKeygenVerifyStatuses(
          [native], message: messages[index], namespace: Self.namespace, key: key.publicKey,
          in: directory)
        #expect(statuses == [0], "ssh-keygen -Y verify accepts native signature \(index)")
      }
    }
  }

  @Test func refusesKeysItCannotUse() throws {
    try withTemporaryDirectory { directory in
      let encrypted = try TestKey.generate(
        .ed25519, named: "enc", in: directory, passphrase: "secret")
      let ecdsa = try TestKey.generate(.ecdsa256, named: "ec", in: directory)
      try Shell.run("ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f pem", in: directory)

      func failure(_ path: String) -> String {
        do {
          _ = try NativeEd25519Signer(privateKeyPath: path)
          return "accepted"
        } catch {
          return "\(error)"
        }
      }
      #expect(failure(encrypted.privatePath).contains("encrypted with a passphrase"))
      #expect(failure(encrypted.privatePath).contains(encrypted.privatePath))
      #expect(failure(ecdsa.privatePath).contains("ecdsa-sha2-nistp256 key; only ssh-ed25519"))
      #expect(
        failure(directory.appendingPathComponent("pem").path)
          .contains("missing \"-----BEGIN OPENSSH PRIVATE KEY-----\" line"))
      #expect(failure(directory.appendingPathComponent("absent").path).contains("cannot read"))

      #expect(throws: SignatureError.self) {
        _ = try NativeEd25519Signer(
          privateKeyText:
            "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
      }
    }
  }
}
