import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import Signing

/// RSA cases ssh-keygen cannot produce itself: it always signs with rsa-sha2-512.
@Suite struct RSASignatureTests {
  static let namespace = "git-govern"
  static let message = Array("rsa message\n".utf8)

  struct InProcessRSAKey {
    var privateKey: _RSA.Signing.PrivateKey
    var publicKey: SSHPublicKey

    init() throws {
      privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
      let primitives = try privateKey.publicKey.getKeyPrimitives()
      var blob = SSHWireWriter()
      blob.appendString("ssh-rsa")
      blob.appendMPInt(magnitude: [UInt8](primitives.publicExponent))
      blob.appendMPInt(magnitude: [UInt8](primitives.modulus))
      publicKey = try SSHPublicKey(wireBlob: blob.bytes)
    }

    /// An armored SSHSIG whose inner signature is PKCS#1 v1.5 over `digest` of the signed data.
    func sign(
      algorithm: String, hashAlgorithm: SSHSignature.HashAlgorithm = .sha512,
      digest: (([UInt8]) -> any Digest)
    ) throws -> String {
      let signedData = SSHSignature.signedData(
        namespace: RSASignatureTests.namespace, hashAlgorithm: hashAlgorithm,
        message: RSASignatureTests.message)
      let rsaSignature = try privateKey.signature(
        for: digest(signedData), padding: .insecurePKCS1v1_5)
      let wire = SSHSignature.assembleWireBytes(
        publicKey: publicKey, namespace: RSASignatureTests.namespace,
        hashAlgorithm: hashAlgorithm, signatureAlgorithm: algorithm,
        signatureBlob: [UInt8](rsaSignature.rawRepresentation))
      return armor(wire)
    }
  }

  @Test func sha2SignaturesAreAcceptedAndSHA1IsRefused() throws {
    let key = try InProcessRSAKey()
    let sha256 = try key.sign(algorithm: "rsa-sha2-256") { SHA256.hash(data: $0) }
    let sha512WithSHA256Container = try key.sign(algorithm: "rsa-sha2-512", hashAlgorithm: .sha256)
    {
      SHA512.hash(data: $0)
    }
    let sha1 = try key.sign(algorithm: "ssh-rsa") { Insecure.SHA1.hash(data: $0) }
    let mislabelled = try key.sign(algorithm: "rsa-sha2-256") { SHA512.hash(data: $0) }

    try withTemporaryDirectory { directory in
      let statuses = try sshKeygenVerifyStatuses(
        [sha256, sha512WithSHA256Container, sha1, mislabelled], message: Self.message,
        namespace: Self.namespace, key: key.publicKey, in: directory)
      #expect(statuses[0] == 0, "ssh-keygen accepts rsa-sha2-256")
      #expect(statuses[1] == 0, "ssh-keygen accepts rsa-sha2-512 over a sha256 message hash")
      #expect(statuses[2] != 0, "ssh-keygen refuses ssh-rsa (SHA-1) in SSHSIG")
      #expect(statuses[3] != 0, "ssh-keygen refuses a SHA-512 signature labelled rsa-sha2-256")
    }

    for armored in [sha256, sha512WithSHA256Container] {
      try SSHSignatureVerifier.verify(
        SSHSignature(armored: armored), message: Self.message, namespace: Self.namespace,
        expectedKey: key.publicKey)
    }
    #expect(throws: SignatureError.rsaSHA1Refused) {
      try SSHSignatureVerifier.verify(
        SSHSignature(armored: sha1), message: Self.message, namespace: Self.namespace,
        expectedKey: key.publicKey)
    }
    #expect(throws: SignatureError.signatureDoesNotMatch) {
      try SSHSignatureVerifier.verify(
        SSHSignature(armored: mislabelled), message: Self.message, namespace: Self.namespace,
        expectedKey: key.publicKey)
    }
    #expect(
      throws: SignatureError.algorithmKeyMismatch(
        signatureAlgorithm: "ssh-ed25519", keyType: "ssh-rsa")
    ) {
      let wrongAlgorithm = try key.sign(algorithm: "ssh-ed25519") { SHA256.hash(data: $0) }
      try SSHSignatureVerifier.verify(
        SSHSignature(armored: wrongAlgorithm), message: Self.message, namespace: Self.namespace,
        expectedKey: key.publicKey)
    }
  }

  @Test func keysUnder2048BitsAreRefused() throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(arguments: "-t rsa -b 1024", named: "small", in: directory)
      try Data(Self.message).write(to: directory.appendingPathComponent("msg"))
      try Shell.run("ssh-keygen -Y sign -f small -n \(Self.namespace) msg", in: directory)
      let armored = try String(
        contentsOf: directory.appendingPathComponent("msg.sig"), encoding: .utf8)
      // OpenSSH itself still accepts 1024-bit RSA keys; this tool deliberately does not.
      let statuses = try sshKeygenVerifyStatuses(
        [armored], message: Self.message, namespace: Self.namespace, key: key.publicKey,
        in: directory)
      #expect(statuses == [0])
      #expect(throws: SignatureError.rsaKeyTooSmall(bits: 1024)) {
        try SSHSignatureVerifier.verify(
          SSHSignature(armored: armored), message: Self.message, namespace: Self.namespace,
          expectedKey: key.publicKey)
      }
      #expect(
        SignatureError.rsaKeyTooSmall(bits: 1024).description
          == "RSA key has a 1024-bit modulus; at least 2048 bits are required")
    }
  }
}
