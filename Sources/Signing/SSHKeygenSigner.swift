import Foundation

/// Signs through OpenSSH's `ssh-keygen -Y sign`, so that passphrase-protected
/// keys and keys held by ssh-agent work exactly as they do for `git commit -S`.
///
/// `keyPath` is what git accepts as `user.signingkey` for `gpg.format=ssh`:
/// - a private key file (a leading `~/` is expanded);
/// - a public key file whose private half is loaded in ssh-agent (`SSH_AUTH_SOCK`);
/// - a literal public key, `ssh-ed25519 AAAA...` or `key::ecdsa-sha2-nistp256 AAAA...`
///   (agent only).
public struct SSHKeygenSigner: SSHMessageSigner {
  public let keyPath: String
  /// The environment for `ssh-keygen`; nil inherits this process's (including `SSH_AUTH_SOCK`).
  public let environment: [String: String]?

  public init(keyPath: String, environment: [String: String]? = nil) {
    self.keyPath = keyPath
    self.environment = environment
  }

  /// - Throws: `SignatureError.signingFailed` carrying ssh-keygen's error output.
  public func sign(_ message: [UInt8], namespace: String) throws -> String {
    let keyPath = keyPath
    func failure(_ reason: String) -> SignatureError {
      .signingFailed(keyPath: keyPath, reason: reason)
    }
    guard !namespace.isEmpty else { throw failure("the namespace is empty") }
    return try Self.reporting(otherErrorsAs: failure) {
      try TemporaryDirectory.withNew { directory in
        let keyFile = try signingKeyFile(in: directory, failure: failure)
        // The message goes in a file, never on stdin: without a terminal ssh-keygen
        // reads a key passphrase from stdin, which would swallow the message's
        // first line and sign the rest. The directory is fresh, so ssh-keygen
        // never finds an old `.sig` to ask about overwriting.
        let messageFile = directory.appendingPathComponent("message")
        let signatureFile = directory.appendingPathComponent("message.sig")
        try Data(message).write(to: messageFile)
        let result = try ProcessRunner.run(
          ["ssh-keygen", "-Y", "sign", "-f", keyFile, "-n", namespace, messageFile.path],
          environment: environment, in: directory)
        guard result.succeeded else {
          throw failure(
            result.failureDescription(ignoring: [
              "Signing file \(messageFile.path)", "Write signature to \(signatureFile.path)",
            ]))
        }
        guard let signature = FileManager.default.contents(atPath: signatureFile.path) else {
          throw failure("ssh-keygen wrote no signature file")
        }
        let armored = String(decoding: signature, as: UTF8.self)
        do {
          _ = try SSHSignature(armored: armored)
        } catch {
          throw failure("ssh-keygen wrote an unusable signature (\(error))")
        }
        return armored
      }
    }
  }

  /// The public key belonging to `keyPath`: read from `<keyPath>.pub` when it exists,
  /// else from `keyPath` itself when that is a public key, else derived with
  /// `ssh-keygen -y` from an unencrypted private key. Literal keys are parsed as is.
  /// - Throws: `SignatureError.keyUnavailable` saying why.
  public static func publicKey(
    forKeyPath keyPath: String, environment: [String: String]? = nil
  ) throws -> SSHPublicKey {
    func failure(_ reason: String) -> SignatureError {
      .keyUnavailable(keyPath: keyPath, reason: reason)
    }
    if let literal = literalPublicKey(in: keyPath) {
      do { return try SSHPublicKey(authorizedKey: literal) } catch { throw failure("\(error)") }
    }
    let path = expandingTilde(in: keyPath, environment: environment)
    guard
      let readable = [path + ".pub", path].first(where: {
        FileManager.default.isReadableFile(atPath: $0)
      }),
      let contents = FileManager.default.contents(atPath: readable)
    else {
      let manager = FileManager.default
      if !manager.fileExists(atPath: path), !manager.fileExists(atPath: path + ".pub") {
        throw SignatureError.keyFileMissing(keyPath: keyPath)
      }
      throw failure("neither \(path).pub nor \(path) is a readable file")
    }
    let text = String(decoding: contents, as: UTF8.self)
    if readable == path, text.contains("PRIVATE KEY-----") {
      return try reporting(otherErrorsAs: failure) {
        try derivePublicKey(fromPrivateKeyAt: path, environment: environment, failure: failure)
      }
    }
    let keyLine = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .first { !$0.isEmpty && !$0.hasPrefix("#") }
    do {
      return try SSHPublicKey(authorizedKey: keyLine ?? "")
    } catch {
      throw failure("\(readable): \(error)")
    }
  }

  private static func derivePublicKey(
    fromPrivateKeyAt path: String, environment: [String: String]?,
    failure: (String) -> SignatureError
  ) throws -> SSHPublicKey {
    try TemporaryDirectory.withNew { directory in
      // -P "" makes an encrypted key fail at once instead of prompting for its passphrase.
      let result = try ProcessRunner.run(
        ["ssh-keygen", "-y", "-P", "", "-f", path], environment: environment, in: directory)
      guard result.succeeded else { throw failure(result.failureDescription()) }
      do {
        return try SSHPublicKey(
          authorizedKey: String(decoding: result.standardOutput, as: UTF8.self))
      } catch {
        throw failure("ssh-keygen -y printed no usable public key (\(error))")
      }
    }
  }

  /// The path handed to `ssh-keygen -f`: the key file itself, or for a literal
  /// public key a file holding it (ssh-keygen then asks ssh-agent to sign).
  private func signingKeyFile(in directory: URL, failure: (String) -> SignatureError) throws
    -> String
  {
    guard let literal = Self.literalPublicKey(in: keyPath) else {
      return Self.expandingTilde(in: keyPath, environment: environment)
    }
    let key: SSHPublicKey
    do {
      key = try SSHPublicKey(authorizedKey: literal)
    } catch {
      throw failure("\(error)")
    }
    let file = directory.appendingPathComponent("signing-key.pub")
    try Data((key.authorizedKey + "\n").utf8).write(to: file)
    return file.path
  }

  /// Rethrows `SignatureError`s and turns anything else (temporary files,
  /// starting the process) into one built by `failure`.
  private static func reporting<Result>(
    otherErrorsAs failure: (String) -> SignatureError, _ body: () throws -> Result
  ) throws -> Result {
    do {
      return try body()
    } catch let error as SignatureError {
      throw error
    } catch {
      throw failure("could not run ssh-keygen: \(error.localizedDescription)")
    }
  }

  /// git's rule for literal keys in `user.signingkey`: a `key::` prefix, or text
  /// that starts with a key type.
  static func literalPublicKey(in keyPath: String) -> String? {
    let trimmed = keyPath.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix("key::") { return String(trimmed.dropFirst("key::".count)) }
    if SSHKeyType.allCases.contains(where: { trimmed.hasPrefix($0.rawValue + " ") }) {
      return trimmed
    }
    return nil
  }

  /// Expands a leading `~/` like git does for `user.signingkey`.
  static func expandingTilde(in path: String, environment: [String: String]?) -> String {
    guard path.hasPrefix("~/"),
      let home = (environment ?? ProcessInfo.processInfo.environment)["HOME"], !home.isEmpty
    else { return path }
    return home + path.dropFirst(1)
  }
}
