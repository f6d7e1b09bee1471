import Foundation

/// A lock that many readers hold at once (`pthread_rwlock_t`); a writer holds it alone.
final class ReadWriteLock: @unchecked Sendable {
  private let handle = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

  init() {
    handle.initialize(to: pthread_rwlock_t())
    pthread_rwlock_init(handle, nil)
  }

  deinit {
    pthread_rwlock_destroy(handle)
    handle.deinitialize(count: 1)
    handle.deallocate()
  }

  func reading<Value>(_ body: () throws -> Value) rethrows -> Value {
    pthread_rwlock_rdlock(handle)
    defer { pthread_rwlock_unlock(handle) }
    return try body()
  }

  func writing<Value>(_ body: () throws -> Value) rethrows -> Value {
    pthread_rwlock_wrlock(handle)
    defer { pthread_rwlock_unlock(handle) }
    return try body()
  }
}
