import Foundation

/// The `freezes:` section of `policy.yml`.
extension PolicyParser {
  /// One end of a window as written: a time of day (recurring) or a local date-time (one-off).
  private enum WindowEnd {
    case timeOfDay(Int)
    case dateTime(LocalDateTime)
  }

  /// A window as read, before its ends are matched up; `item` locates it.
  private struct WindowDraft {
    let item: YAMLValue
    var name: String?
    var every: [Weekday]?
    var sawEvery = false
    var from: (value: YAMLValue, end: WindowEnd?)?
    var until: (value: YAMLValue, end: WindowEnd?)?
    var timeZone: IANATimeZone?
    var zoneGiven = false
    var broken = false
    var notMapping = false

    var title: String { name.map { "freeze window \"\($0)\"" } ?? "this freeze window" }
  }

  /// `declare`, when the section names who may declare ad-hoc freezes, receives those roles.
  static func parseFreezes(
    _ value: YAMLValue, _ allErrors: inout [InputError], declare: inout [String]?
  ) -> FreezePolicy {
    var errors: [InputError] = []
    var policy = FreezePolicy()
    var zoneGiven = false
    var windowItems: [YAMLValue] = []
    for (key, keyNode, setting) in value.mappingEntries(&errors, what: "freezes") ?? [] {
      switch key {
      case "timezone":
        zoneGiven = true
        policy.timeZone = zone(setting, &errors)
      case "windows":
        windowItems = setting.sequenceItems(&errors, what: "freezes.windows") ?? []
      case "declare":
        declare = roleList(setting, &errors, what: "freezes.declare")
      case "holidays":
        policy.onHolidays = setting.bool(&errors, what: "freezes.holidays") ?? false
      default:
        errors.append(
          keyNode.error(
            "unknown setting \"\(key)\" in freezes; known: timezone, windows, declare, holidays"))
      }
    }

    var drafts = windowItems.map { readWindow($0, &errors) }
    if !zoneGiven, let first = drafts.first(where: { !$0.zoneGiven }) {
      errors.append(
        first.item.error(
          "\(first.title) has no time zone; set freezes.timezone (e.g. timezone: Europe/London) or the window's own timezone"
        ))
    }
    var names = Set<String>()
    for index in drafts.indices {
      if let name = drafts[index].name, !names.insert(name).inserted {
        let node = nameNode(drafts[index].item)
        errors.append(
          node.error("freeze window name \"\(name)\" is used twice; names must be unique"))
      }
    }
    var windows: [(window: FreezeWindow, item: YAMLValue)] = []
    for index in drafts.indices {
      if drafts[index].timeZone == nil { drafts[index].timeZone = policy.timeZone }
      if let window = buildWindow(drafts[index], &errors) {
        windows.append((window, drafts[index].item))
      }
    }
    if windows.count == drafts.count { checkOverlaps(windows, &errors) }
    policy.windows = windows.map(\.window)

    // Report in file order, whichever order the checks found them in.
    allErrors += errors.enumerated().sorted {
      ($0.element.line ?? 0, $0.element.column ?? 0, $0.offset) < (
        $1.element.line ?? 0, $1.element.column ?? 0, $1.offset
      )
    }.map(\.element)
    return policy
  }

  private static func zone(_ value: YAMLValue, _ errors: inout [InputError]) -> IANATimeZone? {
    guard let text = value.string(&errors, what: "timezone") else { return nil }
    guard let zone = IANATimeZone(text) else {
      errors.append(value.error(IANATimeZone.unknownZoneMessage(text)))
      return nil
    }
    return zone
  }

  private static func nameNode(_ item: YAMLValue) -> YAMLValue {
    var ignored: [InputError] = []
    return item.mappingEntries(&ignored, what: "")?.first(where: { $0.key == "name" })?.value
      ?? item
  }

  private static func readWindow(_ item: YAMLValue, _ errors: inout [InputError]) -> WindowDraft {
    var draft = WindowDraft(item: item)
    guard let fields = item.mappingEntries(&errors, what: "a freeze window") else {
      draft.broken = true
      draft.notMapping = true
      return draft
    }
    let before = errors.count
    for (key, keyNode, field) in fields {
      switch key {
      case "name":
        guard let name = field.string(&errors, what: "a freeze window's name") else { continue }
        if name.isEmpty {
          errors.append(field.error("a freeze window's name must not be empty"))
        } else {
          draft.name = name
        }
      case "every":
        draft.sawEvery = true
        draft.every = weekdays(field, &errors)
      case "from":
        draft.from = (field, windowEnd(field, &errors, what: "from"))
      case "until":
        draft.until = (field, windowEnd(field, &errors, what: "until"))
      case "timezone":
        draft.zoneGiven = true
        draft.timeZone = zone(field, &errors)
      default:
        errors.append(
          keyNode.error(
            "unknown field \"\(key)\" in a freeze window; known: name, every, from, until, timezone"
          ))
      }
    }
    if !fields.contains(where: { $0.key == "name" }) {
      errors.append(item.error("every freeze window needs a name"))
    }
    draft.broken = errors.count > before
    return draft
  }

  private static func weekdays(_ value: YAMLValue, _ errors: inout [InputError]) -> [Weekday]? {
    let items: [YAMLValue]
    if value.scalarText != nil, !value.isNull {
      items = [value]
    } else {
      guard let list = value.sequenceItems(&errors, what: "every") else { return nil }
      items = list
    }
    if items.isEmpty {
      errors.append(value.error("every must list at least one day, e.g. every: [fri]"))
      return nil
    }
    var days: [Weekday] = []
    var ok = true
    for item in items {
      guard let text = item.string(&errors, what: "every") else {
        ok = false
        continue
      }
      guard let day = Weekday(name: text) else {
        errors.append(
          item.error(
            "every \"\(text)\" is not a day of the week; use mon, tue, wed, thu, fri, sat or sun"))
        ok = false
        continue
      }
      if days.contains(day) {
        errors.append(item.error("every lists \(day.shortName) twice; list each day once"))
        ok = false
      }
      days.append(day)
    }
    return ok ? days : nil
  }

  private static func windowEnd(_ value: YAMLValue, _ errors: inout [InputError], what: String)
    -> WindowEnd?
  {
    guard let text = value.string(&errors, what: what) else { return nil }
    let isFrom = what == "from"
    if text.first?.isNumber == true, text.count >= 5, text.dropFirst(4).first == "-" {
      guard let local = LocalDateTime.parse(text) else {
        errors.append(
          value.error(
            "\(what) \"\(text)\" is not a date or date-time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM, local to the window's time zone (no offset)"
          ))
        return nil
      }
      return .dateTime(local)
    }
    if let time = TimeOfDay.parse(text) {
      guard time.isValid(allowingEndOfDay: !isFrom) else {
        let range = isFrom ? "00:00 to 23:59" : "00:00 to 24:00 (24:00 is the end of the day)"
        errors.append(
          value.error("\(what) \"\(text)\" is not a time of day; use HH:MM from \(range)"))
        return nil
      }
      return .timeOfDay(time.total)
    }
    errors.append(
      value.error(
        "\(what) \"\(text)\" is neither a time of day such as \"12:00\" nor a local date or date-time such as 2026-12-20 or 2026-12-20T00:00"
      ))
    return nil
  }

  private static func buildWindow(_ draft: WindowDraft, _ errors: inout [InputError])
    -> FreezeWindow?
  {
    let name = draft.name ?? ""
    var missing: [String] = []
    if draft.from == nil { missing.append("`from:`") }
    if draft.until == nil { missing.append("`until:`") }
    if !missing.isEmpty, !draft.notMapping {
      errors.append(draft.item.error("\(draft.title) needs \(missing.joined(separator: " and "))"))
    }
    guard !draft.broken, let zone = draft.timeZone, let fromNode = draft.from?.value,
      let untilNode = draft.until?.value, let fromEnd = draft.from?.end,
      let untilEnd = draft.until?.end
    else { return nil }

    if draft.sawEvery {
      guard let days = draft.every else { return nil }
      var ok = true
      for (node, end, what) in [(fromNode, fromEnd, "from"), (untilNode, untilEnd, "until")] {
        if case .dateTime(let local) = end {
          errors.append(
            node.error(
              "\(what) \(local) is a date, but a window with `every:` repeats weekly; give a time of day such as \"12:00\", or drop `every:` for a one-off window"
            ))
          ok = false
        }
      }
      guard ok, case .timeOfDay(let from) = fromEnd, case .timeOfDay(let until) = untilEnd else {
        return nil
      }
      if from == until {
        errors.append(
          untilNode.error(
            "freeze window \"\(name)\" is empty: from and until are both \(TimeOfDay.text(from)); for a whole day use from: \"00:00\" and until: \"24:00\""
          ))
        return nil
      }
      return FreezeWindow(
        name: name, timeZone: zone, schedule: .weekly(days: days, from: from, until: until))
    }

    switch (fromEnd, untilEnd) {
    case (.dateTime(let from), .dateTime(let until)):
      let start = zone.instant(for: from, .earliest)
      let end = zone.instant(for: until, .latest)
      if until <= from || end <= start {
        let why =
          until <= from
          ? "ends before it starts" : "falls wholly in a daylight-saving gap of \(zone)"
        errors.append(
          untilNode.error(
            "freeze window \"\(name)\" \(why) (from \(from), until \(until)); until must be later than from"
          ))
        return nil
      }
      return FreezeWindow(name: name, timeZone: zone, schedule: .once(from: from, until: until))
    case (.timeOfDay, .timeOfDay):
      errors.append(
        draft.item.error(
          "\(draft.title) gives times of day but no `every:`; add the days it repeats on, e.g. every: [fri], or give dates such as 2026-12-20T00:00 for a one-off window"
        ))
    default:
      errors.append(
        draft.item.error(
          "\(draft.title) mixes a time of day and a date; give both as times of day with `every:` (weekly), or both as dates such as 2026-12-20T00:00 (one-off)"
        ))
    }
    return nil
  }

  /// One-off windows may not overlap each other; weekly windows in the same zone may not
  /// overlap on a shared day. Windows may abut, and a one-off window may cover weekly ones.
  private static func checkOverlaps(
    _ windows: [(window: FreezeWindow, item: YAMLValue)], _ errors: inout [InputError]
  ) {
    for (laterIndex, later) in windows.enumerated() {
      for earlier in windows[..<laterIndex] {
        let a = earlier.window
        let b = later.window
        switch (a.schedule, b.schedule) {
        case (.once(let aFrom, let aUntil), .once(let bFrom, let bUntil)):
          let start = max(
            a.timeZone.instant(for: aFrom, .earliest), b.timeZone.instant(for: bFrom, .earliest))
          let end = min(
            a.timeZone.instant(for: aUntil, .latest), b.timeZone.instant(for: bUntil, .latest))
          if start < end {
            let zone = b.timeZone
            errors.append(
              later.item.error(
                "freeze window \"\(b.name)\" overlaps \"\(a.name)\" from \(FreezeCalendar.describe(start, in: zone)) until \(FreezeCalendar.describe(end, in: zone)); join them into one window or make them not overlap"
              ))
          }
        case (.weekly(let aDays, let aFrom, let aUntil), .weekly(let bDays, let bFrom, let bUntil))
        where a.timeZone == b.timeZone:
          if let (start, length) = weeklyOverlap(
            weekMinutes(aDays, aFrom, aUntil), weekMinutes(bDays, bFrom, bUntil))
          {
            let day = Weekday(rawValue: start / 1440 + 1)!
            let from = start % 1440
            let until = from + length == 1440 ? "24:00" : TimeOfDay.text((from + length) % 1440)
            errors.append(
              later.item.error(
                "freeze window \"\(b.name)\" overlaps \"\(a.name)\" every \(day.shortName) from \(TimeOfDay.text(from)) until \(until) (\(b.timeZone)); join them into one window or make them not overlap"
              ))
          }
        default:
          continue
        }
      }
    }
  }

  /// A weekly window's stretches as minutes since Monday 00:00; the end may pass 10080.
  private static func weekMinutes(_ days: [Weekday], _ from: Int, _ until: Int) -> [Range<Int>] {
    days.map { day in
      let start = (day.rawValue - 1) * 1440 + from
      return start..<(start + (until <= from ? until + 1440 : until) - from)
    }
  }

  /// The first overlap of two weekly schedules, as (minute of the week, length in minutes).
  private static func weeklyOverlap(_ a: [Range<Int>], _ b: [Range<Int>]) -> (Int, Int)? {
    var overlaps: [Range<Int>] = []
    for x in a {
      for y in b {
        for shift in [-10080, 0, 10080] {
          let shifted = (y.lowerBound + shift)..<(y.upperBound + shift)
          let common = x.clamped(to: shifted)
          if !common.isEmpty { overlaps.append(common) }
        }
      }
    }
    guard
      let first = overlaps.min(by: {
        ($0.lowerBound + 10080) % 10080 < ($1.lowerBound + 10080) % 10080
      })
    else { return nil }
    return ((first.lowerBound + 10080) % 10080, first.count)
  }
}
