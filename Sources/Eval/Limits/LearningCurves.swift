import Foundation
import Synth
import SynthctlCore

/// Where synthetic data stops helping: test error on held-out human rows
/// against the amount of training data, for human-only, synthetic-only
/// and human + synthetic training sets, each curve fitted with
/// err(n) = c + a·n^(−b) (``PowerLawFit``).
///
/// Each point trains the learner on `seeds` seeded random subsets of n rows
/// (without replacement) and reports the mean error and its standard
/// error. The sizes are geometric from a small n to everything available.
/// The mixed curve keeps a fixed number of human rows and adds growing
/// amounts of synthetic rows; its n is the synthetic count.
public struct LearningCurves: Sendable {
    /// The downstream model. `memorize` is the learner of memorization tasks
    /// (Hutter's toy model, "A Tale of Tails"): it predicts the label seen
    /// with an identical training row, and the most frequent training label
    /// for a row it has never seen.
    public enum Learner: String, Sendable, CaseIterable {
        case logistic, knn, memorize
        /// ``HistGradientBoostingClassifier`` with scikit-learn's defaults.
        case gbdt
    }

    public struct Parameters: Sendable {
        public var learner = Learner.logistic
        public var neighbors = 10
        public var points = 10
        public var seeds = 5
        /// Human rows in the mixed curve (default: a tenth of the human training rows).
        public var mixHumanRows: Int? = nil
        public var seed: UInt64 = 0
        public var threads = Parallel.coreCount
        /// Told as each (curve, point, seed) fit finishes (never a result).
        public var progress = WorkProgress.silent
        public init() {}
    }

    public struct Point: Sendable {
        public let rows: Int
        public let errors: [Double]
        public var mean: Double { errors.reduce(0, +) / Double(errors.count) }
        public var standardError: Double {
            guard errors.count > 1 else { return 0 }
            let m = mean
            return (errors.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(errors.count - 1) / Double(errors.count)).squareRoot()
        }
    }

    public struct Curve: Sendable {
        public let name: String
        public let points: [Point]
        /// Nil with fewer than 3 distinct sizes.
        public let fit: PowerLawFit?
    }

    /// The dominant allocations of the curves: each concurrent fit's training
    /// subset (up to the larger of the human pool and the mixed set), the
    /// k-nearest-neighbour lists of the test rows for `knn`, and one entry
    /// per (curve, point, seed) job.
    public static func memoryEstimate(humanRows: Int, syntheticRows: Int, testRows: Int, features d: Int,
                                      parameters p: Parameters) -> MemoryEstimate {
        let mix = min(p.mixHumanRows ?? max(humanRows / 10, 1), humanRows)
        let largest = max(humanRows, MemoryEstimate.sum([syntheticRows, mix]))
        let jobs = MemoryEstimate.product([3, p.points, p.seeds])
        let concurrent = max(1, min(p.threads, jobs))
        var e = MemoryEstimate()
        e.add("training subsets (\(concurrent) concurrent fits × \(largest) rows × \(d) features × 4 bytes × 3)", concurrent, largest, d, 12)
        if p.learner == .knn {
            e.add("neighbour lists (\(concurrent) concurrent fits × \(testRows) test rows × \(p.neighbors) neighbours × 8 bytes)",
                  concurrent, testRows, p.neighbors, 8, parameter: "neighbors")
        }
        e.add("one entry per job (3 curves × \(p.points) points × \(p.seeds) seeds × 64 bytes)", jobs, 64, parameter: "points")
        return e
    }

    public let parameters: Parameters
    public let testRows: Int
    /// The test split's most common class (the lowest id on ties) and the
    /// error of always predicting it: what a learner that ignores the
    /// features achieves, chance for ``LimitsFindings``.
    public let testMajorityClass: Int32
    public let testMajorityClassError: Double
    public let mixHumanRows: Int
    public let human: Curve
    public let synthetic: Curve
    public let mixed: Curve

    public init(humanTrain hx: Matrix, humanLabels hy: [Int32], synthetic sx: Matrix, syntheticLabels sy: [Int32],
                test tx: Matrix, testLabels ty: [Int32], classes: Int, parameters p: Parameters = Parameters()) {
        // Five rows per class to start, but never more than 2% of the pool
        // (a memorization task has as many classes as items).
        let smallest = max(20, min(5 * classes, max(hx.rows, sx.rows) / 50))
        func sizes(upTo top: Int) -> [Int] {
            guard top > smallest else { return [top] }
            let ratio = libmPow(Double(top) / Double(smallest), 1 / Double(max(p.points - 1, 1)))
            var out = (0..<p.points).map { Int((Double(smallest) * libmPow(ratio, Double($0))).rounded()) }
            out[out.count - 1] = top
            return Array(Set(out)).sorted()
        }
        let mixHuman = min(p.mixHumanRows ?? max(hx.rows / 10, 1), hx.rows)
        struct Job { let curve: Int; let point: Int; let seed: Int; let rows: Int }
        let plans = [sizes(upTo: hx.rows), sizes(upTo: sx.rows), sizes(upTo: sx.rows)]
        var jobs = [Job]()
        for (c, list) in plans.enumerated() { for (i, n) in list.enumerated() { for s in 0..<p.seeds { jobs.append(Job(curve: c, point: i, seed: s, rows: n)) } } }
        var errors = [Double](repeating: .nan, count: jobs.count)
        BLAS.useSingleThreadedBLAS()
        errors.withUnsafeMutableBufferPointer { ep in
            let sink = _UnsafeQuerySums(sums: ep)
            Parallel.forEach(jobs.count, threads: p.threads) { j in
                let job = jobs[j]
                // Substream per (curve, point, seed) and per source.
                let id = FidelityStreams.learningCurves + UInt32(job.curve * 1_000_000 + job.point * 1000 + job.seed) * 2
                var x: Matrix, y: [Int32]
                switch job.curve {
                case 0:
                    let rows = FidelityStreams.subsample(hx.rows, count: job.rows, seed: p.seed, id)
                    x = hx.gatheringRows(rows); y = rows.map { hy[$0] }
                case 1:
                    let rows = FidelityStreams.subsample(sx.rows, count: job.rows, seed: p.seed, id)
                    x = sx.gatheringRows(rows); y = rows.map { sy[$0] }
                default:
                    let h = FidelityStreams.subsample(hx.rows, count: mixHuman, seed: p.seed, id)
                    let s = FidelityStreams.subsample(sx.rows, count: job.rows, seed: p.seed, id + 1)
                    x = Matrix(rows: h.count + s.count, columns: hx.columns,
                               storage: hx.gatheringRows(h).storage + sx.gatheringRows(s).storage)
                    y = h.map { hy[$0] } + s.map { sy[$0] }
                }
                sink.sums[j] = Self.testError(trainX: x, trainY: y, testX: tx, testY: ty, classes: classes, parameters: p)
                p.progress.step("learning curves", of: jobs.count)
            }
        }
        func curve(_ c: Int, _ name: String) -> Curve {
            Self.curve(name, plans[c].enumerated().map { i, n in
                Point(rows: n, errors: jobs.indices.filter { jobs[$0].curve == c && jobs[$0].point == i }.map { errors[$0] })
            }, testRows: tx.rows)
        }
        parameters = p
        testRows = tx.rows
        var counts = [Int32: Int]()
        for label in ty { counts[label, default: 0] += 1 }
        let majority = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        testMajorityClass = majority?.key ?? 0
        testMajorityClassError = ty.isEmpty ? .nan : 1 - Double(majority?.value ?? 0) / Double(ty.count)
        mixHumanRows = mixHuman
        human = curve(0, "human")
        synthetic = curve(1, "synthetic")
        mixed = curve(2, "human+synthetic")
    }

    /// A curve through measured points, with its power law when it has 3
    /// or more: each point weighted by its standard error over seeds, at
    /// least half a test row's share (seeds that all agree still measure on
    /// a finite test split).
    static func curve(_ name: String, _ points: [Point], testRows: Int) -> Curve {
        let floor = 0.5 / Double(max(testRows, 1))
        let fit = points.count >= 3
            ? PowerLawFit(sizes: points.map { Double($0.rows) }, errors: points.map(\.mean),
                          sigmas: points.map { max($0.standardError, floor) })
            : nil
        return Curve(name: name, points: points, fit: fit)
    }

    /// Curves from measured points (for tests of what may be claimed from
    /// them): each fitted as the experiment fits its own.
    init(testRows: Int, testMajorityClass: Int32 = 0, testMajorityClassError: Double, human: [Point], synthetic: [Point],
         mixed: [Point], mixHumanRows: Int = 0, parameters: Parameters = Parameters()) {
        self.parameters = parameters
        self.testRows = testRows
        self.testMajorityClass = testMajorityClass
        self.testMajorityClassError = testMajorityClassError
        self.mixHumanRows = mixHumanRows
        self.human = Self.curve("human", human, testRows: testRows)
        self.synthetic = Self.curve("synthetic", synthetic, testRows: testRows)
        self.mixed = Self.curve("human+synthetic", mixed, testRows: testRows)
    }

    /// 1 − accuracy on the test rows of the learner trained on (x, y).
    /// The classes are numbered by first appearance in the training then
    /// the test rows (``FirstAppearanceClasses``) before the learner sees
    /// them (its sums and its ties run in class order), so the error does
    /// not depend on the order of the class names.
    static func testError(trainX x: Matrix, trainY runY: [Int32], testX tx: Matrix, testY runTY: [Int32], classes k: Int,
                          parameters p: Parameters) -> Double {
        let order = FirstAppearanceClasses(labels: runY + runTY, classes: k)
        let y = Array(order.labels[..<runY.count]), ty = Array(order.labels[runY.count...])
        let predicted: [Int32]
        if Set(y).count < 2 {
            predicted = [Int32](repeating: y.first ?? 0, count: tx.rows)
        } else {
            switch p.learner {
            case .logistic:
                predicted = LogisticRegression(features: x, labels: y, classes: max(k, 2)).predict(tx)
            case .gbdt:
                // The most probable class, the lower id among equal probabilities.
                let classes = max(k, 2)
                let probabilities = HistGradientBoostingClassifier(features: x, labels: y, classes: classes, threads: 1).probabilities(tx)
                predicted = (0..<tx.rows).map { i in
                    var best = 0
                    for c in 1..<classes where probabilities[i * classes + c] > probabilities[i * classes + best] { best = c }
                    return Int32(best)
                }
            case .memorize:
                var seen = [[UInt32]: Int32](minimumCapacity: x.rows)
                var counts = [Int32: Int]()
                for i in 0..<x.rows {
                    let key = (0..<x.columns).map { x[i, $0].bitPattern }
                    if seen[key] == nil { seen[key] = y[i] }
                    counts[y[i], default: 0] += 1
                }
                let common = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
                predicted = (0..<tx.rows).map { i in seen[(0..<tx.columns).map { tx[i, $0].bitPattern }] ?? common }
            case .knn:
                let neighbors = min(p.neighbors, x.rows)
                let found = NearestNeighbors.search(queries: tx, references: x, k: neighbors, threads: 1)
                // Majority of the k labels (ties to the lower class id), in
                // O(k²): the class count may be huge (one class per item).
                predicted = (0..<tx.rows).map { i in
                    let labels = (0..<neighbors).compactMap { j -> Int32? in
                        let r = found.indices[i * neighbors + j]
                        return r >= 0 ? y[Int(r)] : nil
                    }
                    var best: Int32 = labels.first ?? 0, bestVotes = 0
                    for label in labels {
                        let votes = labels.lazy.filter { $0 == label }.count
                        if votes > bestVotes || (votes == bestVotes && label < best) { best = label; bestVotes = votes }
                    }
                    return best
                }
            }
        }
        var wrong = 0
        for i in 0..<tx.rows where predicted[i] != ty[i] { wrong += 1 }
        return Double(wrong) / Double(max(tx.rows, 1))
    }

    /// The neighbours `knn` used at `point` of `curve`: ``Parameters/neighbors``
    /// capped at the point's training rows (n, or ``mixHumanRows`` + n on
    /// the mixed curve), as ``testError`` caps it; nil for the other learners.
    public func neighborsUsed(_ curve: Curve, _ point: Point) -> Int? {
        guard parameters.learner == .knn else { return nil }
        return min(parameters.neighbors, curve.name == mixed.name ? mixHumanRows + point.rows : point.rows)
    }

    /// The fewest neighbours `knn` used at any point (nil for the other learners).
    public var fewestNeighborsUsed: Int? {
        [human, synthetic, mixed].flatMap { c in c.points.compactMap { neighborsUsed(c, $0) } }.min()
    }

    /// How many synthetic rows reach the error that `humanRows` human rows
    /// reach (both from the fitted curves), or nil when that error is at or
    /// below the synthetic plateau: no amount of synthetic data buys it, or
    /// when either fit is no power law that falls (scale or exponent ≤ 0:
    /// a rising curve's; see ``LimitsFindings``).
    public func syntheticRowsMatching(humanRows m: Double) -> Double? {
        guard let h = human.fit, let s = synthetic.fit, h.scale > 0, h.exponent > 0 else { return nil }
        return s.rows(toReach: h.error(at: m))
    }
}
