/// `calendar:` of `policy.yml`: working days, hours and holidays, for business durations
/// (`24bh`, `3bd`) and for `freezes.holidays`.
extension PolicyParser {
  /// ```
  /// calendar:
  ///   timezone: Europe/London
  ///   days: [mon, tue, wed, thu, fri]   # the default
  ///   hours: "09:00-17:00"              # the default
  ///   holidays: [2026-12-25, 2026-12-28]
  /// ```
  static func parseCalendar(_ value: YAMLValue, _ errors: inout [InputError]) -> BusinessCalendar? {
    var zone: IANATimeZone?
    var days = BusinessCalendar.weekdays
    var hours = (from: 9 * 60, until: 17 * 60)
    var holidays = Set<Int64>()
    let before = errors.count
    for (key, keyNode, field) in value.mappingEntries(&errors, what: "calendar") ?? [] {
      switch key {
      case "timezone":
        guard let text = field.string(&errors, what: "calendar.timezone") else { continue }
        zone = IANATimeZone(text)
        if zone == nil {
          errors.append(
            field.error(IANATimeZone.unknownZoneMessage(text, what: "calendar.timezone")))
        }
      case "days":
        var read: Set<Weekday> = []
        for name in field.stringList(&errors, what: "calendar.days") ?? [] {
          guard let day = Weekday(name: name) else {
            errors.append(
              field.error("calendar.days: \"\(name)\" is not a day; use mon, tue, … sun"))
            continue
          }
          read.insert(day)
        }
        if read.isEmpty { errors.append(field.error("calendar.days names no working day")) }
        days = read
      case "hours":
        guard let text = field.string(&errors, what: "calendar.hours") else { continue }
        let parts = text.split(separator: "-").map { TimeOfDay.parse(String($0)) }
        guard parts.count == 2, let from = parts[0], let until = parts[1],
          from.isValid(allowingEndOfDay: false), until.isValid(allowingEndOfDay: true),
          from.total < until.total
        else {
          errors.append(
            field.error(
              "calendar.hours must be a span of one day such as \"09:00-17:30\", got \"\(text)\""))
          continue
        }
        hours = (from.total, until.total)
      case "holidays":
        for item in field.sequenceItems(&errors, what: "calendar.holidays") ?? [] {
          guard let text = item.string(&errors, what: "a holiday"), text.count == 10,
            let date = LocalDateTime.parse(text)
          else {
            errors.append(item.error("calendar.holidays lists dates such as 2026-12-25"))
            continue
          }
          holidays.insert(date.daysSinceEpoch)
        }
      default:
        errors.append(
          keyNode.error(
            "unknown setting \"\(key)\" in calendar; known: timezone, days, hours, holidays"))
      }
    }
    guard errors.count == before else { return nil }
    guard let zone else {
      errors.append(value.error("calendar needs a timezone, e.g. timezone: Europe/London"))
      return nil
    }
    return BusinessCalendar(
      timeZone: zone, days: days, from: hours.from, until: hours.until, holidays: holidays)
  }

  /// A duration that may be business time: `72h`, or `24bh` / `3bd` on the policy's calendar.
  static func span(_ value: YAMLValue, _ errors: inout [InputError], what: String)
    -> PolicyDuration?
  {
    guard let text = value.string(&errors, what: what) else { return nil }
    if let business = PolicyDuration.business(text) { return business }
    guard let seconds = DurationText.seconds(from: text), seconds > 0 else {
      errors.append(
        value.error(
          "\(what) must be a duration such as 72h, 30m or 1h30m, or business time such as 24bh or 3bd, got \"\(text)\""
        ))
      return nil
    }
    return PolicyDuration(seconds: seconds)
  }

  /// Each holiday of `calendar` as a whole-day freeze window, for `freezes.holidays: true`.
  static func holidayWindows(_ calendar: BusinessCalendar) -> [FreezeWindow] {
    calendar.holidays.sorted().map { day in
      let local = LocalDateTime(daysSinceEpoch: day, minuteOfDay: 0)
      return FreezeWindow(
        name: "holiday \(local.description.prefix(10))", timeZone: calendar.timeZone,
        schedule: .once(from: local, until: LocalDateTime(daysSinceEpoch: day + 1, minuteOfDay: 0)))
    }
  }
}
