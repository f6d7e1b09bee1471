import Foundation
import Synchronization
import Testing

@testable import GitKit

/// GitKit has no scheduling of its own: a repository handle belongs to one thread, and work on
/// several threads opens a handle each (libgit2 keeps what handles share safe).
@Suite("reading on several threads, one handle each")
struct ConcurrentReadTests {
  @Test("handles reading on several threads at once read the same objects")
  func readsOnEveryThread() throws {
    let scratch = try Scratch()
    let repo = try Repository.create(
      at: scratch.sub("r"), bare: true, environment: cleanEnvironment)
    let blobs = try (0..<200).map { index in
      (index, try repo.writeBlob(Array("blob \(index)\n".utf8)))
    }
    // One handle per thread, each used by that thread alone, as the audit's workers do.
    nonisolated(unsafe) let handles = try (0..<4).map { _ in try repo.reopen() }
    let mismatches = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: handles.count) { worker in
      for (index, oid) in blobs {
        let read = try? handles[worker].blob(oid)
        if read != Array("blob \(index)\n".utf8) || !handles[worker].objectExists(oid) {
          mismatches.wrappingAdd(1, ordering: .relaxed)
        }
      }
    }
    #expect(mismatches.load(ordering: .relaxed) == 0)
  }
}
