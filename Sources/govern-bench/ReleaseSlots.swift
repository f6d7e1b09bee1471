import Foundation

/// The times of the generated releases: 10-minute slots counted back from the end, skipping
/// every slot that touches the benchmark policy's Friday freeze (12:00–24:00 Europe/London).
/// A release pushed in a freeze is a finding, and the generator intends none: data the audit
/// rejects would measure the wrong path. The year-end window lies after the generated history.
struct ReleaseSlots {
  private let times: [Date]

  /// Slots 0…count, slot `count` at `end`; slot 0 is the genesis.
  init(count: Int, endingAt end: Date) {
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    // 10:00 UTC Friday to 01:00 UTC Saturday covers the window in both BST and GMT, with room
    // for a release's ten minutes.
    func touchesFreeze(_ t: Date) -> Bool {
      let parts = utc.dateComponents([.weekday, .hour], from: t)
      let weekday = parts.weekday ?? 0
      let hour = parts.hour ?? 0
      return (weekday == 6 && hour >= 10) || (weekday == 7 && hour < 1)
    }
    var times = [end]
    var t = end
    while times.count <= count {
      t = t.addingTimeInterval(-600)
      if !touchesFreeze(t) { times.append(t) }
    }
    self.times = times.reversed()
  }

  subscript(_ k: Int) -> Date { times[k] }
}
