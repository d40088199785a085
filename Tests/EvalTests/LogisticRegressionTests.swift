import Testing
import Foundation
import Synth
@testable import Eval

/// The logistic regression against scikit-learn's optimum on the same data
/// (Tests/Oracles/logistic_oracle.py), and the cross-validation contracts.
@Suite struct LogisticRegressionTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/logistic")

    static func data() throws -> (Matrix, [Int32]) {
        let x = try NpyArray(path: dir.appendingPathComponent("features.npy").path)
        let y = try NpyArray(path: dir.appendingPathComponent("labels.npy").path)
        return (Matrix(rows: x.rows, columns: x.columns, storage: x.values.map(Float.init)), y.values.map { Int32($0) })
    }

    @Test(arguments: ["1.0", "0.05"], [false, true])
    func reachesScikitLearnsOptimum(c: String, standardize: Bool) throws {
        let (x, y) = try Self.data()
        struct Reference: Decodable {
            let raw: [[Double]], standardized: [[Double]], objective_raw: Double, objective_standardized: Double
        }
        let expected = try JSONDecoder().decode([String: Reference].self,
                                                from: Data(contentsOf: Self.dir.appendingPathComponent("expected.json")))
        var options = LogisticRegression.Options()
        options.inverseRegularization = Double(c)!
        options.standardize = standardize
        options.gradientTolerance = 1e-6
        options.maxIterations = 5000
        let model = LogisticRegression(features: x, labels: y, classes: 3, options: options)
        #expect(model.converged)
        let p = model.probabilities(x)
        let r = try #require(expected[c])
        let reference = (standardize ? r.standardized : r.raw).flatMap { $0 }
        #expect(abs(model.objective - (standardize ? r.objective_standardized : r.objective_raw)) < 1e-7)
        let worst = zip(p, reference).map { abs($0 - $1) }.max()!
        #expect(worst < (standardize ? 2e-4 : 1e-3), "largest probability difference \(worst), \(model.iterations) iterations, objective \(model.objective)")
    }

    @Test func foldsAreStratifiedSeededAndCoverEveryRow() {
        let labels = (0..<1000).map { Int32($0 % 7 == 0 ? 2 : $0 % 3 == 0 ? 1 : 0) }
        let a = CrossValidation.folds(labels: labels, classes: 3, count: 5, seed: 1)
        #expect(a == CrossValidation.folds(labels: labels, classes: 3, count: 5, seed: 1))
        #expect(a != CrossValidation.folds(labels: labels, classes: 3, count: 5, seed: 2))
        for c in Int32(0)..<3 {
            let counts = (0..<5).map { f in labels.indices.filter { labels[$0] == c && a[$0] == f }.count }
            #expect(counts.max()! - counts.min()! <= 1, "class \(c): \(counts)")
        }
    }

    @Test func crossValidatedProbabilitiesAreOutOfSample() throws {
        let (x, y) = try Self.data()
        let (p, fits) = CrossValidation.logisticProbabilities(features: x, labels: y, classes: 3, folds: 5, seed: 0)
        #expect(fits.iterations.count == 5)
        for i in 0..<p.rows { #expect(abs((0..<3).map { p[i, $0] }.reduce(0, +) - 1) < 1e-9) }
        // In-sample fit is at least as confident in the given labels as out-of-sample on average.
        let inSample = LogisticRegression(features: x, labels: y, classes: 3).probabilities(x)
        let mean = { (q: (Int) -> Double) in (0..<x.rows).map(q).reduce(0, +) / Double(x.rows) }
        #expect(mean { inSample[$0 * 3 + Int(y[$0])] } > mean { p[$0, Int(y[$0])] })
    }
}

/// The tiled k-nearest-neighbour search against scikit-learn's brute-force
/// NearestNeighbors on the same rows (Tests/Oracles/logistic_oracle.py).
@Suite struct NearestNeighborTests {
    struct Neighbors: Decodable { let indices: [[Int]]; let distances: [[Double]] }

    @Test func matchesScikitLearn() throws {
        let (x, _) = try LogisticRegressionTests.data()
        let expected = try JSONDecoder().decode(Neighbors.self, from: Data(contentsOf:
            LogisticRegressionTests.dir.appendingPathComponent("neighbors.json")))
        let queries = x.gatheringRows(Array(0..<100))
        let d = x.columns
        func row(_ i: Int) -> [Double] { (0..<d).map { Double(x[i, $0]) } }
        func squaredNorm(_ i: Int) -> Double { row(i).reduce(0) { $0 + $1 * $1 } }
        for threads in [1, 2] {
            let r = NearestNeighbors.search(queries: queries, references: x, k: 6, threads: threads)
            for q in 0..<100 {
                let found = (0..<6).map { Int(r.indices[q * 6 + $0]) }
                // Brute force in Double, ties to the lower index: the search is exact.
                let all = (0..<x.rows).map { j in (zip(row(q), row(j)).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }, j) }
                let best = all.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(6)
                #expect(found == best.map(\.1), "row \(q)")
                for (j, b) in best.enumerated() {
                    #expect(abs(r.squaredDistance(query: q, rank: j) - b.0) <= 1e-12 * max(b.0, 1e-300), "row \(q) rank \(j)")
                }
                // scikit-learn's float64 ‖q‖² + ‖r‖² − 2q·r is off by at most
                // about (d + 2)·u·(‖q‖² + ‖r‖²) in squared distance (doubled
                // here for headroom); within that, the same rows in the same order.
                for j in 0..<6 {
                    let theirs = expected.distances[q][j] * expected.distances[q][j]
                    let bound = 2 * Double(d + 2) * Double.ulpOfOne / 2 * (squaredNorm(q) + squaredNorm(expected.indices[q][j]))
                    #expect(abs(r.squaredDistance(query: q, rank: j) - theirs) <= bound, "row \(q) rank \(j)")
                    if found[j] != expected.indices[q][j] {
                        let mine = r.squaredDistance(query: q, rank: j)
                        let swapped = all[expected.indices[q][j]].0
                        #expect(abs(mine - swapped) <= bound, "row \(q): \(found) vs \(expected.indices[q])")
                    }
                }
            }
        }
    }

    @Test func excludedPairsNeverAppearAndThreadsDoNotMatter() {
        let x = Matrix(rows: 700, columns: 5, storage: (0..<3500).map { Float(($0 * 7919) % 1013) / 1013 })
        let a = NearestNeighbors.search(queries: x, references: x, k: 4, threads: 1, excluded: { ($0 - $1) % 3 == 0 })
        let b = NearestNeighbors.search(queries: x, references: x, k: 4, threads: 2, excluded: { ($0 - $1) % 3 == 0 })
        #expect(a.indices == b.indices && a.squaredDistances == b.squaredDistances)
        for q in 0..<700 { for j in 0..<4 { #expect((q - Int(a.indices[q * 4 + j])) % 3 != 0) } }
    }
}
