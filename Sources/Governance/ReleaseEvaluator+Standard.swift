/// Whether a release requested as `standard` is one the policy pre-approves.
extension ReleaseEvaluator {
  /// The type the release is judged as, and a check saying why when it was requested as
  /// `standard`: the request's type is the requester's claim; a standard change counts only
  /// when its requester may request a template of `standard_changes` and every path the
  /// release changes fits that template. Anything else is judged as a `normal` change.
  public func judgedType(_ facts: ReleaseFacts) -> (ReleaseType, Check?) {
    let request = facts.request.record
    guard request.type == .standard else { return (request.type, nil) }
    let requester = facts.request.signer
    func normal(_ why: String) -> (ReleaseType, Check?) {
      (
        .normal,
        Check(
          "type", .warn,
          "requested as standard, but \(why); judged as a normal change")
      )
    }
    guard !policy.standardChanges.isEmpty else {
      return normal("the policy lists no standard_changes, so no change is pre-approved")
    }
    let allowed = policy.standardChanges.filter { $0.mayRequest(requester) }
    guard !allowed.isEmpty else {
      let names = policy.standardChanges.map { "\"\($0.name)\"" }.joined(separator: ", ")
      return normal("\(requester.id) may request none of the standard changes (\(names))")
    }
    guard let changed = facts.changedPaths else {
      return normal("the paths it changes could not be worked out")
    }
    var outside: [String] = []
    for template in allowed {
      guard let path = template.pathOutside(changed) else {
        return (
          .standard,
          Check(
            "type", .pass,
            "standard change \"\(template.name)\": \(requester.id) may request it, and all \(changed.count) "
              + "changed path\(changed.count == 1 ? "" : "s") fit its paths")
        )
      }
      outside.append(
        "\(path) is outside \"\(template.name)\" (\(template.paths.map(\.text).joined(separator: ", ")))"
      )
    }
    return normal(outside.joined(separator: "; "))
  }
}
