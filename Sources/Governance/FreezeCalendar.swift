import Foundation

/// A freeze declared with `freeze add`: absolute instants, with the zone it was declared in
/// kept for display.
public struct AdHocFreeze: Sendable, Equatable {
  public var id: String
  public var reason: String
  public var from: Date
  public var until: Date
  public var timeZone: IANATimeZone

  public init(id: String, reason: String, from: Date, until: Date, timeZone: IANATimeZone) {
    self.id = id
    self.reason = reason
    self.from = from
    self.until = until
    self.timeZone = timeZone
  }
}

/// One stretch of frozen time, `[start, end)`: the `start` second is frozen, the `end` second
/// no longer is.
/// The freeze in force at one instant under one policy and set of ad-hoc freezes, worked out
/// once for many evaluations at that instant: the audit judges thousands of releases at its
/// own time, and each look-up is some fifty time-zone conversions.
public struct KnownFreeze: Sendable {
  public let policy: FreezePolicy
  public let adHoc: [AdHocFreeze]
  public let instant: Date
  public let occurrence: FreezeOccurrence?

  public init(policy: FreezePolicy, adHoc: [AdHocFreeze], at instant: Date) {
    self.policy = policy
    self.adHoc = adHoc
    self.instant = instant
    occurrence = FreezeCalendar(policy: policy, adHoc: adHoc).occurrence(at: instant)
  }

  /// The occurrence, if it was worked out for exactly these inputs.
  public func occurrence(policy: FreezePolicy, adHoc: [AdHocFreeze], at instant: Date)
    -> FreezeOccurrence??
  {
    guard instant == self.instant, adHoc == self.adHoc, policy == self.policy else { return nil }
    return .some(occurrence)
  }
}

public struct FreezeOccurrence: Sendable, Equatable {
  public enum Origin: Sendable, Equatable {
    /// A window of the policy's `freezes:` section.
    case policy
    /// A freeze record (`freeze add`), with its reason.
    case adHoc(reason: String)
  }

  /// The policy window's name, or the ad-hoc freeze's id.
  public var name: String
  public var start: Date
  public var end: Date
  public var timeZone: IANATimeZone
  public var origin: Origin
  /// When no freeze at all applies any more. From `FreezeCalendar.occurrence(at:)` this follows
  /// overlapping and abutting freezes to the end of the chain (`Date.distantFuture` if it runs on
  /// for more than a year); from `occurrences(from:to:)` it is `end`.
  public var effectiveEnd: Date

  public init(
    name: String, start: Date, end: Date, timeZone: IANATimeZone, origin: Origin,
    effectiveEnd: Date? = nil
  ) {
    self.name = name
    self.start = start
    self.end = end
    self.timeZone = timeZone
    self.origin = origin
    self.effectiveEnd = effectiveEnd ?? end
  }

  public var zoneIdentifier: String { timeZone.identifier }

  public var isAdHoc: Bool { origin != .policy }

  /// Half-open: the start instant is frozen, the end instant is not.
  public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }

  /// An instant on this freeze's clocks: `Mon 2026-12-01 00:00 Europe/London`.
  public func describe(_ instant: Date) -> String { FreezeCalendar.describe(instant, in: timeZone) }

  /// `window "friday-afternoon"`, or `freeze "f-2026-12-01": payments migration`.
  public var label: String {
    switch origin {
    case .policy: "window \"\(name)\""
    case .adHoc(let reason): reason.isEmpty ? "freeze \"\(name)\"" : "freeze \"\(name)\": \(reason)"
    }
  }

  /// For a block message: `frozen until Mon 2026-12-01 00:00 Europe/London (window "friday-afternoon")`.
  public var frozenUntilDescription: String {
    effectiveEnd == .distantFuture
      ? "frozen with no end in sight (\(label), chained with other freezes for more than a year)"
      : "frozen until \(describe(effectiveEnd)) (\(label))"
  }
}

/// The freezes in force at any instant: the policy's windows, recurring ones expanded week by
/// week in their own zone's wall-clock time (so a Friday 12:00 window stays at 12:00 across
/// daylight-saving changes), plus ad-hoc freezes. Pure: every instant is given by the caller.
///
/// Local times become instants as `IANATimeZone` describes: a time in the spring-forward gap
/// means the first instant after the gap; a time in the autumn repeat means its earliest
/// instant for a window's `from` and its latest for its `until`, so the freeze covers the whole
/// ambiguous hour (fail closed).
public struct FreezeCalendar: Sendable {
  public let policy: FreezePolicy
  public let adHoc: [AdHocFreeze]

  public init(policy: FreezePolicy, adHoc: [AdHocFreeze] = []) {
    self.policy = policy
    self.adHoc = adHoc
  }

  /// The freeze in force at `instant`, or nil. When several are, the one that ends last is
  /// reported (ties: policy windows before ad-hoc freezes, then by name), and its `effectiveEnd`
  /// is the first instant at which no freeze at all applies, following overlapping and abutting
  /// freezes from one to the next.
  public func occurrence(at instant: Date) -> FreezeOccurrence? {
    guard var found = covering(instant).max(by: Self.endsEarlier) else { return nil }
    var end = found.end
    let horizon = instant.addingTimeInterval(366 * 86400)
    while let next = covering(end).map(\.end).max(), next > end {
      end = next
      if end >= horizon {
        end = .distantFuture
        break
      }
    }
    found.effectiveEnd = end
    return found
  }

  /// Every freeze that intersects `[from, to)`, recurring windows expanded, sorted by start
  /// (then end, then name). Each one's `effectiveEnd` is its own `end`.
  public func occurrences(from: Date, to: Date) -> [FreezeOccurrence] {
    guard from < to else { return [] }
    return candidates(from: from, to: to)
      .filter { $0.start < to && $0.end > from }
      .sorted { ($0.start, $0.end, $0.name) < ($1.start, $1.end, $1.name) }
  }

  /// An instant on a zone's clocks: `Mon 2026-12-01 00:00 Europe/London`; seconds are shown
  /// only when not zero, and a time the clocks show twice (the autumn repeat) gets its offset,
  /// `Sun 2026-10-25 01:30 Europe/London (UTC+00:00)`.
  public static func describe(_ instant: Date, in zone: IANATimeZone) -> String {
    let seconds = IANATimeZone.seconds(instant)
    let wall = zone.wallSeconds(of: seconds)
    let days = wall.floorDiv(86400)
    let second = Int(wall.floorMod(86400))
    let date = CivilDate.civil(fromDays: days)
    let weekday = CivilDate.weekday(ofDays: days).shortName.capitalized
    var text = "\(weekday) " + String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    text += " " + TimeOfDay.text(second / 60)
    if second % 60 != 0 { text += String(format: ":%02d", second % 60) }
    text += " \(zone.identifier)"
    let wallMinute = wall - Int64(second % 60)
    if zone.instantSeconds(wall: wallMinute, .earliest)
      != zone.instantSeconds(wall: wallMinute, .latest)
    {
      let offset = Int(wall - seconds)
      text += " (UTC\(offset < 0 ? "-" : "+")" + TimeOfDay.text(abs(offset) / 60) + ")"
    }
    return text
  }

  // MARK: Expansion

  private static func endsEarlier(_ a: FreezeOccurrence, _ b: FreezeOccurrence) -> Bool {
    // `max(by:)` keeps the greatest: the latest end, then policy over ad-hoc, then the first name.
    (a.end, a.isAdHoc ? 0 : 1, b.name) < (b.end, b.isAdHoc ? 0 : 1, a.name)
  }

  private func covering(_ instant: Date) -> [FreezeOccurrence] {
    candidates(from: instant, to: instant).filter { $0.contains(instant) }
  }

  /// Occurrences that may intersect `[from, to]` (a superset; callers filter).
  private func candidates(from: Date, to: Date) -> [FreezeOccurrence] {
    var found: [FreezeOccurrence] = []
    for window in policy.windows {
      let zone = window.timeZone
      switch window.schedule {
      case .once(let start, let end):
        found.append(
          occurrence(window, zone.instant(for: start, .earliest), zone.instant(for: end, .latest)))
      case .weekly(let days, let startMinute, let endMinute):
        // An occurrence lasts at most a day (plus a DST hour), so it starts on the local day of
        // `from` or the day before; a margin of a day either side costs little.
        let first = zone.local(from).daysSinceEpoch - 2
        let last = zone.local(to).daysSinceEpoch + 1
        let overnight: Int64 = endMinute <= startMinute ? 1 : 0
        for day in first...last where days.contains(CivilDate.weekday(ofDays: day)) {
          let start = zone.instant(
            for: LocalDateTime(daysSinceEpoch: day, minuteOfDay: startMinute), .earliest)
          let endDay = day + overnight + (endMinute == 1440 ? 1 : 0)
          let end = zone.instant(
            for: LocalDateTime(daysSinceEpoch: endDay, minuteOfDay: endMinute % 1440), .latest)
          found.append(occurrence(window, start, end))
        }
      }
    }
    for freeze in adHoc {
      found.append(
        FreezeOccurrence(
          name: freeze.id, start: freeze.from, end: freeze.until, timeZone: freeze.timeZone,
          origin: .adHoc(reason: freeze.reason)))
    }
    // A window wholly inside a spring-forward gap, or an ad-hoc freeze that ends before it starts, freezes nothing.
    return found.filter { $0.start < $0.end }
  }

  private func occurrence(_ window: FreezeWindow, _ start: Date, _ end: Date) -> FreezeOccurrence {
    FreezeOccurrence(
      name: window.name, start: start, end: end, timeZone: window.timeZone, origin: .policy)
  }
}
