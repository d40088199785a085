import Testing
@testable import SynthctlCore

/// Both ways of splitting items across workers run every item exactly
/// once, for any count and thread count (more threads than items, none).
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
}
