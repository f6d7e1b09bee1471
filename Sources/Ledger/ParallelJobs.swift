import Foundation
import GitKit

/// Runs independent jobs on every core, each worker with its own repository handle (libgit2
/// handles are never shared between threads). Jobs are taken in the order of their keys, and
/// each one's value is kept under its key. The first error thrown is rethrown after all
/// workers stop; no value is returned then.
enum ParallelJobs {
  static func run<Key: Comparable & Hashable & Sendable, Value: Sendable>(
    _ handles: WorkerHandles, jobs: [Key: @Sendable (Repository) throws -> Value]
  ) throws -> [Key: Value] {
    let order = jobs.keys.sorted()
    let results = Results<Key, Value>(order)
    DispatchQueue.concurrentPerform(iterations: min(handles.repositories.count, jobs.count)) {
      worker in
      let repository = handles.repositories[worker]
      while let key = results.take() {
        do {
          results.store(try jobs[key]!(repository), for: key)
        } catch {
          results.fail(error)
        }
      }
    }
    return try results.values()
  }

  /// Jobs over consecutive chunks of one list, keyed by where each chunk starts: their values
  /// joined again in the list's order.
  static func run<Value: Sendable>(
    _ handles: WorkerHandles, chunksOf count: Int, size: Int,
    _ job: (Range<Int>) -> @Sendable (Repository) throws -> [Value]
  ) throws -> [Value] {
    var jobs: [Int: @Sendable (Repository) throws -> [Value]] = [:]
    for start in stride(from: 0, to: count, by: size) {
      jobs[start] = job(start..<min(count, start + size))
    }
    let values = try run(handles, jobs: jobs)
    return values.keys.sorted().flatMap { values[$0]! }
  }
}

/// One repository handle per core, each used by exactly one worker at a time: the caller's
/// own handle is the first (the caller waits while the workers run), the others are reopened.
/// They are kept for several rounds of jobs: each handle maps the packs anew, and those pages
/// count again in the process's memory.
final class WorkerHandles: @unchecked Sendable {
  let repositories: [Repository]

  init(_ repository: Repository) throws {
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    repositories = try [repository] + (1..<workers).map { _ in try repository.reopen() }
  }
}

private final class Results<Key: Hashable, Value>: @unchecked Sendable {
  private let lock = NSLock()
  private let order: [Key]
  private var next = 0
  private var found: [Key: Value] = [:]
  private var error: Error?

  init(_ order: [Key]) { self.order = order }

  /// The next job's key; none once any job failed.
  func take() -> Key? {
    lock.withLock {
      guard error == nil, next < order.count else { return nil }
      defer { next += 1 }
      return order[next]
    }
  }

  func store(_ value: Value, for key: Key) { lock.withLock { found[key] = value } }

  func fail(_ error: Error) { lock.withLock { self.error = self.error ?? error } }

  func values() throws -> [Key: Value] {
    try lock.withLock {
      if let error { throw error }
      return found
    }
  }
}

/// A value one job works out and later jobs wait for. The job that works it out must be
/// taken before those that wait (its key sorts first: `ParallelJobs` takes jobs in the order
/// of their keys), so waiting cannot deadlock; if it throws, every waiter gets the error.
final class Promised<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var result: Result<Value, Error>?

  func fulfil(_ work: () throws -> Value) throws {
    let result = Result { try work() }
    condition.withLock {
      self.result = result
      condition.broadcast()
    }
    _ = try result.get()
  }

  /// Drops the value, once no job will ask for it again.
  func empty() { condition.withLock { result = nil } }

  func value() throws -> Value {
    try condition.withLock {
      while result == nil { condition.wait() }
      return try result!.get()
    }
  }
}

/// A large value that jobs share through one reference, so that it can be freed where the
/// caller chooses, once no job will read it again.
final class SharedValue<Value: Sendable>: @unchecked Sendable {
  private(set) var value: Value?

  init(_ value: consuming Value) { self.value = value }

  func empty() { value = nil }
}

extension ParallelJobs {
  /// Runs each of `frees` on its own core: large values freed side by side instead of one after
  /// the other on the caller's thread.
  static func freeSideBySide(_ frees: [@Sendable () -> Void]) {
    DispatchQueue.concurrentPerform(iterations: frees.count) { frees[$0]() }
  }
}
