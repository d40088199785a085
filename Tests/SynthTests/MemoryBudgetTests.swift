import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The memory budget: estimates that never overflow, sizes as people write
/// them, and a one-line refusal naming the subject, the estimate and the limit.
@Suite struct MemoryBudgetTests {
    @Test func productsAndSumsSaturateInsteadOfTrapping() {
        #expect(MemoryEstimate.product([1_000_000_000_000, 10_000_000, 4]) == Int.max)
        #expect(MemoryEstimate.product([3, 5, 7]) == 105)
        #expect(MemoryEstimate.product([Int.max, 0]) == 0)
        #expect(MemoryEstimate.product([-5, 3]) == 0)
        #expect(MemoryEstimate.sum([Int.max, 1]) == Int.max)
        var e = MemoryEstimate()
        e.add("a", Int.max)
        e.add("b", 10)
        #expect(e.total == Int.max)
        #expect(e.largest?.name == "a")
    }

    @Test func sizesParseWithBinaryUnits() {
        let cases: [(String, Int?)] = [
            ("64G", 64 << 30), ("512M", 512 << 20), ("1.5GiB", 3 << 29), ("800mb", 800 << 20), ("1000000", 1_000_000),
            ("2T", 2 << 40), ("4k", 4096), ("1P", 1 << 50),
            ("", nil), ("abc", nil), ("-1G", nil), ("0", nil), ("1e3", nil), ("G", nil), ("nan", nil), ("9000P", nil), ("1.5.2G", nil),
        ]
        for (text, bytes) in cases { #expect(MemoryBudget.bytes(parsing: text) == bytes, "\(text)") }
        #expect(MemoryBudget.describe(512) == "512 B")
        #expect(MemoryBudget.describe(3 << 29) == "1.5 GiB")
        #expect(MemoryBudget.physicalMemory > 0)
    }

    @Test func aRefusalNamesTheSubjectTheEstimateAndTheLimit() {
        var e = MemoryEstimate()
        e.add("neighbour lists (10 rows × 1000 neighbours × 8 bytes)", 10, 1000, 8, parameter: "neighbors")
        e.add("probabilities", 100)
        let budget = MemoryBudget(limit: 1024)
        do {
            try budget.check(e, subject: "y.npy")
            Issue.record("expected a refusal")
        } catch let error as MemoryLimitExceeded {
            #expect(error.parameter == "neighbors")
            #expect(error.description == "y.npy: neighbors: expected a run within the memory limit of 1.0 KiB, found an estimate of 78.2 KiB; neighbour lists (10 rows × 1000 neighbours × 8 bytes): 78.1 KiB")
            #expect(error.message(naming: "--neighbors").hasPrefix("--neighbors: expected a run within the memory limit of 1.0 KiB"))
        } catch { Issue.record("\(error)") }
        // At the limit is allowed; one byte more is not.
        var exact = MemoryEstimate()
        exact.add("x", 1024)
        #expect(throws: Never.self) { try budget.check(exact, subject: "s") }
        exact.add("y", 1)
        #expect(throws: MemoryLimitExceeded.self) { try budget.check(exact, subject: "s") }
        // An overflowing estimate still reads as a number.
        var huge = MemoryEstimate()
        huge.add("everything", Int.max)
        #expect("\(MemoryLimitExceeded(subject: "s", estimate: huge, limit: 1024))".contains("more than 8 EiB"))
    }

    /// A budget set for one task is that task's only: the process-wide one,
    /// which other work in the process sees, is unchanged.
    @Test func aScopedBudgetIsSeenByItsTaskOnly() async {
        let process = MemoryBudget.current
        let small = MemoryBudget(limit: 1 << 20)
        MemoryBudget.withLimit(small) {
            #expect(MemoryBudget.current == small)
            let other = Thread.detachedCurrentBudget()
            #expect(other == process)
        }
        #expect(MemoryBudget.current == process)
    }
}

private extension Thread {
    /// ``MemoryBudget/current`` as a thread outside the task sees it.
    static func detachedCurrentBudget() -> MemoryBudget {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var seen = MemoryBudget.unlimited
        Thread.detachNewThread { seen = MemoryBudget.current; done.signal() }
        done.wait()
        return seen
    }
}
