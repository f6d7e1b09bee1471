import ArgumentParser
import Foundation

/// `git govern _manual <dir>`: writes the man pages (`make man`, `make install`). Hidden: it is
/// for building and packaging, not for everyday use.
struct Manual: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "_manual",
    abstract:
      "Write git-govern's man pages (git-govern.1, git-govern-<command>.1, …) into a directory.",
    shouldDisplay: false)

  @Argument(help: "The directory to write the pages into (created if missing), e.g. man/man1.")
  var directory: String

  func run() throws {
    let pages = try ManualPage.all()
    let folder = URL(fileURLWithPath: directory)
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for page in pages {
        try Data(page.text.utf8).write(
          to: folder.appendingPathComponent("\(page.name).1"), options: .atomic)
      }
    } catch {
      throw UsageError(
        "\(directory): cannot write the man pages there (\(error.localizedDescription))")
    }
    Message.note("Wrote \(pages.count) man pages to \(directory).")
  }
}
