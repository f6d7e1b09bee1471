import Crypto
import Foundation
import GitKit
import Signing
import Synchronization

/// Signatures this user's git-govern has already seen verify, and governance commits it has
/// already re-checked and found sound, kept under the git directory
/// (`govern/verification-cache`, never pushed) so that a re-audit checks only what is new.
///
/// Each entry is one positive, deterministic fact about content-addressed objects: "the
/// signature in blob S verifies over the bytes of blob R, in the records' namespace, with the
/// public key whose wire form hashes to K" (or "commit C's signature header verifies over C
/// with key K"). Nothing that depends on people.yml or policy.yml is stored: whose key K is,
/// whether it was valid when the record was made, revoked since, or allowed to sign this is
/// judged afresh on every audit (`RecordVerifier.judge`). Failures are never stored, so an
/// entry can only spare an ed25519 verification, never change a verdict.
///
/// The third kind of fact is "governance commit C, checked as the server checks an update
/// (`GovernanceUpdateCheck`, without a server clock), by this build of git-govern, had no
/// problem". A commit id fixes its whole history (every parent, tree and blob, so the people
/// and policy in force at it), so the fact holds for as long as the rules that judged it are
/// the same: the entry names the check's rules and this build (`checker`), and any other build
/// finds none of them and checks every commit again.
///
/// The file is bound to the repository (its governance root commit), checksummed (SHA-256,
/// so a truncated or flipped file is told from a forged one) and sealed with HMAC-SHA-256
/// under a key kept outside the repository, in the user's configuration folder
/// (`verification-cache.key`). What that protects against: a repository handed to an
/// auditor (a copied folder, a shared bare repository, a tarball) by the people it governs,
/// carrying a cache that claims a bad signature verifies; a cache copied from another user or
/// machine. Such a file fails the seal and is ignored, and everything is verified. What it
/// does not protect against: someone who can read the auditor's key file, or run code as the
/// auditor; they could as well replace git-govern itself.
public final class VerificationCache: Sendable {
  /// The format this version writes; a file of any other is stale and ignored.
  static let formatVersion: UInt32 = 2
  static let magic = Array("GGVCACHE".utf8)
  /// magic, version, governance root, entry count.
  static let headerLength = 8 + 4 + 20 + 4
  /// kind, subject, signature blob, key digest.
  static let entryLength = 1 + 20 + 20 + 32
  /// SHA-256 checksum, then the HMAC seal, of everything before them.
  static let trailerLength = 32 + 32

  /// SHA-256 of an SSH public key's wire blob.
  struct KeyDigest: Hashable, Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    init(_ key: SSHPublicKey) { self.init(bytes: Array(SHA256.hash(data: key.blob))) }

    init(bytes: some Collection<UInt8>) {
      var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
      withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: bytes.prefix(32)) }
      self.words = words
    }

    var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

    static func == (lhs: KeyDigest, rhs: KeyDigest) -> Bool {
      lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
        && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) { hasher.combine(words.0) }
  }

  struct Entry: Hashable, Sendable {
    enum Kind: UInt8 {
      /// A record blob and the signature blob beside it.
      case record = 1
      /// A governance commit's own signature header (`signature` is zero).
      case commit = 2
      /// A governance state proven in force (`ProvenStateCache`).
      case state = 3
      /// A governance commit re-checked and found sound (`signature` is zero, `key` the
      /// digest of the checker that found it so).
      case soundCommit = 4
    }
    var kind: Kind
    var subject: OID
    var signature: OID
    var key: KeyDigest

    func hash(into hasher: inout Hasher) {
      hasher.combine(subject.hashWord ^ signature.hashWord.byteSwapped)
    }
  }

  private struct State {
    /// The governance root this cache is for; nil until `bind`, or when it cannot be used.
    var identity: OID?
    var known: Set<Entry> = []
    var learned: [Entry] = []
    /// Whether the file on disk must be written again (missing, ignored, or behind).
    var rewrite = false
    /// How many signatures were found here instead of verified.
    var hits = 0
    /// How many governance commits were found here instead of checked again.
    var soundCommitHits = 0
    /// How many were verified and added.
    var added = 0
    /// The seal's key, once read.
    var sealKey: [UInt8]?
  }

  public let file: URL
  /// Where the seal's key is kept: nil when there is no place for it (no HOME); then the
  /// cache is neither read nor written.
  public let keyFile: URL?
  private let warn: @Sendable (String) -> Void
  private let state = Mutex(State())

  /// Whether a file that cannot be written is said so (the audit's cache); the proven-state
  /// cache, written by every command, stays quiet in a repository it may only read.
  let warnsWhenUnwritable: Bool

  /// Who re-checks governance commits: the digest of the update check's rules revision and
  /// the build the caller names. Nil: no commit is taken from the cache or added to it.
  let checker: KeyDigest?

  /// `checker` names the build of git-govern that runs the audit (its version and what tells
  /// this executable from another build); nil keeps only signatures.
  public init(
    file: URL, keyFile: URL?, warnsWhenUnwritable: Bool = true, checker: String? = nil,
    warn: @escaping @Sendable (String) -> Void
  ) {
    self.file = file
    self.keyFile = keyFile
    self.warnsWhenUnwritable = warnsWhenUnwritable
    self.checker = checker.map {
      KeyDigest(
        bytes: Array(
          SHA256.hash(
            data: Array(
              "governance-update-check rules \(GovernanceUpdateCheck.rulesRevision); \($0)".utf8))))
    }
    self.warn = warn
  }

  /// The cache of `repository`: `govern/verification-cache` in its (common) git directory,
  /// sealed with the key in `$XDG_CONFIG_HOME/git-govern` (else `~/.config/git-govern`).
  public convenience init(
    for repository: Repository, environment: [String: String] = ProcessInfo.processInfo.environment,
    checker: String? = nil, warn: @escaping @Sendable (String) -> Void
  ) {
    let gitDirectory = URL(fileURLWithPath: repository.commonDirectory, isDirectory: true)
    let config =
      environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 + "/.config" }
    self.init(
      file: gitDirectory.appendingPathComponent("govern/verification-cache"),
      keyFile: config.map {
        URL(fileURLWithPath: $0).appendingPathComponent("git-govern/verification-cache.key")
      }, checker: checker, warn: warn)
  }

  /// Reads the file for the repository whose governance root is `root`. A file that is
  /// corrupt, stale, another repository's or not sealed by this user's key is ignored (and
  /// said so): every signature is then verified, and the file rewritten by `save`.
  public func bind(toGovernanceRoot root: OID) {
    guard let key = loadSealKey() else { return }
    let bytes: [UInt8]
    do {
      bytes = Array(try Data(contentsOf: file))
    } catch {
      // None yet (the first audit), or unreadable: everything is verified, and written.
      if FileManager.default.fileExists(atPath: file.path) {
        warn("\(ignored): it cannot be read (\(error.localizedDescription))")
      }
      state.withLock {
        $0.identity = root
        $0.sealKey = key
        $0.rewrite = true
      }
      return
    }
    let (entries, problem) = Self.parse(bytes, root: root, keyBytes: key)
    if let problem { warn("\(ignored): \(problem)") }
    state.withLock {
      $0.identity = root
      $0.sealKey = key
      $0.known = entries
      $0.rewrite = problem != nil
    }
  }

  /// Whether `bind` has read (or tried to read) the file.
  var isBound: Bool { state.withLock { $0.identity != nil } }

  private var ignored: String {
    "the verification cache \(file.path) is ignored, every signature is verified and the cache rewritten"
  }

  /// `parse` with the seal's key as bytes (tests read files as an attacker would).
  static func parse(_ bytes: [UInt8], root: OID, keyBytes: [UInt8]) -> (Set<Entry>, String?) {
    parse(bytes, root: root, key: SymmetricKey(data: keyBytes))
  }

  /// The entries of a cache file, or why it cannot be used (then none).
  static func parse(_ bytes: [UInt8], root: OID, key: SymmetricKey) -> (Set<Entry>, String?) {
    func refuse(_ why: String) -> (Set<Entry>, String?) { ([], why) }
    guard bytes.count >= headerLength + trailerLength, bytes.starts(with: magic) else {
      return refuse("it is not a git-govern verification cache (\(bytes.count) bytes)")
    }
    let version = readUInt32(bytes, at: 8)
    guard version == formatVersion else {
      return refuse(
        "it was written in format \(version), and this git-govern reads format \(formatVersion) (stale)"
      )
    }
    let count = Int(readUInt32(bytes, at: 32))
    let expected = headerLength + count * entryLength + trailerLength
    guard bytes.count == expected else {
      return refuse(
        "it is corrupt: \(bytes.count) bytes, where its \(count) entries take \(expected) (truncated or extended)"
      )
    }
    let body = bytes[..<(expected - trailerLength)]
    let checksum = bytes[(expected - trailerLength)..<(expected - 32)]
    guard Array(SHA256.hash(data: body)) == Array(checksum) else {
      return refuse("it is corrupt: its SHA-256 checksum does not match its contents")
    }
    let identity = OID(bytes: Array(bytes[12..<32]))
    guard identity == root else {
      return refuse(
        "it belongs to another repository (governance root \(identity?.hex.prefix(10) ?? "?"), this one's is \(root.hex.prefix(10)))"
      )
    }
    guard
      HMAC<SHA256>.isValidAuthenticationCode(
        Array(bytes[(expected - 32)...]), authenticating: body, using: key)
    else {
      return refuse(
        "its seal does not match this user's key: it was not written by this user's git-govern (copied from another user or machine, or forged)"
      )
    }
    var entries = Set<Entry>(minimumCapacity: count)
    var offset = headerLength
    for _ in 0..<count {
      guard let kind = Entry.Kind(rawValue: bytes[offset]),
        let subject = OID(bytes: bytes[(offset + 1)..<(offset + 21)]),
        let signature = OID(bytes: bytes[(offset + 21)..<(offset + 41)])
      else { return refuse("it is corrupt: entry at byte \(offset) is of no known kind") }
      entries.insert(
        Entry(
          kind: kind, subject: subject, signature: signature,
          key: KeyDigest(bytes: bytes[(offset + 41)..<(offset + 73)])))
      offset += entryLength
    }
    return (entries, nil)
  }

  /// The file's bytes for `entries`, sealed with `key`.
  static func render(_ entries: [Entry], root: OID, key: SymmetricKey) -> [UInt8] {
    render(entries, root: root, sealedWith: key.withUnsafeBytes { Array($0) })
  }

  /// `render` with the seal's key as bytes (tests forge files with a key of their own).
  static func render(_ entries: [Entry], root: OID, sealedWith keyBytes: [UInt8]) -> [UInt8] {
    let key = SymmetricKey(data: keyBytes)
    var bytes = magic
    bytes.reserveCapacity(headerLength + entries.count * entryLength + trailerLength)
    appendUInt32(formatVersion, to: &bytes)
    bytes += root.bytes
    appendUInt32(UInt32(entries.count), to: &bytes)
    for entry in entries {
      bytes.append(entry.kind.rawValue)
      bytes += entry.subject.bytes
      bytes += entry.signature.bytes
      bytes += entry.key.bytes
    }
    let checksum = Array(SHA256.hash(data: bytes))
    let seal = Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    return bytes + checksum + seal
  }

  /// Whether the record signature in blob `signature`, made with `key`, was seen to verify
  /// over blob `record`.
  func knows(record: OID, signature: OID, key: SSHPublicKey) -> Bool {
    contains(Entry(kind: .record, subject: record, signature: signature, key: KeyDigest(key)))
  }

  /// Remembers that it did (called only after `SSHSignatureVerifier.verify` succeeded).
  func learn(record: OID, signature: OID, key: SSHPublicKey) {
    add(Entry(kind: .record, subject: record, signature: signature, key: KeyDigest(key)))
  }

  /// Whether governance commit `commit`'s signature header, made with `key`, was seen to verify.
  func knows(commit: OID, key: SSHPublicKey) -> Bool {
    contains(Entry(kind: .commit, subject: commit, signature: .zero, key: KeyDigest(key)))
  }

  func learn(commit: OID, key: SSHPublicKey) {
    add(Entry(kind: .commit, subject: commit, signature: .zero, key: KeyDigest(key)))
  }

  /// Whether governance commit `commit` was re-checked by this checker and found sound.
  func knows(soundCommit commit: OID) -> Bool {
    guard let checker else { return false }
    return contains(Entry(kind: .soundCommit, subject: commit, signature: .zero, key: checker))
  }

  /// Remembers that it was (called only when the check found no problem in it).
  func learn(soundCommit commit: OID) {
    guard let checker else { return }
    add(Entry(kind: .soundCommit, subject: commit, signature: .zero, key: checker))
  }

  func contains(_ entry: Entry) -> Bool {
    state.withLock {
      guard $0.identity != nil, $0.known.contains(entry) else { return false }
      if entry.kind == .soundCommit { $0.soundCommitHits += 1 } else { $0.hits += 1 }
      return true
    }
  }

  /// What this audit took from the cache and added to it, for `GIT_GOVERN_TRACE`.
  public var summary: String {
    state.withLock {
      $0.identity == nil
        ? "verification cache not used"
        : "verification cache: \($0.hits) signatures known, \($0.soundCommitHits) governance commits known sound, \($0.added) verified and learned"
    }
  }

  func add(_ entry: Entry) {
    state.withLock {
      guard $0.identity != nil, !$0.known.contains(entry) else { return }
      $0.learned.append(entry)
      $0.added += 1
    }
  }

  /// Writes what is known and what was learned, atomically (a temporary file renamed over
  /// the old one), when anything changed. A failure is a warning: the audit's verdict does
  /// not depend on the cache.
  public func save() {
    let (identity, key, learned, rewrite) = state.withLock { state in
      (state.identity, state.sealKey, state.learned.count, state.rewrite)
    }
    guard let identity, let key, rewrite || learned > 0 else { return }
    let all = state.withLock { state -> [Entry] in
      state.known.formUnion(state.learned)
      state.learned = []
      state.rewrite = false
      return Array(state.known)
    }
    let bytes = Self.render(all, root: identity, sealedWith: key)
    do {
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: file, options: .atomic)
    } catch {
      guard warnsWhenUnwritable else { return }
      warn(
        "could not write the verification cache \(file.path) (\(error.localizedDescription)); the audit is complete, the next one verifies every signature again"
      )
    }
  }

  /// The key the cache is sealed with, made (32 random bytes, readable by this user only) on
  /// first use. Nil, with a warning, when it can be neither read nor made.
  private func loadSealKey() -> [UInt8]? {
    guard let keyFile else {
      warn(
        "no home folder for the verification cache's key (HOME is not set): the audit runs without the cache"
      )
      return nil
    }
    if let bytes = try? Data(contentsOf: keyFile), bytes.count == 32 { return Array(bytes) }
    do {
      let folder = keyFile.deletingLastPathComponent()
      try FileManager.default.createDirectory(
        at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
      // Written whole under another name, then put in place: a concurrent audit reads either
      // no key or a whole one (a key replaced under it only makes its cache be verified again).
      let temporary = folder.appendingPathComponent(".\(keyFile.lastPathComponent).\(getpid())")
      guard
        FileManager.default.createFile(
          atPath: temporary.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
      else { throw LedgerError("cannot create \(temporary.path)") }
      if link(temporary.path, keyFile.path) != 0 {
        // Made by another process meanwhile (keep it), or there and damaged (replace it).
        if let existing = try? Data(contentsOf: keyFile), existing.count == 32 {
          try? FileManager.default.removeItem(at: temporary)
          return Array(existing)
        }
        guard rename(temporary.path, keyFile.path) == 0 else {
          throw LedgerError("cannot put it in place (errno \(errno))")
        }
      } else {
        try? FileManager.default.removeItem(at: temporary)
      }
      return bytes
    } catch {
      warn(
        "cannot make the verification cache's key \(keyFile.path) (\(error)): the audit runs without the cache"
      )
      return nil
    }
  }

  private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
  }

  private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> shift))
    }
  }
}
