import ArgumentParser

/// The key a command signs with: `--signing-key`, the one name on every command that signs
/// (it says what it is, like git's `user.signingkey`, and does not clash with `identity add
/// --key`, which names the key being registered). `--key`, its name before, still works on the
/// commands that had it, hidden from help so new scripts learn one name.
struct SigningKeyOption: ParsableArguments {
  @Option(
    name: .customLong("signing-key"),
    help: "SSH key to sign with (default: user.signingkey).",
    completion: .file())
  var signingKey: String?

  @Option(name: .customLong("key"), help: .hidden)
  var legacyKey: String?

  /// The key given on the command line, if any; `nil` means `user.signingkey`.
  var path: String? { signingKey ?? legacyKey }

  func validate() throws {
    if let signingKey, let legacyKey, signingKey != legacyKey {
      throw ValidationError(
        "--signing-key \(signingKey) and --key \(legacyKey) name two keys; give one (--key is the old name of --signing-key)"
      )
    }
  }
}
