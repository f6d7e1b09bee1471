/// A raw git commit object split into the signed payload and its SSH signature,
/// the way `git verify-commit` does for SHA-1 repositories.
///
/// Pure byte parsing: no git process, no repository access.
public struct CommitSignature: Sendable {
  /// The SSHSIG namespace git uses for commit and tag signatures.
  public static let gitNamespace = "git"

  /// The commit bytes without the `gpgsig` header: what the signature covers.
  public let payload: [UInt8]
  /// The armored signature from the `gpgsig` header, or nil for an unsigned commit.
  public let armoredSignature: String?

  /// Splits a raw commit object (as printed by `git cat-file commit`, without the
  /// `commit <size>\0` prefix).
  public init(rawCommit: [UInt8]) throws {
    (payload, armoredSignature) = try Self.split(rawCommit: rawCommit)
  }

  /// Separates the `gpgsig` header from the rest of the commit.
  ///
  /// Only the header section (up to the first empty line) is searched, so
  /// signature-like text in the commit message is ignored. The signature is the
  /// header value with its continuation lines, each line ending in `\n` as git
  /// reconstructs it.
  /// - Throws: `SignatureError.malformedCommit` for several `gpgsig` headers,
  ///   a `gpgsig-sha256` header, or a signature that is not UTF-8.
  public static func split(rawCommit: [UInt8]) throws -> (payload: [UInt8], signature: String?) {
    let newline = UInt8(ascii: "\n")
    var payload: [UInt8] = []
    payload.reserveCapacity(rawCommit.count)
    var signatureLines: [ArraySlice<UInt8>] = []
    var signatureHeaderCount = 0
    var inSignatureHeader = false
    var lineStart = rawCommit.startIndex
    while lineStart < rawCommit.endIndex {
      let newlineIndex = rawCommit[lineStart...].firstIndex(of: newline)
      let lineEnd = newlineIndex.map { $0 + 1 } ?? rawCommit.endIndex
      let line = rawCommit[lineStart..<lineEnd]
      let content = newlineIndex.map { rawCommit[lineStart..<$0] } ?? line
      if content.isEmpty {
        // End of the headers: the message follows verbatim.
        payload.append(contentsOf: rawCommit[lineStart...])
        break
      }
      if content.first == UInt8(ascii: " ") {
        if inSignatureHeader {
          signatureLines.append(content.dropFirst())
        } else {
          payload.append(contentsOf: line)
        }
      } else {
        inSignatureHeader = false
        switch headerKey(of: content) {
        case "gpgsig":
          signatureHeaderCount += 1
          inSignatureHeader = true
          signatureLines.append(content.dropFirst("gpgsig ".utf8.count))
        case "gpgsig-sha256":
          throw SignatureError.malformedCommit(
            "commit has a gpgsig-sha256 header; only SHA-1 repositories (gpgsig) are supported")
        default:
          payload.append(contentsOf: line)
        }
      }
      lineStart = lineEnd
    }
    guard signatureHeaderCount <= 1 else {
      throw SignatureError.malformedCommit("commit has \(signatureHeaderCount) gpgsig headers")
    }
    guard signatureHeaderCount == 1 else { return (rawCommit, nil) }
    let signatureBytes = signatureLines.flatMap { Array($0) + [newline] }
    guard let signature = String(validatingUTF8Bytes: signatureBytes) else {
      throw SignatureError.malformedCommit("the gpgsig header is not valid UTF-8")
    }
    return (payload, signature)
  }

  /// Parses the signature from the `gpgsig` header.
  /// - Throws: `SignatureError.commitNotSigned` when there is none.
  public func parsedSignature() throws -> SSHSignature {
    guard let armoredSignature else { throw SignatureError.commitNotSigned }
    return try SSHSignature(armored: armoredSignature)
  }

  /// Verifies the commit's signature in the `git` namespace.
  /// - Parameter expectedKey: the key that must have signed; nil accepts any key.
  public func verify(expectedKey: SSHPublicKey?) throws {
    try SSHSignatureVerifier.verify(
      parsedSignature(), message: payload, namespace: Self.gitNamespace, expectedKey: expectedKey)
  }

  private static func headerKey(of line: ArraySlice<UInt8>) -> String {
    let key = line.prefix(while: { $0 != UInt8(ascii: " ") })
    return String(decoding: key, as: UTF8.self)
  }
}
