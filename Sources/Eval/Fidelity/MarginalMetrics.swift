import Synth
import SynthctlCore

/// One-dimensional comparisons, feature by feature, plus the label
/// distribution and the correlation structure.
///
/// - Kolmogorov–Smirnov statistic D = sup_t |F₁(t) − F₂(t)| (SciPy's
///   `ks_2samp` statistic; SDMetrics' KSComplement is 1 − D);
/// - Wasserstein-1 = ∫ |F₁ − F₂| dt, exact from the sorted samples (SciPy's
///   `wasserstein_distance`), in the feature's own units;
/// - label total variation ½ Σ_c |p₁(c) − p₂(c)| (SDMetrics' TVComplement is
///   1 − TV);
/// - correlation difference: mean and largest |ρ₁ − ρ₂| over feature
///   pairs, Pearson; pairs with a constant feature are left out.
public struct MarginalMetrics: Sendable {
    public let ks: [Double]
    public let wasserstein: [Double]
    public let labelTotalVariation: Double
    public let meanAbsoluteCorrelationDifference: Double
    public let largestCorrelationDifference: Double
    /// The pair (i, j), i < j, with the largest difference, or nil.
    public let largestCorrelationPair: (Int, Int)?
    public let correlationPairsCompared: Int

    public var meanKS: Double { ks.isEmpty ? .nan : ks.reduce(0, +) / Double(ks.count) }
    public var largestKS: Double { ks.max() ?? .nan }
    public var meanWasserstein: Double { wasserstein.isEmpty ? .nan : wasserstein.reduce(0, +) / Double(wasserstein.count) }

    /// - Parameter sortedA: ``sortedColumns(_:threads:)`` of `a`, when already
    ///   known (one reference compared with several sets).
    public init(_ a: Matrix, _ b: Matrix, labelsA: [Int32], labelsB: [Int32], classes: Int,
                momentsA: Moments? = nil, momentsB: Moments? = nil, sortedA: [[Double]]? = nil,
                threads: Int = Parallel.coreCount) {
        precondition(a.columns == b.columns)
        let d = a.columns
        var ks = [Double](repeating: 0, count: d), w = [Double](repeating: 0, count: d)
        ks.withUnsafeMutableBufferPointer { kp in
            w.withUnsafeMutableBufferPointer { wp in
                let out = _UnsafeColumnOutputs(ks: kp, wasserstein: wp)
                Parallel.forEach(d, threads: threads) { j in
                    let x = sortedA?[j] ?? Self.sortedColumn(a, j), y = Self.sortedColumn(b, j)
                    (out.ks[j], out.wasserstein[j]) = Self.compareSorted(x, y)
                }
            }
        }
        self.ks = ks
        wasserstein = w
        labelTotalVariation = Self.totalVariation(labelsA, labelsB, classes: classes)
        let ra = (momentsA ?? Moments(a)).correlation, rb = (momentsB ?? Moments(b)).correlation
        var sum = 0.0, top = 0.0, pair: (Int, Int)? = nil, count = 0
        for i in 0..<d {
            for j in (i + 1)..<max(i + 1, d) {
                let x = ra[i * d + j], y = rb[i * d + j]
                guard x.isFinite, y.isFinite else { continue }
                let diff = abs(x - y)
                sum += diff
                count += 1
                if diff > top || pair == nil { top = diff; pair = (i, j) }
            }
        }
        meanAbsoluteCorrelationDifference = count > 0 ? sum / Double(count) : .nan
        largestCorrelationDifference = count > 0 ? top : .nan
        largestCorrelationPair = pair
        correlationPairsCompared = count
    }

    /// Every column of `m`, sorted ascending, in Double.
    public static func sortedColumns(_ m: Matrix, threads: Int = Parallel.coreCount) -> [[Double]] {
        var out = [[Double]](repeating: [], count: m.columns)
        out.withUnsafeMutableBufferPointer { p in
            let sink = _UnsafeColumns(columns: p)
            Parallel.forEach(m.columns, threads: threads) { j in sink.columns[j] = sortedColumn(m, j) }
        }
        return out
    }

    static func sortedColumn(_ m: Matrix, _ j: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m.rows)
        m.storage.withUnsafeBufferPointer { p in for i in 0..<m.rows { out[i] = Double(p[i * m.columns + j]) } }
        out.sort()
        return out
    }

    /// KS statistic and Wasserstein-1 of two sorted samples, in one merge:
    /// between consecutive distinct values t < t′ of the union, both
    /// empirical CDFs are constant, so the sup is taken at the values and
    /// the integral is a sum of |F₁ − F₂|·(t′ − t).
    public static func compareSorted(_ x: [Double], _ y: [Double]) -> (ks: Double, wasserstein: Double) {
        let n = x.count, m = y.count
        guard n > 0, m > 0 else { return (.nan, .nan) }
        var i = 0, j = 0, ks = 0.0, w = 0.0
        var previous = min(x[0], y[0])
        while i < n || j < m {
            let t = min(i < n ? x[i] : .infinity, j < m ? y[j] : .infinity)
            let gap = abs(Double(i) / Double(n) - Double(j) / Double(m))
            w += gap * (t - previous)
            while i < n && x[i] == t { i += 1 }
            while j < m && y[j] == t { j += 1 }
            ks = max(ks, abs(Double(i) / Double(n) - Double(j) / Double(m)))
            previous = t
        }
        return (ks, w)
    }

    /// ½ Σ_c |p₁(c) − p₂(c)|.
    public static func totalVariation(_ a: [Int32], _ b: [Int32], classes: Int) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return .nan }
        var ca = [Double](repeating: 0, count: classes), cb = ca
        for y in a { ca[Int(y)] += 1 }
        for y in b { cb[Int(y)] += 1 }
        var s = 0.0
        for c in 0..<classes { s += abs(ca[c] / Double(a.count) - cb[c] / Double(b.count)) }
        return s / 2
    }
}

/// One sorted column per slot. Precondition: slot j is written by one worker.
struct _UnsafeColumns: @unchecked Sendable {
    let columns: UnsafeMutableBufferPointer<[Double]>
}

/// Per-feature outputs. Precondition: feature j's slots are written by one worker.
struct _UnsafeColumnOutputs: @unchecked Sendable {
    let ks: UnsafeMutableBufferPointer<Double>
    let wasserstein: UnsafeMutableBufferPointer<Double>
}
