/// Turns what the gate says to the person pushing ("carol can run `git govern approve r-…`")
/// into what an auditor reads about a release that already shipped: which control failed and
/// who could have satisfied it, with no command to run, since approving now changes nothing.
public enum AuditorText {
  /// One blocker's message, reworded: offers to approve become "could have approved", and the
  /// fix that follows the problem (from the first `git govern` command on) is left out.
  public static func plain(_ message: String) -> String {
    var text = message
    while let offer = text.range(of: " can run `git govern approve ") {
      guard let close = text[offer.upperBound...].firstIndex(of: "`") else { break }
      text.replaceSubrange(offer.lowerBound...close, with: " could have approved")
    }
    guard let command = text.range(of: "git govern ") else { return text }
    let before = text[..<command.lowerBound]
    let cuts = [": ", "; ", ". ", " ("].compactMap { before.range(of: $0, options: .backwards) }
    guard let cut = cuts.max(by: { $0.lowerBound < $1.lowerBound }) else { return text }
    return String(text[..<cut.lowerBound])
  }

  /// What an auditor should know about a release that shipped while controls failed.
  public static func remediation(pushedAt: String, failed: [Check]) -> String? {
    guard !failed.isEmpty else { return nil }
    let controls = Set(failed.map(\.name)).sorted().joined(separator: ", ")
    return
      "Shipped at \(pushedAt) although the \(controls) control\(controls.contains(",") ? "s" : "") failed: "
      + failed.map { plain($0.message) }.joined(separator: "; ")
      + ". The push stands as made; approving the release now would not change what was checked then. "
      + "The deviation should be explained and signed off in a retrospective review of the release."
  }
}
