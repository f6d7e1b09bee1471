import Foundation
import Testing

@testable import Signing

@Suite struct SSHKeygenSignerTests {
  static let namespace = "git-govern"

  @Test(arguments: [TestKeyKind.ed25519, .ecdsa256, .rsa3072])
  func signaturesVerifyWithBothVerifiers(kind: TestKeyKind) throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(kind, named: "k", in: directory)
      let signer = SSHKeygenSigner(
        keyPath: key.privatePath, environment: Shell.cleanEnvironment(home: directory))
      var random = SplitMix64(seed: 7)
      // The first line would be taken for a passphrase if the message went to ssh-keygen's stdin.
      let messages: [[UInt8]] = [
        [], Array("passphrase\nrest of the message\n".utf8), random.bytes(count: 5000),
      ]
      var signatures: [String] = []
      for message in messages {
        let armored = try signer.sign(message, namespace: Self.namespace)
        signatures.append(armored)
        let signature = try SSHSignature(armored: armored)
        #expect(signature.publicKey == key.publicKey)
        try SSHSignatureVerifier.verify(
          signature, message: message, namespace: Self.namespace, expectedKey: key.publicKey)
        let statuses = try sshKeygenVerifyStatuses(
          [armored], message: message, namespace: Self.namespace, key: key.publicKey,
          in: directory)
        #expect(statuses == [0])
      }
    }
  }

  @Test func reportsSSHKeygenErrorsWithTheKeyPath() throws {
    try withTemporaryDirectory { directory in
      let environment = Shell.cleanEnvironment(home: directory)
      let missing = directory.appendingPathComponent("no-such-key").path
      do {
        _ = try SSHKeygenSigner(keyPath: missing, environment: environment)
          .sign([1, 2, 3], namespace: Self.namespace)
        Issue.record("signing with a missing key succeeded")
      } catch let error as SignatureError {
        guard case .signingFailed(let keyPath, let reason) = error else {
          Issue.record("unexpected error \(error)")
          return
        }
        #expect(keyPath == missing)
        #expect(reason.contains("No such file or directory"), "\(reason)")
        #expect(error.description.hasPrefix("signing with key \"\(missing)\" failed: "))
      }

      // Without a terminal or agent an encrypted key fails at once instead of prompting.
      let encrypted = try TestKey.generate(
        .ed25519, named: "enc", in: directory, passphrase: "secret")
      #expect {
        _ = try SSHKeygenSigner(keyPath: encrypted.privatePath, environment: environment)
          .sign([1, 2, 3], namespace: Self.namespace)
      } throws: { error in
        guard case .signingFailed(_, let reason) = error as? SignatureError else { return false }
        return reason.contains("passphrase")
      }

      #expect(
        throws: SignatureError.signingFailed(
          keyPath: encrypted.privatePath, reason: "the namespace is empty")
      ) {
        _ = try SSHKeygenSigner(keyPath: encrypted.privatePath, environment: environment)
          .sign([1], namespace: "")
      }
    }
  }

  @Test func findsPublicKeys() throws {
    try withTemporaryDirectory { directory in
      let environment = Shell.cleanEnvironment(home: directory)
      let key = try TestKey.generate(.ecdsa256, named: "k", in: directory)

      let viaPrivatePath = try SSHKeygenSigner.publicKey(forKeyPath: key.privatePath)
      #expect(viaPrivatePath == key.publicKey)
      #expect(viaPrivatePath.comment == "k@test")
      #expect(try SSHKeygenSigner.publicKey(forKeyPath: key.publicPath) == key.publicKey)
      #expect(
        try SSHKeygenSigner.publicKey(forKeyPath: "~/k", environment: environment) == key.publicKey)
      #expect(
        try SSHKeygenSigner.publicKey(forKeyPath: "key::" + key.publicKey.authorizedKey)
          == key.publicKey)
      #expect(
        try SSHKeygenSigner.publicKey(forKeyPath: key.publicKey.authorizedKey + " comment")
          == key.publicKey)

      // A private key without its .pub file: derived with ssh-keygen -y.
      try FileManager.default.removeItem(atPath: key.publicPath)
      let derived = try SSHKeygenSigner.publicKey(
        forKeyPath: key.privatePath, environment: environment)
      #expect(derived == key.publicKey)

      let encrypted = try TestKey.generate(
        .ed25519, named: "enc", in: directory, passphrase: "secret")
      try FileManager.default.removeItem(atPath: encrypted.publicPath)
      #expect {
        _ = try SSHKeygenSigner.publicKey(
          forKeyPath: encrypted.privatePath, environment: environment)
      } throws: { error in
        guard case .keyUnavailable(_, let reason) = error as? SignatureError else { return false }
        return reason.contains("passphrase")
      }

      let missing = directory.appendingPathComponent("missing").path
      #expect {
        _ = try SSHKeygenSigner.publicKey(forKeyPath: missing)
      } throws: { error in
        (error as? SignatureError)?.description
          == "key file \(missing) does not exist (nor \(missing).pub); point user.signingkey or --signing-key at your SSH key"
      }
      #expect(throws: SignatureError.self) {
        _ = try SSHKeygenSigner.publicKey(forKeyPath: "key::ssh-ed25519 AAAA")
      }
    }
  }

  @Test func signsThroughSSHAgent() throws {
    try withTemporaryDirectory { directory in
      let socket = directory.appendingPathComponent("agent.sock").path
      var environment = Shell.cleanEnvironment(home: directory)
      environment["SSH_AUTH_SOCK"] = socket

      let agent = Process()
      agent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      agent.arguments = ["ssh-agent", "-D", "-a", socket]
      agent.environment = environment
      agent.standardInput = FileHandle(forReadingAtPath: "/dev/null")
      agent.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
      try agent.run()
      defer {
        // SIGKILL, not terminate(): children of Foundation's Process inherit the
        // calling thread's signal mask, in which SIGTERM is blocked, and
        // ssh-agent would never see it.
        kill(agent.processIdentifier, SIGKILL)
        agent.waitUntilExit()
      }
      for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) {
        Thread.sleep(forTimeInterval: 0.05)
      }

      // The agent holds a passphrase-protected key; askpass supplies the passphrase to ssh-add only.
      let key = try TestKey.generate(.ed25519, named: "enc", in: directory, passphrase: "secret")
      let askpass = directory.appendingPathComponent("askpass.sh")
      try "#!/bin/sh\necho secret\n".write(to: askpass, atomically: true, encoding: .utf8)
      try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: askpass.path)
      try Shell.run(
        "ssh-add -q enc", in: directory,
        extraEnvironment: ["SSH_AUTH_SOCK": socket, "SSH_ASKPASS": askpass.path])

      let publicOnly = directory.appendingPathComponent("only-public")
      try FileManager.default.createDirectory(at: publicOnly, withIntermediateDirectories: false)
      let publicPath = publicOnly.appendingPathComponent("signing.pub").path
      try FileManager.default.copyItem(atPath: key.publicPath, toPath: publicPath)

      let keyPaths = [
        publicPath, "key::" + key.publicKey.authorizedKey, key.publicKey.authorizedKey,
        key.privatePath,
      ]
      for keyPath in keyPaths {
        let message = Array("signed by the agent via \(keyPath)".utf8)
        let armored = try SSHKeygenSigner(keyPath: keyPath, environment: environment)
          .sign(message, namespace: Self.namespace)
        try SSHSignatureVerifier.verify(
          SSHSignature(armored: armored), message: message, namespace: Self.namespace,
          expectedKey: key.publicKey)
      }

      // Without the agent the public key alone cannot sign.
      environment["SSH_AUTH_SOCK"] = nil
      #expect(throws: SignatureError.self) {
        _ = try SSHKeygenSigner(keyPath: publicPath, environment: environment)
          .sign([1], namespace: Self.namespace)
      }
    }
  }
}
