import Foundation
import Testing

@testable import Signing

@Suite struct CommitSignatureTests {
  static let headers = """
    tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904
    parent 8a3f9c1d2e4b5a6978c0d1e2f3a4b5c6d7e8f901
    author Alice <alice@example.org> 1700000000 +0000
    committer Alice <alice@example.org> 1700000000 +0000

    """
  static let signatureHeader = """
    gpgsig -----BEGIN SSH SIGNATURE-----
     U1NIU0lHAAAAAQ==
     
     -----END SSH SIGNATURE-----

    """
  static let message = "\nSubject line\n\nBody text.\n"

  func split(_ text: String) throws -> (payload: String, signature: String?) {
    let (payload, signature) = try CommitSignature.split(rawCommit: Array(text.utf8))
    return (String(decoding: payload, as: UTF8.self), signature)
  }

  func splitFailure(_ text: String) -> String {
    do {
      _ = try CommitSignature.split(rawCommit: Array(text.utf8))
      return "accepted"
    } catch {
      return "\(error)"
    }
  }

  @Test func unsignedCommitIsReturnedWhole() throws {
    let raw = Self.headers + Self.message
    let (payload, signature) = try split(raw)
    #expect(payload == raw)
    #expect(signature == nil)
    #expect(throws: SignatureError.commitNotSigned) {
      try CommitSignature(rawCommit: Array(raw.utf8)).parsedSignature()
    }
  }

  @Test func signatureHeaderIsRemovedAndUnfolded() throws {
    let raw = Self.headers + Self.signatureHeader + Self.message
    let (payload, signature) = try split(raw)
    #expect(payload == Self.headers + Self.message)
    #expect(
      signature
        == "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n\n-----END SSH SIGNATURE-----\n")
  }

  @Test func signatureHeaderBetweenOtherHeaders() throws {
    let raw =
      "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" + Self.signatureHeader
      + "encoding ISO-8859-1\n" + Self.message
    let (payload, signature) = try split(raw)
    #expect(
      payload
        == "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nencoding ISO-8859-1\n" + Self.message)
    #expect(signature?.hasPrefix("-----BEGIN SSH SIGNATURE-----\n") == true)
  }

  @Test func signatureTextInTheMessageIsIgnored() throws {
    let raw = Self.headers + "\nSubject\n\n" + Self.signatureHeader + Self.signatureHeader
    let (payload, signature) = try split(raw)
    #expect(payload == raw)
    #expect(signature == nil)
  }

  @Test func continuationLinesOfOtherHeadersStay() throws {
    let raw =
      Self.headers + "mergetag object 8a3f9c1d\n type commit\n gpgsig not a header\n"
      + Self.message
    let (payload, signature) = try split(raw)
    #expect(payload == raw)
    #expect(signature == nil)
  }

  @Test func refusesDuplicateAndSHA256Signatures() {
    #expect(
      splitFailure(Self.headers + Self.signatureHeader + Self.signatureHeader + Self.message)
        == "malformed commit object: commit has 2 gpgsig headers")
    #expect(
      splitFailure(
        Self.headers
          + Self.signatureHeader.replacingOccurrences(of: "gpgsig ", with: "gpgsig-sha256 ")
          + Self.message
      ).contains("gpgsig-sha256"))
  }

  @Test func toleratesCommitsWithoutMessageOrFinalNewline() throws {
    let noMessage = String(Self.headers.dropLast())
    #expect(try split(noMessage).payload == noMessage)
    let signedNoMessage = Self.headers + String(Self.signatureHeader.dropLast())
    let (payload, signature) = try split(signedNoMessage)
    #expect(payload == Self.headers)
    #expect(signature?.hasSuffix("-----END SSH SIGNATURE-----\n") == true)
  }

  @Test(arguments: [TestKeyKind.ed25519, .ecdsa256, .rsa3072])
  func verifiesCommitsSignedByGit(kind: TestKeyKind) throws {
    try withTemporaryDirectory { directory in
      let key = try TestKey.generate(kind, named: "key", in: directory)
      let other = try TestKey.generate(.ed25519, named: "other", in: directory)
      try writeAllowedSigners(
        key.publicKey, to: directory.appendingPathComponent("allowed"),
        identity: "alice@example.org")
      try Shell.run(
        """
        set -e
        git init -q repo
        cd repo
        git config user.name Alice
        git config user.email alice@example.org
        git config gpg.format ssh
        git config user.signingkey "$HOME/key"
        git config gpg.ssh.allowedSignersFile "$HOME/allowed"
        git commit -q -S --allow-empty -m 'First release' -m 'gpgsig -----BEGIN SSH SIGNATURE-----'
        git verify-commit HEAD 2>/dev/null
        git cat-file commit HEAD > ../signed.raw
        """, in: directory)
      let raw = try [UInt8](Data(contentsOf: directory.appendingPathComponent("signed.raw")))

      let commit = try CommitSignature(rawCommit: raw)
      #expect(commit.armoredSignature != nil)
      let payloadParts = String(decoding: commit.payload, as: UTF8.self).components(
        separatedBy: "\n\n")
      #expect(!payloadParts[0].contains("gpgsig"), "no gpgsig header left in the payload")
      #expect(
        payloadParts.last == "gpgsig -----BEGIN SSH SIGNATURE-----\n", "message kept verbatim")
      try commit.verify(expectedKey: key.publicKey)
      #expect(try commit.parsedSignature().namespace == CommitSignature.gitNamespace)
      #expect(throws: SignatureError.self) { try commit.verify(expectedKey: other.publicKey) }

      // Rewording the message breaks the signature.
      let payloadText = String(decoding: commit.payload, as: UTF8.self)
      let reworded = Array(
        payloadText.replacingOccurrences(of: "First release", with: "Last release").utf8)
      #expect(throws: SignatureError.signatureDoesNotMatch) {
        try SSHSignatureVerifier.verify(
          commit.parsedSignature(), message: reworded, namespace: "git",
          expectedKey: key.publicKey)
      }

      // The same signature moved into the message is not a signature any more.
      guard let armored = commit.armoredSignature else { return }
      let folded = "gpgsig " + armored.dropLast().replacingOccurrences(of: "\n", with: "\n ") + "\n"
      try Data(commit.payload + Array(folded.utf8)).write(
        to: directory.appendingPathComponent("moved.raw"))
      let oid = try Shell.run(
        "cd repo && git hash-object -t commit -w ../moved.raw", in: directory
      ).output.trimmingCharacters(in: .whitespacesAndNewlines)
      try Shell.run("cd repo && git cat-file commit \(oid) > ../moved-back.raw", in: directory)
      let movedRaw = try [UInt8](
        Data(contentsOf: directory.appendingPathComponent("moved-back.raw")))
      let moved = try CommitSignature.split(rawCommit: movedRaw)
      #expect(moved.signature == nil)
      #expect(moved.payload == movedRaw)
      let gitVerdict = try Shell.run(
        "cd repo && git verify-commit \(oid)", in: directory, check: false)
      #expect(gitVerdict.status != 0, "git agrees the moved commit is unsigned")
    }
  }
}
