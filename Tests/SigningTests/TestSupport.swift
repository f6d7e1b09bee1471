import Foundation
import Testing

@testable import Signing

/// A scratch directory removed when `body` returns.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("signing-tests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url)
}

struct CommandResult {
  var status: Int32
  var output: String
  var error: String
}

struct CommandFailed: Error, CustomStringConvertible {
  var command: String
  var result: CommandResult
  var description: String {
    "`\(command)` exited \(result.status): \(result.error)\(result.output)"
  }
}

/// Runs shell commands with an environment that knows nothing of the user's
/// ~/.ssh, ssh-agent or git configuration.
enum Shell {
  static func cleanEnvironment(home: URL) -> [String: String] {
    [
      "PATH": "/usr/local/bin:/usr/bin:/bin",
      "HOME": home.path,
      "LANG": "C",
      "GIT_CONFIG_NOSYSTEM": "1",
      // Any passphrase prompt fails at once instead of waiting for a terminal.
      "SSH_ASKPASS": "/bin/false",
      "SSH_ASKPASS_REQUIRE": "force",
    ]
  }

  /// Runs `script` with /bin/sh in `directory` (which is also HOME).
  @discardableResult
  static func run(
    _ script: String, in directory: URL, extraEnvironment: [String: String] = [:],
    check: Bool = true
  ) throws -> CommandResult {
    let outURL = directory.appendingPathComponent(".out-\(UUID().uuidString)")
    let errURL = directory.appendingPathComponent(".err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    defer {
      try? out.close()
      try? err.close()
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = directory
    process.environment = cleanEnvironment(home: directory).merging(extraEnvironment) { $1 }
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    let result = CommandResult(
      status: process.terminationStatus,
      output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      error: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    if check && result.status != 0 {
      throw CommandFailed(command: script, result: result)
    }
    return result
  }
}

/// Quotes a string for /bin/sh.
func shellQuoted(_ text: String) -> String {
  "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The key types the tests generate with ssh-keygen.
enum TestKeyKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case ed25519
  case ecdsa256
  case ecdsa384
  case ecdsa521
  case rsa3072

  var keygenArguments: String {
    switch self {
    case .ed25519: return "-t ed25519"
    case .ecdsa256: return "-t ecdsa -b 256"
    case .ecdsa384: return "-t ecdsa -b 384"
    case .ecdsa521: return "-t ecdsa -b 521"
    case .rsa3072: return "-t rsa -b 3072"
    }
  }

  var algorithm: String {
    switch self {
    case .ed25519: return "ssh-ed25519"
    case .ecdsa256: return "ecdsa-sha2-nistp256"
    case .ecdsa384: return "ecdsa-sha2-nistp384"
    case .ecdsa521: return "ecdsa-sha2-nistp521"
    case .rsa3072: return "ssh-rsa"
    }
  }

  var testDescription: String { rawValue }
}

/// A key pair written by `ssh-keygen` into a test directory.
struct TestKey {
  var privatePath: String
  var publicPath: String
  var publicKey: SSHPublicKey

  /// Generates `<directory>/<name>` and `<name>.pub` without a passphrase.
  static func generate(
    _ kind: TestKeyKind, named name: String, in directory: URL, passphrase: String = ""
  ) throws -> TestKey {
    try generate(
      arguments: kind.keygenArguments, named: name, in: directory, passphrase: passphrase)
  }

  static func generate(
    arguments: String, named name: String, in directory: URL, passphrase: String = ""
  ) throws -> TestKey {
    let path = directory.appendingPathComponent(name).path
    try Shell.run(
      "ssh-keygen -q \(arguments) -N \(shellQuoted(passphrase)) -C \(name)@test -f \(shellQuoted(path))",
      in: directory)
    let line = try String(contentsOfFile: path + ".pub", encoding: .utf8)
    return TestKey(
      privatePath: path, publicPath: path + ".pub", publicKey: try SSHPublicKey(authorizedKey: line)
    )
  }
}

/// Writes an allowed_signers file naming `key` as `signer`.
@discardableResult
func writeAllowedSigners(_ key: SSHPublicKey, to url: URL, identity: String = "signer") throws
  -> URL
{
  try "\(identity) \(key.authorizedKey)\n".write(to: url, atomically: true, encoding: .utf8)
  return url
}

/// A small deterministic generator so failing random cases can be reproduced.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension RandomNumberGenerator {
  mutating func bytes(count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
  }
}

/// Decodes the base64 body of an armored signature without the module's parser.
func armoredBody(_ armored: String) -> [UInt8] {
  let body = armored.split(whereSeparator: \.isNewline)
    .filter { !$0.hasPrefix("-----") }.joined()
  return [UInt8](Data(base64Encoded: body) ?? Data())
}

/// Armors binary SSHSIG bytes the way ssh-keygen does, without the module's encoder.
func armor(_ bytes: [UInt8]) -> String {
  let base64 = Data(bytes).base64EncodedString()
  var lines: [String] = []
  var rest = Substring(base64)
  while !rest.isEmpty {
    lines.append(String(rest.prefix(70)))
    rest = rest.dropFirst(70)
  }
  return "-----BEGIN SSH SIGNATURE-----\n" + lines.joined(separator: "\n")
    + "\n-----END SSH SIGNATURE-----\n"
}

/// A scratch directory removed when the async `body` returns.
func withTemporaryDirectoryAsync<Result>(_ body: (URL) async throws -> Result) async throws
  -> Result
{
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("signing-tests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try await body(url)
}

/// Exit status of `ssh-keygen -Y verify` for each armored signature over `message`,
/// with `key` as the only allowed signer.
func sshKeygenVerifyStatuses(
  _ signatures: [String], message: [UInt8], namespace: String, key: SSHPublicKey, in directory: URL
) throws -> [Int32] {
  try writeAllowedSigners(key, to: directory.appendingPathComponent("allowed"))
  try Data(message).write(to: directory.appendingPathComponent("msg"))
  return try signatures.enumerated().map { index, armored in
    try armored.write(
      to: directory.appendingPathComponent("s\(index).sig"), atomically: true, encoding: .utf8)
    return try Shell.run(
      "ssh-keygen -Y verify -f allowed -I signer -n \(shellQuoted(namespace)) -s s\(index).sig < msg",
      in: directory, check: false
    ).status
  }
}
