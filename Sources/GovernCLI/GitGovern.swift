import ArgumentParser

public struct GitGovern: ParsableCommand {
  public static let configuration = CommandConfiguration(commandName: "git-govern")
  public init() {}
}
