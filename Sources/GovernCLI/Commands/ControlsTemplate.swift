import ArgumentParser
import Foundation
import Governance

struct ControlsTemplate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "template",
    abstract: "Print a control catalog template to start from, or list them.",
    discussion: """
      git govern controls template soc2 > controls.yml; try it with \
      git govern audit --controls --controls-file controls.yml; a policy-admin puts it in force \
      with git govern controls apply controls.yml --push. The templates are compiled into \
      git-govern (templates/controls/ in its source).
      """)

  static let folder = "templates/controls"

  /// The templates by name: `soc2` for templates/controls/soc2.yml.
  static var names: [String] {
    ShareFiles.names(in: folder).filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }
  }

  @Argument(
    help: "The template (sox-itgc, soc2, iso27001, nist-800-53); without it, the list.",
    completion: .list(ControlsTemplate.names))
  var name: String?

  func run() throws {
    guard let name else {
      for name in Self.names {
        let text = try ShareFiles.text("\(Self.folder)/\(name).yml")
        let framework = (try? ControlCatalogParser.parse(text, file: name).framework) ?? ""
        Message.out("\(name)\t\(framework)")
      }
      return
    }
    guard Self.names.contains(name) else {
      let close = CommandSuggestion.closest(to: name, among: Self.names)
      let hint = close.isEmpty ? "" : " Did you mean \(close.joined(separator: " or "))?"
      throw UsageError(
        "there is no control catalog template \"\(name)\"; the templates are \(Self.names.joined(separator: ", ")).\(hint)"
      )
    }
    FileHandle.standardOutput.write(
      Data(try ShareFiles.text("\(Self.folder)/\(name).yml").utf8))
  }
}
