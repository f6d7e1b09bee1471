import Foundation

/// Working time (`calendar:` of policy.yml): the days and hours people work, in one zone, and
/// the holidays they do not. Business durations (`24bh`, `3bd`) count only this time, so a
/// review due "within 24 business hours" of a Friday evening push is due on Wednesday, not
/// Saturday. Pure: every instant is given.
public struct BusinessCalendar: Sendable, Equatable {
  public var timeZone: IANATimeZone
  public var days: Set<Weekday>
  /// Working hours, in minutes since local midnight: `from` < `until` (no overnight shifts).
  public var from: Int
  public var until: Int
  /// Holidays, as local dates (days since 1970-01-01).
  public var holidays: Set<Int64>

  public init(
    timeZone: IANATimeZone, days: Set<Weekday> = Self.weekdays, from: Int = 9 * 60,
    until: Int = 17 * 60, holidays: Set<Int64> = []
  ) {
    (self.timeZone, self.days, self.from, self.until, self.holidays) = (
      timeZone, days, from, until, holidays
    )
  }

  public static let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

  /// Working seconds in one working day: what `1bd` is.
  public var secondsPerDay: Int { (until - from) * 60 }

  public func isWorkingDay(_ day: Int64) -> Bool {
    days.contains(CivilDate.weekday(ofDays: day)) && !holidays.contains(day)
  }

  /// The instant `seconds` of working time after `start`. Local times become instants as the
  /// freeze windows do (a time in a daylight-saving gap is the first instant after it).
  public func adding(_ seconds: Int, to start: Date) -> Date {
    var remaining = TimeInterval(seconds)
    var day = timeZone.local(start).daysSinceEpoch
    // Ten years of days: a calendar with working days (the parser insists) gets there long before.
    for _ in 0..<3660 {
      if isWorkingDay(day) {
        let open = timeZone.instant(
          for: LocalDateTime(daysSinceEpoch: day, minuteOfDay: from), .earliest)
        let close = timeZone.instant(
          for: LocalDateTime(
            daysSinceEpoch: until == 1440 ? day + 1 : day, minuteOfDay: until % 1440),
          .latest)
        let begin = max(open, start)
        if begin < close {
          let available = close.timeIntervalSince(begin)
          if remaining <= available { return begin.addingTimeInterval(remaining) }
          remaining -= available
        }
      }
      day += 1
    }
    return .distantFuture
  }
}

/// A span of time the policy gives: wall-clock (`72h`), or working time on the policy's
/// calendar (`24bh` business hours, `3bd` business days of `calendar.hours` each).
public struct PolicyDuration: Sendable, Equatable, CustomStringConvertible {
  public enum Unit: Sendable, Equatable { case wall, businessHours, businessDays }
  public var amount: Int
  public var unit: Unit

  public init(seconds: Int) { (amount, unit) = (seconds, .wall) }
  public init(amount: Int, unit: Unit) { (self.amount, self.unit) = (amount, unit) }

  public var isBusiness: Bool { unit != .wall }

  /// `72h`, `24bh`, `3bd`: as a policy would write it.
  public var description: String {
    switch unit {
    case .wall: DurationText.text(fromSeconds: amount)
    case .businessHours: "\(amount)bh"
    case .businessDays: "\(amount)bd"
    }
  }

  /// When a span that starts at `start` ends. A business span without a calendar cannot be
  /// told; the parser refuses such a policy, and this fails closed (never ends early) anyway.
  public func end(from start: Date, calendar: BusinessCalendar?) -> Date {
    switch unit {
    case .wall: return start.addingTimeInterval(TimeInterval(amount))
    case .businessHours:
      return calendar?.adding(amount * 3600, to: start) ?? .distantFuture
    case .businessDays:
      guard let calendar else { return .distantFuture }
      return calendar.adding(amount * calendar.secondsPerDay, to: start)
    }
  }

  /// `24bh`, `3bd`; nil for anything else (wall-clock durations are `DurationText`'s).
  static func business(_ text: String) -> PolicyDuration? {
    for (suffix, unit) in [("bh", Unit.businessHours), ("bd", Unit.businessDays)]
    where text.hasSuffix(suffix) {
      guard let amount = Int(text.dropLast(2)), amount > 0, amount < 100_000,
        text.dropLast(2).allSatisfy(\.isASCII)
      else { return nil }
      return PolicyDuration(amount: amount, unit: unit)
    }
    return nil
  }
}
