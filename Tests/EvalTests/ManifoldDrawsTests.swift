import Testing
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// Every draw's precision, recall, density and coverage from one pass
/// (``ManifoldDraws``) are the bits ``ManifoldMetrics`` gives on the draw's
/// rows, measured on their own.
@Suite struct ManifoldDrawsTests {
    /// Rows on a coarse integer grid: many exact ties at the radii, and
    /// repeated rows (zero radii), where a closed and an open ball differ.
    static func grid(_ rows: Int, columns: Int, _ rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<rows * columns).map { _ in Float(rng.next() % 5) })
    }

    static func gaussian(_ rows: Int, columns: Int, shift: Float, _ rng: inout SplitMix64) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<rows * columns).map { _ in
            let u = Float(rng.next() % 1_000_000) / 1_000_000, v = Float(rng.next() % 1_000_000) / 1_000_000
            return shift + (u + v - 1) * 3
        })
    }

    static func draws(of candidate: Matrix, count: Int, size: Int, k: Int, _ rng: inout SplitMix64)
        -> [(rows: [Int], radii: ManifoldMetrics.Radii)] {
        (0..<count).map { _ in
            var order = Array(0..<candidate.rows)
            order.shuffle(using: &rng)
            let rows = Array(order.prefix(size))  // unsorted on purpose: any order works
            return (rows, ManifoldMetrics.Radii(of: candidate.gatheringRows(rows), k: k, threads: 1))
        }
    }

    static func expectSameAsEachDraw(real: Matrix, candidate: Matrix, k: Int, boundary: BallQuery.Boundary,
                                     _ rng: inout SplitMix64) throws {
        let realRadii = ManifoldMetrics.Radii(of: real, k: k, threads: 2)
        let draws = draws(of: candidate, count: 3, size: candidate.rows / 2, k: k, &rng)
        for threads in [1, 2] {
            let found = try #require(ManifoldDraws(real: real, realRadii: realRadii, candidate: candidate, draws: draws,
                                                   boundary: boundary, threads: threads))
            for (d, draw) in draws.enumerated() {
                let alone = ManifoldMetrics(real: real, synthetic: candidate.gatheringRows(draw.rows), k: k, boundary: boundary,
                                            realRadii: realRadii, threads: threads)
                let v = found.values[d]
                #expect(v.precision.bitPattern == alone.precision.bitPattern)
                #expect(v.recall.bitPattern == alone.recall.bitPattern)
                #expect(v.density.bitPattern == alone.density.bitPattern)
                #expect(v.coverage.bitPattern == alone.coverage.bitPattern)
            }
        }
    }

    @Test(arguments: [BallQuery.Boundary.closed, .open])
    func eachDrawIsTheDrawMeasuredAlone(boundary: BallQuery.Boundary) throws {
        var rng = SplitMix64(seed: 0x5EED2616)  // seeded: a failure replays
        // Ties and duplicates, more candidate rows than a tile is wide.
        try Self.expectSameAsEachDraw(real: Self.grid(700, columns: 3, &rng), candidate: Self.grid(2600, columns: 3, &rng),
                                      k: 5, boundary: boundary, &rng)
        // Continuous rows, shifted apart so that precision and recall are not 1.
        try Self.expectSameAsEachDraw(real: Self.gaussian(900, columns: 7, shift: 0, &rng),
                                      candidate: Self.gaussian(2300, columns: 7, shift: 0.8, &rng), k: 3, boundary: boundary, &rng)
    }

    /// Past its pair limit the pass gives up (the caller measures each draw alone).
    @Test func tooManyPairsGivesNil() {
        var rng = SplitMix64(seed: 0x5EED2617)
        let real = Self.grid(300, columns: 2, &rng), candidate = Self.grid(600, columns: 2, &rng)
        let radii = ManifoldMetrics.Radii(of: real, k: 5, threads: 1)
        let draws = Self.draws(of: candidate, count: 2, size: 300, k: 5, &rng)
        #expect(ManifoldDraws(real: real, realRadii: radii, candidate: candidate, draws: draws, boundary: .closed,
                              pairLimit: 10, threads: 2) == nil)
        #expect(ManifoldDraws(real: real, realRadii: radii, candidate: candidate, draws: draws, boundary: .closed,
                              threads: 2) != nil)
    }

    /// The whole comparison with 3 size draws gives the same report for 1 and 2 threads.
    @Test func matchedDrawsDoNotDependOnThreads() throws {
        let human = realLookingTable(rows: 1500, seed: 31, source: "human")
        let synthetic = realLookingTable(rows: 3000, seed: 32, source: "synthetic")
        func report(_ threads: Int) throws -> FidelityReport {
            var p = ClassMatchedSizesTests.parameters(threads: threads, draws: 3)
            p.baselines = true
            return try FidelityReport(human: human, synthetic: synthetic, parameters: p)
        }
        let one = try report(1), two = try report(2)
        #expect(one.matchedSizes.subsampled == .synthetic && one.matchedSizes.draws == 3)
        for id in ClassMatchedSizes.metricIDs {
            let a = try #require(one.synthetic.matched[id]), b = try #require(two.synthetic.matched[id])
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
            for (ca, cb) in zip(one.perClass, two.perClass) {
                #expect(ca.matchedSizes?.synthetic[id]?.values.map(\.bitPattern) == cb.matchedSizes?.synthetic[id]?.values.map(\.bitPattern))
            }
        }
    }
}
