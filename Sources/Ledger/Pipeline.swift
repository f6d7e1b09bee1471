import Foundation

/// One producer feeding workers through a `BoundedQueue`, results collected by key.
///
/// The producer runs on the caller's thread (so it may use the caller's repository handle,
/// which belongs to that thread alone); each worker runs on a thread of its own and touches
/// only what its items carry. While the queue is full the producer does `whileFull` instead
/// of waiting, as long as that has work left.
///
/// The first error, the producer's or a worker's, stops everyone and is rethrown; no result is
/// returned then, so nothing is skipped silently. Equal keys must stand for equal values: a
/// key produced twice keeps one of them.
enum Pipeline {
  static func run<Item: Sendable, Key: Hashable & Sendable, Value: Sendable>(
    workers: Int, capacity: Int, expected: Int = 0,
    produce: (_ hand: (Item) throws -> Void) throws -> Void,
    whileFull: () throws -> Bool = { false },
    work: @escaping @Sendable (Item) throws -> [(Key, Value)]
  ) throws -> [Key: Value] {
    try run(
      workers: workers, capacity: capacity, expected: expected, context: {}, produce: produce,
      whileFull: whileFull
    ) { item, _ in try work(item) }
  }

  /// `context` makes what each worker keeps for itself from one item to the next (a table of
  /// what it has worked out already): it is never shared, so nothing locks it. `expected`: how
  /// many results there will be about, so that their one table is made that large at once.
  static func run<Item: Sendable, Key: Hashable & Sendable, Value: Sendable, Context>(
    workers: Int, capacity: Int, expected: Int = 0,
    context: @escaping @Sendable () -> Context,
    produce: (_ hand: (Item) throws -> Void) throws -> Void,
    whileFull: () throws -> Bool = { false },
    work: @escaping @Sendable (Item, inout Context) throws -> [(Key, Value)]
  ) throws -> [Key: Value] {
    let queue = BoundedQueue<Item>(capacity: capacity)
    let results = KeyedResults<Key, Value>(expected: expected)
    let finished = DispatchGroup()
    for _ in 0..<max(1, workers) {
      finished.enter()
      // Threads of their own, not a dispatch pool: a pool may run fewer workers than asked
      // while the producer waits on a full queue.
      Thread {
        var kept = context()
        while let item = queue.pop() {
          do {
            results.store(try work(item, &kept))
          } catch {
            queue.fail(error)
          }
        }
        finished.leave()
      }.start()
    }
    do {
      try withoutActuallyEscaping(whileFull) { whileFull in
        var hasOtherWork = true
        try produce { item in
          while true {
            let taken = hasOtherWork ? queue.tryPush(item) : queue.push(item)
            switch taken {
            case true?: return
            case false?: throw queue.failure ?? PipelineStopped()
            case nil: hasOtherWork = try whileFull()
            }
          }
        }
      }
      queue.close()
    } catch {
      queue.fail(error)
    }
    finished.wait()
    if let failure = queue.failure { throw failure }
    return results.takeAll()
  }
}

/// Thrown to a producer whose queue was closed under it (a bug: only `run` closes it).
struct PipelineStopped: Error, CustomStringConvertible {
  var description: String { "the pipeline stopped before its producer finished" }
}

/// What the workers found, in one table, each item's results stored under the lock at once.
private final class KeyedResults<Key: Hashable, Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var found: [Key: Value] = [:]

  init(expected: Int) { found.reserveCapacity(expected) }

  func store(_ results: [(Key, Value)]) {
    lock.withLock {
      for (key, value) in results { found[key] = value }
    }
  }

  /// Every result, leaving none here (a copy of the table would count twice in memory).
  func takeAll() -> [Key: Value] {
    lock.withLock {
      defer { found = [:] }
      return found
    }
  }
}
