#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import SynthctlCore

/// Label noise with a meaning that cannot be misread, and the truth recorded.
///
/// Every kind has a transition matrix T with T[i][j] = P(observed j | true i).
/// For all kinds but `boundary` T is exact and written to the manifest; the
/// realized counts (which rows flipped, to what) are always written too.
///
/// Kinds (`noise.type`):
/// - `none`: labels are the true labels.
/// - `flip` (`rate`): each row's label is changed with probability `rate`,
///   always to a different class, uniformly among the others. The expected
///   share of wrong labels is exactly `rate` (scikit-learn's `flip_y`
///   resamples from all classes and changes only rate·(1 − 1/K)).
/// - `resample` (`rate`): scikit-learn's `flip_y` semantics, for comparison:
///   with probability `rate` the label is redrawn uniformly from all classes,
///   possibly the same one.
/// - `pair` (`rate`): class c becomes class (c + 1) mod K with probability
///   `rate`: the asymmetric "pair flipping" of the noisy-label literature.
/// - `random` (`rate`): each class keeps its label with probability 1 − rate
///   and spreads `rate` over the other classes with random Dirichlet(1)
///   weights (fixed by the seed): class-conditional noise that differs by
///   class.
/// - `matrix` (`matrix`): an explicit K×K row-stochastic T.
/// - `boundary` (`rate`, `width` = 1): instance-dependent noise. A row at
///   margin m from its class boundary flips with probability
///   min(1, s·exp(−m / width)) to the class across that boundary; s is set so
///   that the expected flip rate over the generator's distribution is `rate`
///   (calibrated on a fixed sample of 20,000 rows, independent of the row
///   count). Smaller `width` concentrates the flips nearer the boundary.
///
/// A T that makes the labels unlearnable is rejected: every true class must
/// keep its own label more often than it becomes any other, and every observed
/// label must more often come from its own class than from any other given the
/// class frequencies (the check cleanlab's `noise_matrix_is_valid` makes).
public struct LabelNoise: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case none, flip, resample, pair, random, matrix, boundary }

    public let kind: Kind
    public let rate: Double
    public let width: Double
    /// The expected transition matrix; for `boundary`, an estimate from the
    /// calibration sample.
    public let transition: [[Double]]
    let cumulative: [[Double]]
    /// s in the boundary flip probability.
    let boundaryScale: Double
    let stream: RandomStream
    let classes: Int

    /// The rows of the calibration sample for `boundary` noise.
    public static let calibrationRows = 20_000

    /// - Parameters:
    ///   - prior: the class frequencies of the generator (for the check).
    ///   - calibration: builds a generator of `calibrationRows` rows; used
    ///     only by `boundary`.
    public init(
        spec: SpecObject?, classes: Int, prior: [Double], seed: UInt64,
        calibration: () throws -> any DatasetGenerator
    ) throws {
        self.classes = classes
        self.stream = RandomStream(seed: seed, .labelNoise)
        guard let spec else {
            kind = .none; rate = 0; width = 1; boundaryScale = 0
            transition = Self.identity(classes); cumulative = Self.cumulate(transition)
            return
        }
        let k = try Kind(rawValue: spec.string("type", default: "flip", oneOf: Kind.allCases.map(\.rawValue)))!
        kind = k
        var t = Self.identity(classes)
        var r = 0.0, w = 1.0, s = 0.0
        switch k {
        case .none: break
        case .flip:
            r = try spec.double("rate", min: 0, max: 1)
            for i in 0..<classes { for j in 0..<classes { t[i][j] = i == j ? 1 - r : r / Double(classes - 1) } }
        case .resample:
            r = try spec.double("rate", min: 0, max: 1)
            for i in 0..<classes { for j in 0..<classes { t[i][j] = (i == j ? 1 - r : 0) + r / Double(classes) } }
        case .pair:
            r = try spec.double("rate", min: 0, max: 1)
            for i in 0..<classes { t[i][i] = 1 - r; t[i][(i + 1) % classes] += r }
        case .random:
            r = try spec.double("rate", min: 0, max: 1)
            let draws = StructureDraws(seed: seed)
            for i in 0..<classes {
                let e = (0..<classes).map { j in j == i ? 0 : -polynomialLog(1 - draws.uniform(.noiseTransition, i * classes + j)) }
                let total = e.reduce(0, +)
                for j in 0..<classes { t[i][j] = j == i ? 1 - r : r * e[j] / total }
            }
        case .matrix:
            guard let m = try spec.matrix("matrix", rows: classes, columns: classes) else {
                throw spec.fail("matrix", "a \(classes)×\(classes) transition matrix", found: nil)
            }
            for (i, row) in m.enumerated() {
                if let bad = row.firstIndex(where: { $0 < 0 || $0 > 1 }) {
                    throw SpecError(source: spec.source, path: "\(spec.path).matrix[\(i)][\(bad)]", expected: "a probability in [0, 1]", found: JSONValue.format(row[bad]))
                }
                let sum = row.reduce(0, +)
                guard abs(sum - 1) <= 1e-6 else {
                    throw SpecError(source: spec.source, path: "\(spec.path).matrix[\(i)]", expected: "a row that sums to 1 (a distribution over observed labels)",
                                    found: "a sum of \(displayNumber(sum))")
                }
            }
            t = m
            r = (0..<classes).reduce(0) { $0 + prior[$1] * (1 - m[$1][$1]) }
        case .boundary:
            r = try spec.double("rate", min: 0, max: 1, exclusiveMax: true)
            w = try spec.double("width", default: 1, min: 0, exclusiveMin: true)
            let generator = try calibration()
            (s, t) = Self.calibrateBoundary(generator: generator, rate: r, width: w, classes: classes)
        }
        try spec.finish()
        rate = r; width = w; boundaryScale = s; transition = t
        cumulative = Self.cumulate(t)
        try Self.checkLearnable(t, prior: prior, source: spec.source, path: spec.path)
    }

    public var resolvedSpec: JSONValue {
        var o: [String: JSONValue] = ["type": .string(kind.rawValue)]
        switch kind {
        case .none: break
        case .matrix: o["matrix"] = JSONValue(transition)
        case .boundary: o["rate"] = .double(rate); o["width"] = .double(width)
        default: o["rate"] = .double(rate)
        }
        return .object(o)
    }

    /// The observed label of `row`, whose true label is `label`; `features`
    /// is the row's values (`generator.featureCount` of them), read only by
    /// instance-dependent (boundary) noise.
    @inline(__always)
    public func apply(row: Int, label: Int, features: Span<Float>, generator: any DatasetGenerator) -> Int {
        switch kind {
        case .none: return label
        case .flip:
            guard stream.uniform(row: UInt64(row), draw: 0) < rate else { return label }
            let k = stream.integer(below: classes - 1, row: UInt64(row), draw: 1)
            return k >= label ? k + 1 : k
        case .pair:
            return stream.uniform(row: UInt64(row), draw: 0) < rate ? (label + 1) % classes : label
        case .resample, .random, .matrix:
            let u = stream.uniform(row: UInt64(row), draw: 0)
            let c = cumulative[label]
            for j in 0..<(classes - 1) where u < c[j] { return j }
            return classes - 1
        case .boundary:
            let (margin, competitor) = generator.boundary(features: features, label: label)
            let p = min(1, boundaryScale * polynomialExp(-Double(margin) / width))
            return stream.uniform(row: UInt64(row), draw: 0) < p ? competitor : label
        }
    }

    static func identity(_ k: Int) -> [[Double]] {
        (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0.0 } }
    }

    static func cumulate(_ t: [[Double]]) -> [[Double]] {
        t.map { row in
            var acc = 0.0
            return row.map { acc += $0; return acc }
        }
    }

    /// Finds s with mean(min(1, s·exp(−m/width))) = rate on the calibration
    /// rows, by bisection, and estimates T from the same rows.
    static func calibrateBoundary(generator: any DatasetGenerator, rate: Double, width: Double, classes: Int)
        -> (Double, [[Double]])
    {
        let n = LabelNoise.calibrationRows, d = generator.featureCount
        var x = [Float](repeating: 0, count: n * d)
        var y = [Int32](repeating: 0, count: n)
        var weight = [Double](repeating: 0, count: n)
        var competitor = [Int](repeating: 0, count: n)
        generator.fill(rows: 0..<n, features: &x, labels: &y)
        let rowsOfX = x.span
        for i in 0..<n {
            let (m, c) = generator.boundary(features: rowsOfX.extracting((i * d)..<((i + 1) * d)), label: Int(y[i]))
            weight[i] = polynomialExp(-Double(m) / width)
            competitor[i] = c
        }
        func mean(_ s: Double) -> Double { weight.reduce(0) { $0 + min(1, s * $1) } / Double(n) }
        var lo = 0.0, hi = 1.0
        while mean(hi) < rate && hi < 1e12 { hi *= 2 }
        for _ in 0..<100 { let mid = (lo + hi) / 2; if mean(mid) < rate { lo = mid } else { hi = mid } }
        let s = hi
        var counts = [[Double]](repeating: [Double](repeating: 0, count: classes), count: classes)
        for i in 0..<n {
            let p = min(1, s * weight[i])
            counts[Int(y[i])][Int(y[i])] += 1 - p
            counts[Int(y[i])][competitor[i]] += p
        }
        let t = counts.enumerated().map { i, row -> [Double] in
            let total = row.reduce(0, +)
            return total > 0 ? row.map { $0 / total } : (0..<classes).map { $0 == i ? 1 : 0 }
        }
        return (s, t)
    }

    /// Rejects a transition matrix under which the observed labels no longer
    /// identify the true classes.
    static func checkLearnable(_ t: [[Double]], prior: [Double], source: String, path: String) throws {
        let k = t.count
        for i in 0..<k {
            for j in 0..<k where j != i && t[i][j] >= t[i][i] {
                throw SpecError(source: source, path: path, expected: "learnable noise (each class keeps its label more often than it becomes another)",
                                found: "true class \(i) observed as \(j) with probability \(displayNumber(t[i][j])) ≥ the \(displayNumber(t[i][i])) it keeps")
            }
        }
        for j in 0..<k where prior[j] > 0 {
            for i in 0..<k where i != j && prior[i] * t[i][j] >= prior[j] * t[j][j] {
                throw SpecError(source: source, path: path, expected: "learnable noise (each observed label most often from its own class)",
                                found: "observed label \(j) more often from true class \(i) (joint \(displayNumber(prior[i] * t[i][j]))) than from class \(j) (\(displayNumber(prior[j] * t[j][j])))")
            }
        }
    }
}

