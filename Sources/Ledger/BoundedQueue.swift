import Foundation

/// A first-in, first-out queue of at most `capacity` items between threads: one that hands
/// items in waits while it is full, one that takes them waits while it is empty. Once closed,
/// takers get what is left and then nil; once failed, everyone stops at once and the first
/// error is kept for whoever collects the results.
///
/// The audit's reader of objects fills it, verifier workers drain it: the bound keeps the bytes
/// read ahead of verification to a few thousand records instead of the whole branch.
final class BoundedQueue<Element>: @unchecked Sendable {
  let capacity: Int
  private let condition = NSCondition()
  // A ring: `head` is the oldest item, `count` how many follow it.
  private var slots: [Element?]
  private var head = 0
  private var count = 0
  private var closed = false
  private(set) var failure: Error?

  init(capacity: Int) {
    precondition(capacity > 0, "a bounded queue holds at least one item")
    self.capacity = capacity
    slots = Array(repeating: nil, count: capacity)
  }

  /// Hands `item` in, waiting while the queue is full. False when the queue was closed or
  /// failed: nobody will take it, so the one handing in should stop.
  @discardableResult
  func push(_ item: Element) -> Bool {
    condition.withLock {
      while count == capacity && !closed && failure == nil { condition.wait() }
      return append(item)
    }
  }

  /// Hands `item` in only if there is room now: nil when full (the item is given back to the
  /// caller, who can do other work first), false when closed or failed, true when taken.
  func tryPush(_ item: Element) -> Bool? {
    condition.withLock {
      if count == capacity && !closed && failure == nil { return nil }
      return append(item)
    }
  }

  /// The oldest item, waiting while there is none; nil once the queue is closed and empty, or
  /// failed (a failure drops what is left: nobody will use those results).
  func pop() -> Element? {
    condition.withLock {
      while count == 0 && !closed && failure == nil { condition.wait() }
      guard failure == nil, count > 0 else { return nil }
      let item = slots[head].take()
      head = (head + 1) % capacity
      count -= 1
      condition.broadcast()
      return item
    }
  }

  /// No more items will come: takers finish what is left.
  func close() {
    condition.withLock {
      closed = true
      condition.broadcast()
    }
  }

  /// Stops everyone: the first error is kept, later ones are dropped (they follow from it).
  func fail(_ error: Error) {
    condition.withLock {
      failure = failure ?? error
      condition.broadcast()
    }
  }

  /// Called with the lock held.
  private func append(_ item: Element) -> Bool {
    guard !closed, failure == nil else { return false }
    slots[(head + count) % capacity] = item
    count += 1
    condition.broadcast()
    return true
  }
}
