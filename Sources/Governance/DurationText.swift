/// Durations as people write them in policy files: `72h`, `90m`, `1h30m`, `2d`, `1w`, `45s`.
public enum DurationText {
  public static func seconds(from text: String) -> Int? {
    let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800]
    var total = 0
    var digits = ""
    var sawUnit = false
    for character in text {
      if character.isASCII, character.isNumber {
        digits.append(character)
      } else if let unit = units[character], let value = Int(digits) {
        let (product, overflow1) = value.multipliedReportingOverflow(by: unit)
        let (sum, overflow2) = total.addingReportingOverflow(product)
        guard !overflow1, !overflow2 else { return nil }
        total = sum
        digits = ""
        sawUnit = true
      } else {
        return nil
      }
    }
    return digits.isEmpty && sawUnit ? total : nil
  }

  public static func text(fromSeconds seconds: Int) -> String {
    var remaining = seconds
    var parts: [String] = []
    for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where remaining >= size {
      parts.append("\(remaining / size)\(unit)")
      remaining %= size
    }
    return parts.isEmpty ? "0s" : parts.joined()
  }
}
