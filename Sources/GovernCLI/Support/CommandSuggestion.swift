/// "did you mean": the subcommand closest to a misspelt one, as git does for its own commands.
enum CommandSuggestion {
  /// The names within two edits of `typed` (a swap of neighbours counts as one), closest first.
  static func closest(to typed: String, among names: [String]) -> [String] {
    let wanted = Array(typed.lowercased())
    return names.map { ($0, distance(wanted, Array($0))) }.filter { $0.1 <= 2 }
      .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and transpositions.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }
}
