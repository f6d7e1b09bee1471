import Foundation
import Synchronization

/// Object reads take turns, first come first served, waiting by spinning.
///
/// libgit2 1.5 guards every pack window with one process-wide mutex, and its handles share
/// each pack's own lock. Two workers reading objects at once (the audit's commit reader beside
/// its sealers) therefore slept on those locks and woke each other ten thousand times per
/// audit, each time losing more than a read costs. Reads taken in turns never contend inside
/// libgit2; a read lasts microseconds, so the one waiting spins instead of sleeping. The
/// reads workers make side by side take turns (objects, trees, paths in trees, existence,
/// peeling); walks, notes and writes, which they do not make side by side, need not (libgit2
/// stays thread-safe either way). Only the call into libgit2 is wrapped: nothing that runs in
/// a turn asks for another.
enum ObjectReadTurns {
  private static let nextTicket = Atomic<Int>(0)
  private static let serving = Atomic<Int>(0)

  static func take<Result>(_ read: () -> Result) -> Result {
    let ticket = nextTicket.wrappingAdd(1, ordering: .relaxed).oldValue
    var spins = 0
    while serving.load(ordering: .acquiring) != ticket {
      spins += 1
      // A read takes microseconds; longer, the one whose turn it is may not be running (more
      // threads than cores, as in a test run): let it run.
      if spins & 8191 == 0 { sched_yield() }
    }
    defer { serving.wrappingAdd(1, ordering: .releasing) }
    return read()
  }
}
