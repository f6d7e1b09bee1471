/// How a change is classified: a pre-approved `standard` change, a `normal` one, or an `emergency`.
public enum ReleaseType: String, Codable, Sendable, CaseIterable {
  case standard, normal, emergency
}

/// How much could go wrong.
public enum Risk: String, Codable, Sendable, CaseIterable, Comparable {
  case low, medium, high, critical

  public static func < (lhs: Risk, rhs: Risk) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}
