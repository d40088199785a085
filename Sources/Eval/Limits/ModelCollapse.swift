import Foundation
import Synth
import SynthctlCore

/// Recursive training (Shumailov et al., Nature 2024; Gerstgrasser et al.
/// 2024): each generation fits the model to data and samples the next
/// generation's rows from the fit.
///
/// - `replace`: generation g is fitted to generation g − 1's rows only (the
///   first to the human rows). Estimation error compounds: the fitted
///   spread performs a random walk with negative drift, and tails vanish.
/// - `accumulate`: generation g is fitted to the human rows and every
///   generation's rows so far. The error stays bounded: no collapse.
///
/// Per generation, against the human rows: how far the mean moved (in units
/// of the human per-feature standard deviation, averaged over features),
/// the ratio of total variances, the share of sampled values beyond the
/// human 1st and 99th percentiles (2% for the human data itself), the
/// Fréchet distance, and the accuracy on held-out human rows of a logistic
/// regression trained on the generation's rows.
///
/// A human column with a single value (a constant column) has no standard
/// deviation to measure drift in and no percentile range to fall outside of:
/// it is left out of the mean drift and the tail mass, which average over
/// the other columns (nil when there are none), and reported on its own, in
/// its own units: how far the generation's mean moved from the constant and
/// how much spread the generation gave it (the fitted covariance is shrunk
/// toward a multiple of the identity, so a refit gives a constant column
/// some variance). The variance ratio is nil when every human column is
/// constant (a total variance of 0).
///
/// So is a **near-constant** column, whose standard deviation is at most
/// ``nearConstantUlps`` float32 ulp at its magnitude: the larger of its
/// largest |value| and the rows' overall scale √(tr Σ_h / d). Features are
/// float32, held to ½ ulp; at a spread of a few ulp a column takes a
/// handful of distinct values, and rounding alone can move its mean by ⅛
/// of its spread — drift the report would read as collapse. Against the
/// rows' scale: the fitted covariance is shrunk toward the average
/// variance and every generation is sampled as float32 sums at that scale,
/// so a column that varies below float32's resolution there (1e-30·N(0, 1)
/// beside unit columns) gets a spread of the rows' scale on the first
/// refit: 10²⁹ of its own standard deviations (a mean drift of 6.5e27 was
/// reported), and a column 5 + 1e-6·N(0, 1) (2 ulp at 5) drifted 6947.
/// A column that is small but resolved (1e-3·N(0, 1) beside unit
/// columns) stays measured: the shrinkage inflates it too, and that is
/// drift the refitted model really makes.
public struct ModelCollapse: Sendable {
    public enum Mode: String, Sendable, CaseIterable { case replace, accumulate }

    public struct Generation: Sendable {
        public let index: Int
        public let trainingRows: Int
        /// Mean |μ_g − μ_h| / σ_h over the human columns that are not
        /// constant; nil when every column is.
        public let meanDrift: Double?
        /// tr Σ_g / tr Σ_h of the sampled rows; nil when tr Σ_h = 0.
        public let varianceRatio: Double?
        /// Share of sampled values outside the human [1st, 99th] percentiles,
        /// per feature, averaged over the columns that are not constant and
        /// where those percentiles differ; nil when there are none.
        public let tailMass: Double?
        /// The largest |μ_g − c| over the constant human columns (value c), in
        /// the column's own units; nil without constant columns.
        public let constantColumnDrift: Double?
        /// The largest standard deviation the generation's rows have in a
        /// constant human column, in its units; nil without constant columns.
        public let constantColumnSpread: Double?
        public let frechet: Double?
        public let accuracy: Double?
        /// √(tr Σ / d) of the fitted model, the overall spread it will sample with.
        public let fittedSpread: Double
    }

    /// A column whose standard deviation is at most this many float32 ulp
    /// at its magnitude counts as constant (see the type's documentation).
    public static let nearConstantUlps = 4.0

    public let mode: Mode
    public let rowsPerGeneration: Int
    /// The human columns holding a single value or varying by at most
    /// ``nearConstantUlps`` float32 ulp at their magnitude, ascending.
    public let constantColumns: [Int]
    public let generations: [Generation]

    /// The rows a run holds at once: a generation's sample (m × D) and, when
    /// accumulating, the pool of the human rows and every generation so far
    /// (twice, while it is extended).
    public static func memoryEstimate(humanRows n: Int, features d: Int, generations: Int, rows m: Int, mode: Mode) -> MemoryEstimate {
        var e = MemoryEstimate()
        e.add("a generation's rows (\(m) rows × \(d) features × 4 bytes × 3)", m, d, 12, parameter: "rows")
        if mode == .accumulate {
            let pool = MemoryEstimate.sum([n, MemoryEstimate.product([generations, m])])
            e.add("the accumulated rows ((\(n) + \(generations) generations × \(m)) rows × \(d) features × 4 bytes × 2)",
                  pool, d, 8, parameter: "generations")
        }
        return e
    }

    /// Every generation is fitted, sampled and learned from with the
    /// classes numbered by first appearance in the human rows then the test
    /// rows (``FirstAppearanceClasses``), not in the run's class order: the
    /// sampler deals rows to classes in class order and the classifier sums
    /// over classes in index order, so the same rows given as `ClassLabel`
    /// ids, as text, or under names whose byte order differs would
    /// otherwise get different numbers (as `compare` and `limits` would).
    /// Nothing reported is per class, so nothing is put back.
    ///
    /// - Parameters:
    ///   - human: the human rows (generation 0's data) and their labels.
    ///   - test: held-out human rows for the downstream accuracy, or nil.
    ///   - source: names the human rows in messages (a file): a fit that
    ///     fails names it and whose rows it fitted (its training rows, or a
    ///     generation's sampled rows).
    public init(human x: Matrix, labels runLabels: [Int32], classNames runNames: [String], test runTest: (Matrix, [Int32])?,
                generations: Int, rows m: Int, mode: Mode, shrinkage: CovarianceShrinkage = .ledoitWolf,
                seed: UInt64 = 0, source: String = "the human rows", progress: WorkProgress = .silent) throws {
        precondition(generations >= 1 && m >= 2)
        let order = FirstAppearanceClasses(labels: runLabels + (runTest?.1 ?? []), classes: runNames.count)
        var classNames = runNames
        for (c, number) in order.canonical.enumerated() { classNames[number] = runNames[c] }
        let labels = Array(order.labels[..<runLabels.count])
        let test = runTest.map { ($0.0, Array(order.labels[runLabels.count...])) }
        try MemoryBudget.current.check(Self.memoryEstimate(humanRows: x.rows, features: x.columns, generations: generations,
                                                           rows: m, mode: mode), subject: "collapse")
        let d = x.columns
        let humanMoments = Moments(x)
        let humanSD = (0..<d).map { humanMoments.covariance[$0 * d + $0].squareRoot() }
        let humanTrace = (0..<d).reduce(0.0) { $0 + humanMoments.covariance[$1 * d + $1] }
        var constant = [Bool](repeating: false, count: d)
        let scale = (humanTrace / Double(max(d, 1))).squareRoot()
        let bounds = (0..<d).map { j -> (Double, Double) in
            let column = (0..<x.rows).map { Double(x[$0, j]) }.sorted()
            let magnitude = max(abs(column.first ?? 0), abs(column.last ?? 0), scale)
            constant[j] = column.first == column.last || humanSD[j] <= Self.nearConstantUlps * Double(Float(magnitude).ulp)
            return (linearQuantile(sorted: column, 0.01), linearQuantile(sorted: column, 0.99))
        }
        let measured = (0..<d).filter { !constant[$0] }, ranged = (0..<d).filter { !constant[$0] && bounds[$0].0 < bounds[$0].1 }
        let constantColumns = (0..<d).filter { constant[$0] }
        let names = (0..<d).map { "x\($0)" }
        var pool = x, poolLabels = labels
        var out = [Generation]()
        for g in 1...generations {
            defer { progress.step("generations", of: generations) }
            let fitted = g == 1 ? "\(source), training rows"
                : mode == .replace ? "\(source), generation \(g - 1)'s sampled rows" : "\(source), training rows and generations 1–\(g - 1)'s sampled rows"
            let model = try GaussianClassModel(fitting: pool, labels: poolLabels, classNames: classNames, featureNames: names,
                                               shrinkage: shrinkage, source: fitted)
            let (sample, sampleLabels) = try Self.sample(model, rows: m, seed: seed &+ UInt64(g), classNames: classNames)
            let moments = Moments(sample)
            var drift = 0.0, tails = 0.0
            for j in measured { drift += abs(moments.mean[j] - humanMoments.mean[j]) / humanSD[j] }
            for j in ranged {
                var outside = 0
                for i in 0..<sample.rows {
                    let v = Double(sample[i, j])
                    if v < bounds[j].0 || v > bounds[j].1 { outside += 1 }
                }
                tails += Double(outside) / Double(sample.rows)
            }
            let constantDrift = constantColumns.map { abs(moments.mean[$0] - humanMoments.mean[$0]) }.max()
            let constantSpread = constantColumns.map { moments.covariance[$0 * d + $0].squareRoot() }.max()
            let trace = (0..<d).reduce(0.0) { $0 + moments.covariance[$1 * d + $1] }
            var fittedTrace = 0.0
            for c in model.classes.indices {
                let cov = model.covariance(ofClass: c)
                for j in 0..<d { fittedTrace += model.classes[c].weight * cov[j * d + j] }
            }
            var accuracy: Double? = nil
            // A generation left with one class trains a model that predicts it.
            if let (tx, ty) = test, !ty.isEmpty {
                let predicted = LogisticRegression(features: sample, labels: sampleLabels, classes: classNames.count).predict(tx)
                accuracy = Double(zip(predicted, ty).lazy.filter { $0 == $1 }.count) / Double(tx.rows)
            }
            out.append(Generation(index: g, trainingRows: pool.rows,
                                  meanDrift: measured.isEmpty ? nil : drift / Double(measured.count),
                                  varianceRatio: humanTrace > 0 ? trace / humanTrace : nil,
                                  tailMass: ranged.isEmpty ? nil : tails / Double(ranged.count),
                                  constantColumnDrift: constantDrift, constantColumnSpread: constantSpread,
                                  frechet: try? FrechetDistance(humanMoments, moments, fixedOrder: true).distance,
                                  accuracy: accuracy, fittedSpread: (fittedTrace / Double(d)).squareRoot()))
            switch mode {
            case .replace:
                pool = sample
                poolLabels = sampleLabels
            case .accumulate:
                pool = Matrix(rows: pool.rows + sample.rows, columns: d, storage: pool.storage + sample.storage)
                poolLabels += sampleLabels
            }
        }
        self.mode = mode
        rowsPerGeneration = m
        self.constantColumns = constantColumns
        self.generations = out
    }

    /// `rows` rows sampled from a model, as `synthctl gen --model` would
    /// write them, with labels numbered as in `classNames` (a model holds
    /// only the classes it was fitted on, in that order).
    public static func sample(_ model: GaussianClassModel, rows: Int, seed: UInt64, classNames: [String]) throws -> (Matrix, [Int32]) {
        let generator = GaussianModelGenerator(model: model, rows: rows, seed: seed)
        var x = Matrix(rows: rows, columns: model.featureCount)
        var labels = [Int32](repeating: 0, count: rows)
        generator.fill(rows: 0..<rows, features: &x.storage, labels: &labels)
        let index = Dictionary(classNames.enumerated().map { (ExactText($1), Int32($0)) }) { first, _ in first }  // by bytes
        let ids = model.classes.map { index[ExactText($0.name)] ?? 0 }
        return (x, labels.map { ids[Int($0)] })
    }
}
