import Foundation
import Testing

@testable import Signing

/// The fields of an SSHSIG structure, re-encoded field by field so tests can bend any of them.
struct SSHSIGFields {
  var magic: [UInt8] = Array("SSHSIG".utf8)
  var version: UInt32 = 1
  var publicKey: [UInt8]
  var namespace: [UInt8]
  var reserved: [UInt8] = []
  var hashAlgorithm: String
  var signatureAlgorithm: String
  var signatureBlob: [UInt8]
  var innerTrailing: [UInt8] = []
  var outerTrailing: [UInt8] = []

  init(_ signature: SSHSignature) {
    publicKey = signature.publicKey.blob
    namespace = Array(signature.namespace.utf8)
    hashAlgorithm = signature.hashAlgorithm.rawValue
    signatureAlgorithm = signature.signatureAlgorithm
    signatureBlob = signature.signatureBlob
  }

  var bytes: [UInt8] {
    var inner = SSHWireWriter()
    inner.appendString(signatureAlgorithm)
    inner.appendString(signatureBlob)
    inner.appendRaw(innerTrailing)
    var writer = SSHWireWriter()
    writer.appendRaw(magic)
    writer.appendUInt32(version)
    writer.appendString(publicKey)
    writer.appendString(namespace)
    writer.appendString(reserved)
    writer.appendString(hashAlgorithm)
    writer.appendString(inner.bytes)
    writer.appendRaw(outerTrailing)
    return writer.bytes
  }
}

@Suite struct SSHSignatureParsingTests {
  static let message = Array("release 1.2.3\n".utf8)

  /// A real ssh-keygen signature over `message` in namespace "git-govern", with its key.
  struct Fixture {
    var armored: String
    var signature: SSHSignature
    var key: TestKey
    var otherKey: TestKey
  }

  static func withFixture(_ body: (Fixture, URL) throws -> Void) throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(.ed25519, named: "k", in: directory)
      let otherKey = try TestKey.generate(.ed25519, named: "other", in: directory)
      try Data(message).write(to: directory.appendingPathComponent("msg"))
      try Shell.run("ssh-keygen -Y sign -f k -n git-govern msg", in: directory)
      let armored = try String(
        contentsOf: directory.appendingPathComponent("msg.sig"), encoding: .utf8)
      let fixture = Fixture(
        armored: armored, signature: try SSHSignature(armored: armored), key: key,
        otherKey: otherKey)
      try body(fixture, directory)
    }
  }

  func parseFailure(_ bytes: [UInt8]) -> SignatureError? {
    do {
      _ = try SSHSignature(wireBytes: bytes)
      return nil
    } catch {
      return error as? SignatureError
    }
  }

  func armorFailure(_ text: String) -> String {
    do {
      _ = try SSHSignature(armored: text)
      return "accepted"
    } catch {
      return "\(error)"
    }
  }

  @Test func parsesARealSignature() throws {
    try Self.withFixture { fixture, _ in
      let signature = fixture.signature
      #expect(signature.namespace == "git-govern")
      #expect(signature.hashAlgorithm == .sha512)
      #expect(signature.signatureAlgorithm == "ssh-ed25519")
      #expect(signature.signatureBlob.count == 64)
      #expect(signature.publicKey == fixture.key.publicKey)
      #expect(signature.armored == fixture.armored)
      #expect(SSHSIGFields(signature).bytes == signature.wireBytes)
      try SSHSignatureVerifier.verify(
        signature, message: Self.message, namespace: "git-govern",
        expectedKey: fixture.key.publicKey)
      try SSHSignatureVerifier.verify(
        signature, message: Self.message, namespace: "git-govern", expectedKey: nil)
    }
  }

  @Test func refusesOtherVersionsAndHashAlgorithms() throws {
    try Self.withFixture { fixture, _ in
      var fields = SSHSIGFields(fixture.signature)
      fields.version = 2
      #expect(parseFailure(fields.bytes) == .unsupportedSignatureVersion(2))
      #expect(
        parseFailure(fields.bytes)?.description == "unsupported SSHSIG version 2")

      for name in ["md5", "sha1", "SHA512", ""] {
        fields = SSHSIGFields(fixture.signature)
        fields.hashAlgorithm = name
        #expect(parseFailure(fields.bytes) == .unsupportedHashAlgorithm(name))
      }
      #expect(
        SignatureError.unsupportedHashAlgorithm("md5").description
          == "signature uses hash algorithm \"md5\"; only sha256 and sha512 are accepted")

      fields = SSHSIGFields(fixture.signature)
      fields.magic = Array("SSHSIH".utf8)
      #expect(
        parseFailure(fields.bytes)
          == .malformedSignature("data does not start with the \"SSHSIG\" preamble"))
    }
  }

  @Test func refusesTrailingBytesAndBadLengths() throws {
    try Self.withFixture { fixture, _ in
      var fields = SSHSIGFields(fixture.signature)
      fields.outerTrailing = [0]
      #expect(
        parseFailure(fields.bytes)
          == .malformedSignature("1 unexpected trailing bytes after the signature"))

      fields = SSHSIGFields(fixture.signature)
      fields.innerTrailing = [1, 2]
      #expect(
        parseFailure(fields.bytes)
          == .malformedSignature("2 unexpected trailing bytes after the signature blob"))

      fields = SSHSIGFields(fixture.signature)
      fields.namespace = [0x67, 0xFF]
      #expect(parseFailure(fields.bytes) == .malformedSignature("namespace is not valid UTF-8"))

      // A namespace length far beyond the buffer.
      var bytes = fixture.signature.wireBytes
      let namespaceLengthOffset = 6 + 4 + 4 + fixture.signature.publicKey.blob.count
      bytes.replaceSubrange(
        namespaceLengthOffset..<namespaceLengthOffset + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
      let error = parseFailure(bytes)
      #expect(error?.description.contains("namespace claims 4294967295 bytes") == true)
    }
  }

  @Test func neverCrashesOnTruncatedOrMutatedInput() throws {
    try Self.withFixture { fixture, _ in
      let bytes = fixture.signature.wireBytes
      for length in 0..<bytes.count {
        #expect(parseFailure(Array(bytes[..<length])) != nil, "prefix of \(length) bytes")
      }
      var random = SplitMix64(seed: 42)
      for _ in 0..<2000 {
        var mutated = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
          mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(
            in: 0...255, using: &random)
        }
        if let signature = try? SSHSignature(wireBytes: mutated) {
          // Whatever parses must still be judged without crashing.
          _ = SSHSignatureVerifier.isValid(
            signature, message: Self.message, namespace: "git-govern",
            expectedKey: fixture.key.publicKey)
        }
      }
    }
  }

  @Test func acceptsArmourVariants() throws {
    try Self.withFixture { fixture, _ in
      let crlf = fixture.armored.replacingOccurrences(of: "\n", with: "\r\n")
      let noTrailingNewline = String(fixture.armored.dropLast())
      let padded = "\n  \n" + fixture.armored + "\n\t\n  "
      let oneLongLine: String = {
        let lines = fixture.armored.split(separator: "\n")
        return lines[0] + "\n" + lines.dropFirst().dropLast().joined() + "\n"
          + lines[lines.count - 1] + "\n"
      }()
      for variant in [crlf, noTrailingNewline, padded, oneLongLine] {
        let signature = try SSHSignature(armored: variant)
        #expect(signature.wireBytes == fixture.signature.wireBytes)
        #expect(
          SSHSignatureVerifier.isValid(
            signature, message: Self.message, namespace: "git-govern",
            expectedKey: fixture.key.publicKey))
      }
    }
  }

  /// The reader for ssh-keygen's own layout takes that layout (and reads it as the general
  /// reader does) and leaves every other text, good or broken, to the general reader.
  @Test func writtenLayoutReaderAgreesWithTheGeneralOne() throws {
    try Self.withFixture { fixture, _ in
      let armored = fixture.armored
      let lines = armored.split(separator: "\n").map(String.init)
      let written = try SSHSignature.fromWrittenArmor(Array(armored.utf8))
      #expect(written?.wireBytes == fixture.signature.wireBytes)
      #expect(
        try SSHSignature.fromWrittenArmor(Array(armored.dropLast().utf8))?.wireBytes
          == fixture.signature.wireBytes)
      // Lines of any length are read, as the general reader reads them.
      let oneLine = lines[0] + "\n" + lines.dropFirst().dropLast().joined() + "\n" + lines.last!
      #expect(
        try SSHSignature.fromWrittenArmor(Array(oneLine.utf8))?.wireBytes
          == fixture.signature.wireBytes)
      var taken = 0
      let body = lines.dropFirst().dropLast()
      var variants: [String] = []
      variants += [armored.replacingOccurrences(of: "\n", with: "\r\n"), "\n" + armored]
      variants += [armored + "\n", armored + " ", " " + armored]
      variants.append(armored.replacingOccurrences(of: "\n", with: " \n"))
      variants.append(lines.dropLast().joined(separator: "\n"))
      variants.append(lines.dropFirst().joined(separator: "\n"))
      variants.append(lines[0] + "\n" + lines[lines.count - 1] + "\n")
      variants.append(armored + "trailing\n")
      variants.append(armored.replacingOccurrences(of: "A", with: "*"))
      variants.append(String(armored.dropFirst()))
      variants.append(armored.replacingOccurrences(of: "SSH SIGNATURE", with: "SSH SIGNATUR"))
      let rest = lines.dropFirst(2).joined(separator: "\n")
      variants.append(lines[0] + "\n" + lines[1].dropLast() + "\n" + rest)
      variants.append(lines[0] + "\n" + lines[1] + "=\n" + rest)
      variants.append("")
      for variant in variants {
        let general = Result { try SSHSignature(armored: variant) }
        guard let fast = try? SSHSignature.fromWrittenArmor(Array(variant.utf8)) else { continue }
        taken += 1
        #expect(fast.wireBytes == (try? general.get())?.wireBytes, "\(variant.debugDescription)")
      }
      // None of the variants above is laid out as ssh-keygen writes: all went to the general
      // reader.
      #expect(taken == 0)
    }
  }

  @Test func refusesBrokenArmour() throws {
    try Self.withFixture { fixture, _ in
      var lines = fixture.armored.split(separator: "\n").map(String.init)
      let begin = lines.removeFirst()
      let end = lines.removeLast()
      let body = lines

      #expect(
        armorFailure((body + [end]).joined(separator: "\n"))
          == "malformed SSH signature: missing \"-----BEGIN SSH SIGNATURE-----\" line at the start")
      #expect(
        armorFailure(([begin] + body).joined(separator: "\n"))
          == "malformed SSH signature: missing \"-----END SSH SIGNATURE-----\" line")
      #expect(
        armorFailure("garbage\n" + fixture.armored)
          == "malformed SSH signature: missing \"-----BEGIN SSH SIGNATURE-----\" line at the start")
      #expect(
        armorFailure(fixture.armored + "trailing garbage\n")
          == "malformed SSH signature: unexpected text after the \"-----END SSH SIGNATURE-----\" line"
      )
      #expect(armorFailure(begin + "\n" + end + "\n").contains("no base64 data"))

      var truncated = body
      truncated[truncated.count - 1].removeLast()
      #expect(
        armorFailure(([begin] + truncated + [end]).joined(separator: "\n"))
          .contains("the base64 body is truncated"))

      var invalid = body
      invalid[0].replaceSubrange(invalid[0].startIndex...invalid[0].startIndex, with: "*")
      #expect(
        armorFailure(([begin] + invalid + [end]).joined(separator: "\n"))
          .contains("not base64"))

      // Dropping a whole base64 line leaves valid base64 but a truncated structure.
      let missingLine = [begin] + body.dropLast() + [end]
      #expect(
        armorFailure(missingLine.joined(separator: "\n")).hasPrefix("malformed SSH signature:"))
      #expect(armorFailure("").contains("missing \"-----BEGIN SSH SIGNATURE-----\""))
    }
  }

  @Test func rejectsWrongExpectedKeyAndNamespace() throws {
    try Self.withFixture { fixture, _ in
      #expect(
        throws: SignatureError.keyMismatch(
          signedBy: fixture.key.publicKey.description,
          expected: fixture.otherKey.publicKey.description)
      ) {
        try SSHSignatureVerifier.verify(
          fixture.signature, message: Self.message, namespace: "git-govern",
          expectedKey: fixture.otherKey.publicKey)
      }
      #expect(throws: SignatureError.namespaceMismatch(signed: "git-govern", expected: "git")) {
        try SSHSignatureVerifier.verify(
          fixture.signature, message: Self.message, namespace: "git",
          expectedKey: fixture.key.publicKey)
      }
      #expect(
        SignatureError.namespaceMismatch(signed: "git", expected: "git-govern").description
          == "signed for namespace \"git\", expected \"git-govern\"")

      // The embedded key swapped for another: the signature no longer matches.
      var fields = SSHSIGFields(fixture.signature)
      fields.publicKey = fixture.otherKey.publicKey.blob
      let swapped = try SSHSignature(wireBytes: fields.bytes)
      #expect(throws: SignatureError.signatureDoesNotMatch) {
        try SSHSignatureVerifier.verify(
          swapped, message: Self.message, namespace: "git-govern",
          expectedKey: fixture.otherKey.publicKey)
      }
    }
  }

  @Test func rejectsAlgorithmKeyMismatches() throws {
    try Self.withFixture { fixture, _ in
      var fields = SSHSIGFields(fixture.signature)
      fields.signatureAlgorithm = "rsa-sha2-512"
      #expect(
        throws: SignatureError.algorithmKeyMismatch(
          signatureAlgorithm: "rsa-sha2-512", keyType: "ssh-ed25519")
      ) {
        try SSHSignatureVerifier.verify(
          SSHSignature(wireBytes: fields.bytes), message: Self.message, namespace: "git-govern",
          expectedKey: nil)
      }
      fields.signatureAlgorithm = "sk-ssh-ed25519@openssh.com"
      #expect(throws: SignatureError.unsupportedSignatureAlgorithm("sk-ssh-ed25519@openssh.com")) {
        try SSHSignatureVerifier.verify(
          SSHSignature(wireBytes: fields.bytes), message: Self.message, namespace: "git-govern",
          expectedKey: nil)
      }
      fields = SSHSIGFields(fixture.signature)
      fields.signatureBlob.removeLast()
      #expect(
        throws: SignatureError.malformedSignature("ssh-ed25519 signature is 63 bytes, expected 64")
      ) {
        try SSHSignatureVerifier.verify(
          SSHSignature(wireBytes: fields.bytes), message: Self.message, namespace: "git-govern",
          expectedKey: nil)
      }
    }
  }

  @Test func verifiesConcurrently() async throws {
    try await withTemporaryDirectoryAsync { directory in
      let key = try TestKey.generate(.ed25519, named: "k", in: directory)
      let signer = try NativeEd25519Signer(privateKeyPath: key.privatePath)
      let signatures = try (0..<64).map { index in
        try signer.signature(Array("record \(index)".utf8), namespace: "git-govern")
      }
      let expectedKey = key.publicKey
      let validCount = await withTaskGroup(of: Int.self) { group in
        for worker in 0..<4 {
          group.addTask {
            var valid = 0
            for (index, signature) in signatures.enumerated() {
              let message = Array("record \((index + worker) % signatures.count)".utf8)
              if SSHSignatureVerifier.isValid(
                signature, message: message, namespace: "git-govern", expectedKey: expectedKey)
              {
                valid += 1
              }
            }
            return valid
          }
        }
        return await group.reduce(0, +)
      }
      // Only worker 0 pairs every signature with its own message.
      #expect(validCount == signatures.count)
    }
  }
}
