import ArgumentParser
import Foundation
import Governance
import Ledger

/// The values the completion scripts ask the binary for while the user presses TAB: release ids
/// from the governance branch and principals from its people.yml. Read straight from the tip,
/// unproven: a suggestion is not a decision, and it must answer at once. Any failure (no
/// repository, no branch) suggests nothing rather than printing an error into the prompt.
enum ShellCompletion {
  static let releases = CompletionKind.custom { words, _, prefix in
    suggestions(words: words, prefix: prefix) { snapshot in
      try snapshot.entries(in: "releases").flatMap { shard in
        try snapshot.entries(in: "releases/\(shard.name)").map(\.name)
      }
      .filter(LedgerPaths.isValidReleaseID)
    }
  }

  static let people = CompletionKind.custom { words, _, prefix in
    suggestions(words: words, prefix: prefix) { snapshot in
      guard let bytes = try snapshot.file(at: LedgerPaths.people) else { return [] }
      return try PeopleFile.parse(String(decoding: bytes, as: UTF8.self)).persons.map(\.id)
    }
  }

  private static func suggestions(
    words: [String], prefix: String, _ list: (LedgerSnapshot) throws -> [String]
  ) -> [String] {
    // `git govern -C <dir> approve <TAB>`: complete from the repository the command would use.
    for (index, word) in words.enumerated().dropLast() where word == "-C" {
      _ = FileManager.default.changeCurrentDirectoryPath(words[index + 1])
    }
    guard let snapshot = try? Session().ledger.snapshot(), let values = try? list(snapshot) else {
      return []
    }
    return values.filter { $0.hasPrefix(prefix) }.sorted()
  }
}
