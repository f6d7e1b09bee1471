import Foundation

/// git-govern's own files, `templates/` and `hooks/`, by their path in the source tree. They are
/// compiled in (`Generated/EmbeddedShare.swift`, written by `scripts/embed-share`), so the
/// binary alone can init a repository and install its hooks wherever it was copied. A file in
/// the folder `GIT_GOVERN_SHARE` names, laid out the same way, is read instead of its
/// compiled-in copy: an organisation's own `templates/policy.yml` for `init`, say.
enum ShareFiles {
  static func text(_ path: String) throws -> String {
    if let folder = ProcessInfo.processInfo.environment["GIT_GOVERN_SHARE"], !folder.isEmpty {
      let url = URL(fileURLWithPath: folder).appendingPathComponent(path)
      if FileManager.default.fileExists(atPath: url.path) {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
          throw UsageError("cannot read \(url.path) (GIT_GOVERN_SHARE) as UTF-8 text")
        }
        return text
      }
    }
    guard let text = EmbeddedShare.files[path] else {
      throw UsageError("git-govern carries no file \(path)")
    }
    return text
  }

  /// The names of the compiled-in files directly in `folder` (`templates/controls`).
  static func names(in folder: String) -> [String] {
    let prefix = folder.hasSuffix("/") ? folder : folder + "/"
    return EmbeddedShare.files.keys.filter { $0.hasPrefix(prefix) }
      .map { String($0.dropFirst(prefix.count)) }.filter { !$0.contains("/") }.sorted()
  }
}
