internal import Clibgit2
import Foundation

/// One `git -c key=value` style override; `value == nil` is git's valueless form
/// (`git -c key`), which reads as boolean true and as the empty string.
struct ConfigOverride: Equatable, Sendable {
  /// Canonical: section and variable name lowercased, subsection kept as is.
  let key: String
  let value: String?
}

/// The repository configuration snapshot plus the command-line overrides read at load.
final class ConfigSnapshot {
  let snapshot: OpaqueHandle
  let overrides: [ConfigOverride]

  init(snapshot: OpaqueHandle, overrides: [ConfigOverride]) {
    self.snapshot = snapshot
    self.overrides = overrides
  }

  func override(for key: String) -> ConfigOverride? {
    guard let canonical = canonicalConfigKey(key) else { return nil }
    return overrides.last(where: { $0.key == canonical })
  }
}

extension Repository {
  /// A snapshot (`git_repository_config_snapshot`: system, XDG, global, repository levels) of
  /// the configuration, taken at the first config read and kept for the handle's lifetime
  /// (see `reloadConfiguration()`), with git's command-line overrides layered on top:
  /// `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` first, then
  /// `GIT_CONFIG_PARAMETERS` (what `git -c k=v govern ...` exports), later entries winning,
  /// exactly as git orders them. libgit2 reads neither variable itself.
  func configuration() throws -> ConfigSnapshot {
    if let configCache { return configCache }
    let overrides = try configOverrides(from: environment)
    let snapshot = try acquire(
      "git_repository_config_snapshot", parent: handle, release: git_config_free
    ) { git_repository_config_snapshot($0, pointer) }
    let loaded = ConfigSnapshot(snapshot: snapshot, overrides: overrides)
    configCache = loaded
    return loaded
  }

  /// Drops the cached configuration snapshot; the next read takes a new one.
  public func reloadConfiguration() {
    configCache = nil
  }

  /// The value of `key` ("section.name" or "section.subsection.name"; section and name are
  /// case-insensitive), nil when unset. A valueless entry reads as "" (as `git config` does).
  /// Multi-valued keys give the last value.
  public func configString(_ key: String) throws -> String? {
    let config = try configuration()
    if let entry = config.override(for: key) { return entry.value ?? "" }
    var out: UnsafePointer<CChar>? = nil
    let found = try config.snapshot.with { snapshot in
      try gitCallAllowingNotFound("git_config_get_string('\(key)')") {
        git_config_get_string(&out, snapshot, key)
      }
    }
    return found ? String(gitString: out) : nil
  }

  /// `key` as a git boolean (true/yes/on/1..., false/no/off/0/""; valueless = true); nil when
  /// unset; an unparsable value is an error.
  public func configBool(_ key: String) throws -> Bool? {
    let config = try configuration()
    if let entry = config.override(for: key) {
      guard let value = entry.value else { return true }
      var result: Int32 = 0
      try gitCall("config '\(key)' from command-line override") {
        git_config_parse_bool(&result, value)
      }
      return result != 0
    }
    var result: Int32 = 0
    let found = try config.snapshot.with { snapshot in
      try gitCallAllowingNotFound("git_config_get_bool('\(key)')") {
        git_config_get_bool(&result, snapshot, key)
      }
    }
    return found ? result != 0 : nil
  }

  /// `key` as a git integer (with k/m/g suffixes); nil when unset; unparsable is an error.
  public func configInt(_ key: String) throws -> Int64? {
    let config = try configuration()
    if let entry = config.override(for: key) {
      var result: Int64 = 0
      try gitCall("config '\(key)' from command-line override") {
        git_config_parse_int64(&result, entry.value ?? "")
      }
      return result
    }
    var result: Int64 = 0
    let found = try config.snapshot.with { snapshot in
      try gitCallAllowingNotFound("git_config_get_int64('\(key)')") {
        git_config_get_int64(&result, snapshot, key)
      }
    }
    return found ? result : nil
  }
}

// MARK: - git's command-line override formats

/// Section and variable name lowercased, subsection untouched; nil if `key` has no section
/// or no variable name.
func canonicalConfigKey(_ key: String) -> String? {
  guard let firstDot = key.firstIndex(of: "."), let lastDot = key.lastIndex(of: ".") else {
    return nil
  }
  let section = key[..<firstDot]
  let name = key[key.index(after: lastDot)...]
  guard !section.isEmpty, !name.isEmpty else { return nil }
  if firstDot == lastDot { return section.lowercased() + "." + name.lowercased() }
  let subsection = key[key.index(after: firstDot)..<lastDot]
  return section.lowercased() + "." + subsection + "." + name.lowercased()
}

/// GIT_CONFIG_COUNT entries, then GIT_CONFIG_PARAMETERS entries (git's order).
func configOverrides(from environment: [String: String]) throws -> [ConfigOverride] {
  var result: [ConfigOverride] = []
  if let countText = environment["GIT_CONFIG_COUNT"], !countText.isEmpty {
    guard let count = Int(countText), count >= 0 else {
      throw GitError.invalid(
        "bogus count in GIT_CONFIG_COUNT: '\(countText)'", operation: "GIT_CONFIG_COUNT",
        errorClass: configErrorClass)
    }
    for i in 0..<count {
      guard let key = environment["GIT_CONFIG_KEY_\(i)"] else {
        throw GitError.invalid(
          "missing config key GIT_CONFIG_KEY_\(i)", operation: "GIT_CONFIG_COUNT",
          errorClass: configErrorClass)
      }
      guard let value = environment["GIT_CONFIG_VALUE_\(i)"] else {
        throw GitError.invalid(
          "missing config value GIT_CONFIG_VALUE_\(i)", operation: "GIT_CONFIG_COUNT",
          errorClass: configErrorClass)
      }
      guard let canonical = canonicalConfigKey(key) else {
        throw GitError.invalid(
          "invalid config key '\(key)' in GIT_CONFIG_KEY_\(i)", operation: "GIT_CONFIG_COUNT",
          errorClass: configErrorClass)
      }
      result.append(ConfigOverride(key: canonical, value: value))
    }
  }
  if let parameters = environment["GIT_CONFIG_PARAMETERS"] {
    result += try parseConfigParameters(parameters)
  }
  return result
}

/// Parses `GIT_CONFIG_PARAMETERS` like git's `parse_config_env_list`: whitespace-separated
/// shell-single-quoted items, old style `'key=value'` / `'key'` or new style (git 2.31+)
/// `'key'='value'` / `'key'=` (valueless). Inside an item, `'\''` and `'\!'` stand for a
/// quote and an exclamation mark.
func parseConfigParameters(_ text: String) throws -> [ConfigOverride] {
  let bytes = Array(text.utf8)
  var index = 0
  var result: [ConfigOverride] = []

  func bogus(_ why: String) -> GitError {
    GitError.invalid(
      "bogus format in GIT_CONFIG_PARAMETERS (\(why)): \(text)",
      operation: "GIT_CONFIG_PARAMETERS", errorClass: configErrorClass)
  }
  func isSpace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d || b == 0x0b || b == 0x0c
  }

  /// git's `sq_dequote_step`: reads one quoted word starting at `index`.
  func dequoteStep() throws -> String {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "'") else {
      throw bogus("expected a single-quoted item at offset \(index)")
    }
    var out: [UInt8] = []
    index += 1
    while true {
      guard index < bytes.count else { throw bogus("unterminated quote") }
      let c = bytes[index]
      index += 1
      if c != UInt8(ascii: "'") {
        out.append(c)
        continue
      }
      // Stepped out of the quotes: a backslash-escaped ' or ! followed by a reopening quote
      // continues the word; anything else ends it.
      if index + 2 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
        bytes[index + 1] == UInt8(ascii: "'") || bytes[index + 1] == UInt8(ascii: "!"),
        bytes[index + 2] == UInt8(ascii: "'")
      {
        out.append(bytes[index + 1])
        index += 3
        continue
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  func makeOverride(key rawKey: String, value: String?) throws -> ConfigOverride {
    let key = rawKey.trimmingCharacters(in: .whitespaces)
    guard let canonical = canonicalConfigKey(key) else {
      throw GitError.invalid(
        "invalid config key '\(rawKey)' in GIT_CONFIG_PARAMETERS",
        operation: "GIT_CONFIG_PARAMETERS", errorClass: configErrorClass)
    }
    return ConfigOverride(key: canonical, value: value)
  }

  while index < bytes.count && isSpace(bytes[index]) { index += 1 }
  while index < bytes.count {
    let word = try dequoteStep()
    if index >= bytes.count || isSpace(bytes[index]) {
      // Old style: 'key=value' or 'key'.
      if let eq = word.firstIndex(of: "=") {
        let key = String(word[..<eq])
        if key.isEmpty { throw bogus("empty key in '\(word)'") }
        result.append(try makeOverride(key: key, value: String(word[word.index(after: eq)...])))
      } else {
        if word.isEmpty { throw bogus("empty item") }
        result.append(try makeOverride(key: word, value: nil))
      }
    } else if bytes[index] == UInt8(ascii: "=") {
      // New style: 'key'='value' or 'key'=.
      index += 1
      if index < bytes.count && bytes[index] == UInt8(ascii: "'") {
        let value = try dequoteStep()
        if index < bytes.count && !isSpace(bytes[index]) {
          throw bogus("garbage after the value of '\(word)'")
        }
        result.append(try makeOverride(key: word, value: value))
      } else if index >= bytes.count || isSpace(bytes[index]) {
        result.append(try makeOverride(key: word, value: nil))
      } else {
        throw bogus("unquoted value for '\(word)'")
      }
    } else {
      throw bogus("unexpected character after '\(word)'")
    }
    while index < bytes.count && isSpace(bytes[index]) { index += 1 }
  }
  return result
}

let configErrorClass = Int32(GIT_ERROR_CONFIG.rawValue)

extension Repository {
  /// Sets `key` in the repository's own config file (`.git/config`, or `config` in a bare
  /// repository), as `git config key value` does.
  public func setConfigString(_ key: String, _ value: String) throws {
    let config = try acquire("git_repository_config", parent: handle, release: git_config_free) {
      git_repository_config($0, pointer)
    }
    let local = try acquire(
      "git_config_open_level(local)", parent: config, release: git_config_free
    ) { out in
      config.with { git_config_open_level(out, $0, GIT_CONFIG_LEVEL_LOCAL) }
    }
    try local.with { handle in
      _ = try gitCall("git_config_set_string('\(key)')") {
        git_config_set_string(handle, key, value)
      }
    }
    reloadConfiguration()
  }
}
