import Foundation
import Synchronization
import Testing

@testable import GitKit

@Suite("object reads in turns")
struct ObjectReadTurnsTests {
  @Test("no two turns overlap, however many threads ask, and every turn is served")
  func turnsExclude() {
    let inTurn = Atomic<Int>(0)
    let overlaps = Atomic<Int>(0)
    let served = Atomic<Int>(0)
    // More threads than cores, as in a test run, so a waiter must also let the holder run.
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for _ in 0..<2_000 {
        ObjectReadTurns.take {
          if inTurn.wrappingAdd(1, ordering: .relaxed).newValue != 1 {
            overlaps.wrappingAdd(1, ordering: .relaxed)
          }
          served.wrappingAdd(1, ordering: .relaxed)
          inTurn.wrappingSubtract(1, ordering: .relaxed)
        }
      }
    }
    #expect(overlaps.load(ordering: .relaxed) == 0)
    #expect(served.load(ordering: .relaxed) == 16_000)
  }

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
