import Foundation

/// A day of the week, Monday first (ISO 8601 numbering: Monday = 1 … Sunday = 7).
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
  case monday = 1
  case tuesday, wednesday, thursday, friday, saturday, sunday

  /// The short name policies use: `mon`, `tue`, … `sun`.
  public var shortName: String { String(fullName.prefix(3)) }

  public var fullName: String {
    switch self {
    case .monday: "monday"
    case .tuesday: "tuesday"
    case .wednesday: "wednesday"
    case .thursday: "thursday"
    case .friday: "friday"
    case .saturday: "saturday"
    case .sunday: "sunday"
    }
  }

  public var description: String { shortName }

  /// Reads `fri`, `Fri`, `FRI`, `friday`, `Friday`: short or full English names, any case.
  public init?(name: String) {
    let wanted = name.lowercased()
    guard
      let day = Weekday.allCases.first(where: { $0.shortName == wanted || $0.fullName == wanted })
    else { return nil }
    self = day
  }

  public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A wall-clock date and time with no zone attached, to the minute: `2026-12-20T00:00`.
/// `24:00` is accepted and means 00:00 of the next day, so it is stored that way.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int
  /// Minutes since local midnight, 0 ... 1439.
  public let minuteOfDay: Int

  /// A valid Gregorian date (leap years included) and a time of day from 0 to 1440 minutes.
  public init?(year: Int, month: Int, day: Int, minuteOfDay: Int = 0) {
    guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
      (0...1440).contains(minuteOfDay)
    else { return nil }
    var days = CivilDate.days(year: year, month: month, day: day)
    var minute = minuteOfDay
    if minute == 1440 {
      days += 1
      minute = 0
    }
    let civil = CivilDate.civil(fromDays: days)
    (self.year, self.month, self.day, self.minuteOfDay) = (
      civil.year, civil.month, civil.day, minute
    )
  }

  init(daysSinceEpoch: Int64, minuteOfDay: Int) {
    let civil = CivilDate.civil(fromDays: daysSinceEpoch)
    (year, month, day, self.minuteOfDay) = (civil.year, civil.month, civil.day, minuteOfDay)
  }

  /// Reads `2026-12-20` (its 00:00), `2026-12-20T09:30` or `2026-12-20 09:30`. No seconds, no offset:
  /// the time is local to whichever zone it is read in.
  public static func parse(_ text: String) -> LocalDateTime? {
    let characters = Array(text)
    guard characters.count >= 10, characters[4] == "-", characters[7] == "-",
      let year = Int(digits: characters[0..<4]), let month = Int(digits: characters[5..<7]),
      let day = Int(digits: characters[8..<10])
    else { return nil }
    var minute = 0
    if characters.count > 10 {
      guard characters[10] == "T" || characters[10] == " ",
        let time = TimeOfDay.parse(String(characters[11...])), time.isValid(allowingEndOfDay: true)
      else { return nil }
      minute = time.total
    }
    return LocalDateTime(year: year, month: month, day: day, minuteOfDay: minute)
  }

  var daysSinceEpoch: Int64 { CivilDate.days(year: year, month: month, day: day) }

  /// Seconds since 1970-01-01T00:00 on a clock that never changes offset.
  var wallSeconds: Int64 { daysSinceEpoch * 86400 + Int64(minuteOfDay) * 60 }

  public var weekday: Weekday { CivilDate.weekday(ofDays: daysSinceEpoch) }

  public var description: String {
    String(format: "%04d-%02d-%02dT", year, month, day) + TimeOfDay.text(minuteOfDay)
  }

  public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
    lhs.wallSeconds < rhs.wallSeconds
  }
}

/// An IANA time zone such as `Europe/London`, kept with the name as the policy spells it.
///
/// Local times become instants by the zone's rules, daylight saving included:
/// - a local time that does not exist (the spring-forward gap, e.g. 01:30 on 2026-03-29 in
///   Europe/London) becomes the first instant after the gap (02:00 BST, 01:00Z);
/// - a local time that happens twice (the autumn repeat, e.g. 01:30 on 2026-10-25 in
///   Europe/London) becomes the earliest of the two instants for `.earliest` and the latest
///   for `.latest`. Freezes read `from` as earliest and `until` as latest, so a freeze that
///   touches the repeated hour covers all of it: they fail closed.
public struct IANATimeZone: Sendable, Hashable, CustomStringConvertible {
  /// The name as written (`UTC` stays `UTC`, though Foundation calls it `GMT`).
  public let identifier: String
  public let timeZone: TimeZone

  /// Which instant a repeated local time means.
  public enum Ambiguity: Sendable {
    case earliest, latest
  }

  /// A zone from the IANA database. Refused: unknown names (names are case-sensitive), and
  /// Foundation's custom-offset forms such as `GMT+1` that are not IANA names.
  public init?(_ identifier: String) {
    guard let zone = TimeZone(identifier: identifier), Self.looksIANA(identifier) else {
      return nil
    }
    self.identifier = identifier
    self.timeZone = zone
  }

  public static let utc = IANATimeZone("UTC")!

  public var description: String { identifier }

  public static func == (lhs: IANATimeZone, rhs: IANATimeZone) -> Bool {
    lhs.identifier == rhs.identifier
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

  /// What to say about a name that is not a zone: `timezone "Europe/Londn" is not an IANA time
  /// zone, e.g. Europe/London` — the example is the nearest real name when one is close.
  public static func unknownZoneMessage(_ text: String, what: String = "timezone") -> String {
    "\(what) \"\(text)\" is not an IANA time zone, e.g. \(suggestion(for: text) ?? "Europe/London")"
  }

  /// The known zone closest to a misspelt name, if any: the same name in another case, or for
  /// an `Area/Place` name, one at most two edits away.
  public static func suggestion(for text: String) -> String? {
    let names = TimeZone.knownTimeZoneIdentifiers + ["UTC"]
    if let sameLetters = names.first(where: { $0.lowercased() == text.lowercased() }) {
      return sameLetters
    }
    guard text.contains("/") else { return nil }
    let wanted = Array(text.lowercased())
    var best: (name: String, distance: Int)?
    for name in names {
      let distance = editDistance(wanted, Array(name.lowercased()), limit: 2)
      if distance <= 2, distance < (best?.distance ?? .max) { best = (name, distance) }
    }
    return best?.name
  }

  private static func looksIANA(_ identifier: String) -> Bool {
    identifier == "UTC" || identifier.contains("/")
      || TimeZone.knownTimeZoneIdentifiers.contains(identifier)
  }

  private static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }

  // MARK: Local times and instants

  /// The instant a local date-time names in this zone (see the type's notes on DST).
  public func instant(for local: LocalDateTime, _ ambiguity: Ambiguity) -> Date {
    Date(timeIntervalSince1970: Double(instantSeconds(wall: local.wallSeconds, ambiguity)))
  }

  /// The local date-time an instant shows on this zone's clocks (seconds dropped).
  public func local(_ instant: Date) -> LocalDateTime {
    let wall = wallSeconds(of: Self.seconds(instant))
    return LocalDateTime(
      daysSinceEpoch: wall.floorDiv(86400), minuteOfDay: Int(wall.floorMod(86400) / 60))
  }

  /// UTC offset in seconds at an instant.
  func offset(at seconds: Int64) -> Int64 {
    Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
  }

  func wallSeconds(of seconds: Int64) -> Int64 { seconds + offset(at: seconds) }

  /// Solves `t + offset(t) == wall` for `t`. Offsets lie within ±14h, so every solution is
  /// within 15h of `wall`; sampling the offsets every 3h over that span finds each one in use.
  func instantSeconds(wall: Int64, _ ambiguity: Ambiguity) -> Int64 {
    let probes = (-5...5).map { wall + Int64($0) * 3 * 3600 }
    let offsets = Set(probes.map { offset(at: $0) })
    let solutions = offsets.map { wall - $0 }.filter { offset(at: $0) == wall - $0 }
    if let solution = ambiguity == .earliest ? solutions.min() : solutions.max() { return solution }
    // In a gap: the clock jumps over `wall` between two probes; the first instant whose
    // clock reads at least `wall` is the transition itself, the first instant after the gap.
    for (before, after) in zip(probes, probes.dropFirst())
    where wallSeconds(of: before) < wall && wallSeconds(of: after) > wall {
      var low = before
      var high = after
      while high - low > 1 {
        let middle = low + (high - low) / 2
        if wallSeconds(of: middle) >= wall { high = middle } else { low = middle }
      }
      return high
    }
    return wall - offset(at: wall)
  }

  /// Whole seconds since 1970, rounded down; clamped to ±10^14 (three million years) so that no
  /// instant, not even an infinite one, can trap.
  static func seconds(_ date: Date) -> Int64 {
    let limit = 1e14
    let value = date.timeIntervalSince1970.rounded(.down)
    return Int64(value.isNaN ? 0 : min(max(value, -limit), limit))
  }
}

/// A window of time during which releases to protected refs are blocked, in its zone's local time.
public struct FreezeWindow: Sendable, Equatable {
  public enum Schedule: Sendable, Equatable {
    /// On each listed weekday from `from` to `until`, in minutes since local midnight.
    /// `until` 1440 is the end of the day; `until <= from` runs past midnight into the next day.
    case weekly(days: [Weekday], from: Int, until: Int)
    /// Once, from one local date-time to another.
    case once(from: LocalDateTime, until: LocalDateTime)
  }

  public var name: String
  /// The window's own zone, or the policy's `freezes.timezone` when it names none.
  public var timeZone: IANATimeZone
  public var schedule: Schedule

  public init(name: String, timeZone: IANATimeZone, schedule: Schedule) {
    self.name = name
    self.timeZone = timeZone
    self.schedule = schedule
  }

  public var isRecurring: Bool {
    if case .weekly = schedule { return true }
    return false
  }
}

/// The `freezes:` section of the policy.
public struct FreezePolicy: Sendable, Equatable {
  /// `freezes.timezone`: the zone windows are written in unless they name their own; nil if not given.
  public var timeZone: IANATimeZone?
  public var windows: [FreezeWindow]
  /// `freezes.holidays: true`: every holiday of the policy's calendar is frozen all day (its
  /// windows are among `windows`, named `holiday <date>`).
  public var onHolidays = false

  public init(timeZone: IANATimeZone? = nil, windows: [FreezeWindow] = []) {
    self.timeZone = timeZone
    self.windows = windows
  }
}

/// Times of day as policies write them: `9:00`, `12:00`, `24:00`.
enum TimeOfDay {
  struct Parsed {
    let hours: Int
    let minutes: Int
    var total: Int { hours * 60 + minutes }
    func isValid(allowingEndOfDay: Bool) -> Bool {
      (0...59).contains(minutes)
        && ((0...23).contains(hours) || (allowingEndOfDay && hours == 24 && minutes == 0))
    }
  }

  /// `H:MM` or `HH:MM`, digits only; range is checked by the caller.
  static func parse(_ text: String) -> Parsed? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
      let hours = Int(digits: Array(parts[0])[...]), let minutes = Int(digits: Array(parts[1])[...])
    else { return nil }
    return Parsed(hours: hours, minutes: minutes)
  }

  static func text(_ minutes: Int) -> String {
    String(format: "%02d:%02d", minutes / 60, minutes % 60)
  }
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (after Howard Hinnant).
enum CivilDate {
  static func days(year: Int, month: Int, day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let m = Int64(month)
    let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146097 + dayOfEra - 719468
  }

  static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let dayOfEra = z - era * 146097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// 1970-01-01 was a Thursday.
  static func weekday(ofDays days: Int64) -> Weekday {
    Weekday(rawValue: Int((days + 3).floorMod(7)) + 1)!
  }
}

extension Int64 {
  func floorDiv(_ divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }

  func floorMod(_ divisor: Int64) -> Int64 { self - floorDiv(divisor) * divisor }
}

extension Int {
  /// ASCII digits only: no sign, no spaces, no other scripts' digits.
  init?(digits: ArraySlice<Character>) {
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      let value = Int(String(digits))
    else { return nil }
    self = value
  }
}
