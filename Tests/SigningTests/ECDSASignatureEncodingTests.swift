import Crypto
import Foundation
import Testing

@testable import Signing

/// r and s travel as SSH mpints, whose length varies with the value: 31 bytes
/// when the top byte is zero, 33 when the top bit is set. Signatures are made
/// in-process so that rare lengths can be searched for cheaply.
@Suite struct ECDSASignatureEncodingTests {
  static let namespace = "git-govern"
  static let message = Array("ecdsa message\n".utf8)

  let privateKey = P256.Signing.PrivateKey()
  let publicKey: SSHPublicKey
  let signedData: [UInt8]

  init() throws {
    var blob = SSHWireWriter()
    blob.appendString("ecdsa-sha2-nistp256")
    blob.appendString("nistp256")
    blob.appendString([UInt8](privateKey.publicKey.x963Representation))
    publicKey = try SSHPublicKey(wireBlob: blob.bytes)
    signedData = SSHSignature.signedData(
      namespace: Self.namespace, hashAlgorithm: .sha512, message: Self.message)
  }

  /// A raw (r, s) pair whose scalars satisfy `condition`.
  func scalars(where condition: ([UInt8], [UInt8]) -> Bool) throws -> ([UInt8], [UInt8]) {
    for _ in 0..<20_000 {
      let raw = [UInt8](try privateKey.signature(for: signedData).rawRepresentation)
      let r = Array(raw[..<32])
      let s = Array(raw[32...])
      if condition(r, s) { return (r, s) }
    }
    throw CommandFailed(
      command: "search for ECDSA scalars",
      result: CommandResult(status: 1, output: "", error: "not found"))
  }

  /// An armored SSHSIG whose r and s mpints are exactly the given bytes.
  func armoredSignature(rBytes: [UInt8], sBytes: [UInt8]) -> String {
    var blob = SSHWireWriter()
    blob.appendString(rBytes)
    blob.appendString(sBytes)
    return armor(
      SSHSignature.assembleWireBytes(
        publicKey: publicKey, namespace: Self.namespace, hashAlgorithm: .sha512,
        signatureAlgorithm: "ecdsa-sha2-nistp256", signatureBlob: blob.bytes))
  }

  func minimalMPInt(_ magnitude: [UInt8]) -> [UInt8] {
    let trimmed = Array(magnitude.drop(while: { $0 == 0 }))
    return (trimmed.first ?? 0) & 0x80 != 0 ? [0] + trimmed : trimmed
  }

  func ourVerdict(_ armored: String) -> Result<Void, SignatureError> {
    do {
      try SSHSignatureVerifier.verify(
        SSHSignature(armored: armored), message: Self.message, namespace: Self.namespace,
        expectedKey: publicKey)
      return .success(())
    } catch {
      return .failure(error as? SignatureError ?? .signatureDoesNotMatch)
    }
  }

  @Test func shortAndLongMPIntsAreAcceptedAndNegativeOnesRefused() throws {
    let (shortR, shortS) = try scalars { r, s in
      minimalMPInt(r).count <= 31 || minimalMPInt(s).count <= 31
    }
    let (highR, highS) = try scalars { r, _ in r[0] & 0x80 != 0 }

    let short = armoredSignature(rBytes: minimalMPInt(shortR), sBytes: minimalMPInt(shortS))
    #expect(
      minimalMPInt(shortR).count <= 31 || minimalMPInt(shortS).count <= 31,
      "one scalar is encoded in 31 bytes or fewer")
    let long = armoredSignature(rBytes: minimalMPInt(highR), sBytes: minimalMPInt(highS))
    #expect(minimalMPInt(highR).count == 33)
    let negative = armoredSignature(rBytes: highR, sBytes: minimalMPInt(highS))
    let tooLong = armoredSignature(rBytes: [0, 0] + highR, sBytes: minimalMPInt(highS))
    // A redundant zero byte before a value without its top bit set is tolerated.
    let (lowR, lowS) = try scalars { r, _ in r[0] != 0 && r[0] & 0x80 == 0 }
    let padded = armoredSignature(rBytes: [0] + lowR, sBytes: minimalMPInt(lowS))

    #expect(throws: Never.self) { try ourVerdict(short).get() }
    #expect(throws: Never.self) { try ourVerdict(long).get() }
    #expect(throws: Never.self) { try ourVerdict(padded).get() }
    #expect(
      throws: SignatureError.malformedSignature("ECDSA signature value r is a negative mpint")
    ) {
      try ourVerdict(negative).get()
    }
    #expect(
      throws: SignatureError.malformedSignature(
        "ECDSA signature value r is 34 bytes, longer than the 32-byte curve order")
    ) {
      try ourVerdict(tooLong).get()
    }

    try withTemporaryDirectory { directory in
      let statuses = try sshKeygenVerifyStatuses(
        [short, long, negative, tooLong, padded], message: Self.message, namespace: Self.namespace,
        key: publicKey, in: directory)
      #expect(statuses[0] == 0, "ssh-keygen accepts a 31-byte mpint")
      #expect(statuses[1] == 0, "ssh-keygen accepts a 33-byte mpint")
      #expect(statuses[2] != 0, "ssh-keygen refuses a negative mpint")
      #expect(statuses[4] == 0, "ssh-keygen accepts a redundant leading zero byte")
      // OpenSSH strips any number of leading zero bytes; this verifier deliberately
      // refuses mpints longer than field size + 1, which no real signer emits.
      #expect(statuses[3] == 0, "ssh-keygen accepts two leading zero bytes")
    }
  }
}
