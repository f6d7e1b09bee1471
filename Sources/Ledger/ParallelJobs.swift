import Foundation
import GitKit

/// Runs independent jobs on every core, each worker with its own repository handle (libgit2
/// handles are never shared between threads). Jobs are taken in order; each returns a value
/// kept at its index. The first error thrown is rethrown after all workers stop.
enum ParallelJobs {
  static func run<Value: Sendable>(
    _ handles: WorkerHandles, jobs: [@Sendable (Repository) throws -> Value]
  ) throws -> [Value] {
    let results = Results<Value>(count: jobs.count)
    DispatchQueue.concurrentPerform(iterations: min(handles.repositories.count, jobs.count)) {
      worker in
      let repository = handles.repositories[worker]
      while let index = results.take() {
        do {
          results.store(try jobs[index](repository), at: index)
        } catch {
          results.fail(error)
        }
      }
    }
    return try results.values()
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

private final class Results<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private var slots: [Value?]
  private var error: Error?

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  /// The next job to run; none once any job failed.
  func take() -> Int? {
    lock.withLock {
      guard error == nil, next < slots.count else { return nil }
      defer { next += 1 }
      return next
    }
  }

  func store(_ value: Value, at index: Int) { lock.withLock { slots[index] = value } }

  func fail(_ error: Error) { lock.withLock { self.error = self.error ?? error } }

  func values() throws -> [Value] {
    try lock.withLock {
      if let error { throw error }
      return slots.map { $0! }
    }
  }
}

/// A value one job works out and later jobs wait for. The job that works it out must be
/// taken before those that wait (`ParallelJobs` takes jobs in order), so waiting cannot
/// deadlock; if it throws, every waiter gets the error.
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
