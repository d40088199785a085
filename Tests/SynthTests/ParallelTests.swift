import Synchronization
import Testing
@testable import SynthctlCore

/// Both ways of splitting items across workers run every item exactly
/// once, for any count and thread count (more threads than items, none);
/// per-worker state is made once a worker and handed back at its end.
@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 2, 7, 64, 1000])
    func everyItemRunsOnce(count: Int) {
        for threads in [1, 2, 3, 8] {
            for (name, split) in [("forEach", Parallel.forEach), ("forEachTakingNext", Parallel.forEachTakingNext)] {
                let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
                defer { runs.deallocate() }
                runs.initialize(repeating: 0)
                // Each item writes its own place only: a second run of it shows as 2.
                split(count, threads) { runs[$0] += 1 }
                #expect(runs.prefix(count).allSatisfy { $0 == 1 }, "\(name): \(count) items on \(threads) threads")
            }
        }
    }

    /// With `state:` and `end:`: every item runs once, each worker's state
    /// is made once and reaches `end` holding the items that worker ran,
    /// and there are at most min(threads, count) workers (one with no item).
    @Test(arguments: [0, 1, 5, 300])
    func perWorkerStateIsMadeOnceAndEnded(count: Int) {
        for threads in [1, 2, 3] {
            let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            defer { runs.deallocate() }
            runs.initialize(repeating: 0)
            let ended = Mutex<[[Int]]>([]), made = Mutex(0)
            Parallel.forEachTakingNext(count, threads: threads, state: { made.withLock { $0 += 1 }; return [Int]() },
                                       end: { items in ended.withLock { $0.append(items) } }) { items, i in
                items.append(i)
                runs[i] += 1
            }
            let states = ended.withLock { $0 }
            #expect(runs.prefix(count).allSatisfy { $0 == 1 })
            #expect(made.withLock { $0 } == states.count && states.count == max(1, min(threads, count)), "\(count) items, \(threads) threads")
            #expect(states.flatMap { $0 }.sorted() == Array(0..<count))
        }
    }

    /// The parts of a range cover it in order, without gaps or overlaps,
    /// their sizes within one of each other.
    @Test func partsCoverTheRangeInOrder() {
        for count in [0, 1, 2, 7, 1000, 19_900] {
            for parts in [1, 2, 3, 8, 64] where parts <= max(count, 1) {
                let ranges = (0..<parts).map { Parallel.range($0, of: parts, count: count) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                let sizes = ranges.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1, "\(count) in \(parts): \(sizes)")
            }
        }
    }
}
