import Foundation
import Synchronization
import Testing

@testable import Ledger

@Suite("the audit's pipeline: a bounded queue between one reader and its verifiers")
struct PipelineTests {
  struct Broken: Error, Equatable {
    var item: Int
  }

  @Test("items come out in the order they went in, and a full queue makes the producer wait")
  func queueOrderAndBound() {
    let queue = BoundedQueue<Int>(capacity: 3)
    #expect(queue.tryPush(1) == true)
    #expect(queue.tryPush(2) == true)
    #expect(queue.tryPush(3) == true)
    #expect(queue.tryPush(4) == nil)  // full: given back, not dropped
    #expect(queue.pop() == 1)
    #expect(queue.tryPush(4) == true)
    queue.close()
    #expect(queue.tryPush(5) == false)  // closed: nobody will take it
    #expect([queue.pop(), queue.pop(), queue.pop(), queue.pop()] == [2, 3, 4, nil])
  }

  @Test("a producer blocked on a full queue goes on once a consumer takes an item")
  func producerWaitsForRoom() {
    let queue = BoundedQueue<Int>(capacity: 2)
    let highest = Atomic<Int>(0)
    let producer = DispatchGroup()
    producer.enter()
    Thread {
      for item in 1...100 {
        queue.push(item)
        highest.store(item, ordering: .relaxed)
      }
      queue.close()
      producer.leave()
    }.start()
    // Nothing is taken yet: the producer can be at most two items ahead.
    Thread.sleep(forTimeInterval: 0.05)
    #expect(highest.load(ordering: .relaxed) <= 2)
    var taken: [Int] = []
    while let item = queue.pop() { taken.append(item) }
    producer.wait()
    #expect(taken == Array(1...100))
  }

  @Test("results are collected by key, whichever worker made them and in whatever order")
  func resultsByKey() throws {
    let results = try Pipeline.run(
      workers: 4, capacity: 2,
      produce: { hand in
        for batch in stride(from: 0, to: 1_000, by: 10) { try hand(Array(batch..<batch + 10)) }
      },
      work: { (batch: [Int]) in batch.map { ($0, $0 * $0) } })
    #expect(results.count == 1_000)
    #expect((0..<1_000).allSatisfy { results[$0] == $0 * $0 })
  }

  @Test("a worker's error stops the producer, and the caller gets it instead of results")
  func workerErrorStopsEverything() {
    let produced = Atomic<Int>(0)
    #expect(throws: Broken(item: 7)) {
      _ = try Pipeline.run(
        workers: 2, capacity: 1,
        produce: { hand in
          for item in 0..<10_000 {
            try hand(item)
            produced.wrappingAdd(1, ordering: .relaxed)
          }
        },
        work: { (item: Int) -> [(Int, Int)] in
          if item == 7 { throw Broken(item: 7) }
          return [(item, item)]
        })
    }
    // The producer stopped soon after, instead of handing in all 10,000 items unread.
    #expect(produced.load(ordering: .relaxed) < 10_000)
  }

  @Test("of several errors, the first is reported")
  func firstErrorWins() {
    #expect(throws: Broken(item: 3)) {
      _ = try Pipeline.run(
        workers: 1, capacity: 8,
        produce: { hand in for item in 0..<100 { try hand(item) } },
        work: { (item: Int) -> [(Int, Int)] in
          if item >= 3 { throw Broken(item: item) }
          return [(item, item)]
        })
    }
  }

  @Test("the producer's own error is rethrown, with no partial results")
  func producerErrorIsRethrown() {
    let worked = Atomic<Int>(0)
    #expect(throws: Broken(item: -1)) {
      _ = try Pipeline.run(
        workers: 2, capacity: 4,
        produce: { hand in
          for item in 0..<5 { try hand(item) }
          throw Broken(item: -1)
        },
        work: { (item: Int) -> [(Int, Int)] in
          worked.wrappingAdd(1, ordering: .relaxed)
          return [(item, item)]
        })
    }
    #expect(worked.load(ordering: .relaxed) <= 5)
  }

  @Test("while the queue is full the producer does its other work, and all of it is done")
  func otherWorkWhileFull() throws {
    var otherWork = 0
    let results = try Pipeline.run(
      workers: 1, capacity: 1,
      produce: { hand in for item in 0..<200 { try hand(item) } },
      whileFull: {
        guard otherWork < 50 else { return false }
        otherWork += 1
        return true
      },
      work: { (item: Int) -> [(Int, Int)] in
        Thread.sleep(forTimeInterval: 0.0005)
        return [(item, item + 1)]
      })
    #expect(results.count == 200)
    #expect(results[199] == 200)
    // The producer met a full queue often (one slot, a slow worker): it used those moments.
    #expect(otherWork > 0)
  }
}
