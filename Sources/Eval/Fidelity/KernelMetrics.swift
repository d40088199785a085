import Foundation
import Synth
import SynthctlCore

/// Kernel two-sample statistics: MMD² with a Gaussian (RBF) kernel and KID.
///
/// MMD²_u = Σ_{i≠i′} k(xᵢ, xᵢ′)/(n(n−1)) + Σ_{j≠j′} k(yⱼ, yⱼ′)/(m(m−1))
/// − 2·Σ_{i,j} k(xᵢ, yⱼ)/(nm) is the unbiased estimator (Gretton et al.
/// 2012): zero in expectation for one distribution, so it can come out
/// slightly negative. k(x, y) = exp(−‖x − y‖²/(2σ²)) with σ the median
/// distance between distinct rows of the pooled sets (the median
/// heuristic), so the statistic does not depend on the features' units.
/// Kernel sums run on the distance tiles: no pairwise matrix is held.
///
/// KID (Bińkowski et al. 2018) is the same unbiased estimator with the
/// cubic kernel (xᵀy/d + 1)³, averaged over random subsets of equal size
/// (torchmetrics' defaults: 100 subsets of 1000 rows), reported as mean ±
/// standard deviation over the subsets.
public enum KernelMetrics {
    /// The median distance between distinct rows of the pooled sets, from
    /// at most `sampleRows` pooled rows (a seeded subsample above that).
    ///
    /// Exact: the float32 tiles rank the pairs, and only the pairs whose
    /// tile entry lies within twice the largest tile error of the two middle
    /// order statistics are recomputed in Double. An order statistic moves
    /// by no more than the largest error of the values it is taken from, so
    /// every pair outside that band is on its side of the median for certain;
    /// the median is then the same on every CPU and BLAS kernel.
    public static func medianBandwidth(_ x: Matrix, _ y: Matrix, sampleRows: Int = 1000, seed: UInt64 = 0,
                                       threads: Int = Parallel.coreCount) -> Double {
        let total = x.rows + y.rows
        let chosen = FidelityStreams.subsample(total, count: sampleRows, seed: seed, FidelityStreams.bandwidthSample)
        var rows = [Float]()
        rows.reserveCapacity(chosen.count * x.columns)
        for i in chosen {
            let (m, r) = i < x.rows ? (x, i) : (y, i - x.rows)
            rows.append(contentsOf: m.storage[(r * m.columns)..<((r + 1) * m.columns)])
        }
        let pooled = Matrix(rows: chosen.count, columns: x.columns, storage: rows)
        let pairs = PairwiseDistances(queries: pooled, references: pooled)
        // Squared tile entries with their pair, upper triangle only.
        var entries = [(squared: Float, query: Int32, reference: Int32)]()
        entries.reserveCapacity(chosen.count * (chosen.count - 1) / 2)
        var largestError = 0.0
        pairs.forEachTile(threads: 1, fromQueryBlock: true) { tile in
            for i in 0..<tile.queryCount {
                let q = tile.queryStart + i, row = tile.row(i)
                largestError = max(largestError, pairs.queryErrorBound(q))
                for j in 0..<tile.referenceCount where tile.referenceStart + j > q {
                    entries.append((row[j], Int32(q), Int32(tile.referenceStart + j)))
                }
            }
        }
        guard !entries.isEmpty else { return .nan }
        let h = entries.count / 2
        let ranks = entries.count % 2 == 1 ? [h] : [h - 1, h]
        let floats = entries.map(\.squared).sorted()
        let low = Double(floats[ranks.first!]) - 2 * largestError, high = Double(floats[ranks.last!]) + 2 * largestError
        var below = 0
        var band = [Double]()
        for e in entries {
            let d = Double(e.squared)
            if d < low { below += 1 } else if d <= high {
                band.append(pairs.exactSquaredDistance(query: Int(e.query), reference: Int(e.reference)))
            }
        }
        band.sort()
        let middle = ranks.map { band[$0 - below].squareRoot() }
        return middle.count == 1 ? middle[0] : (middle[0] + middle[1]) / 2
    }

    /// A kernel sum and the largest error of the squared distances it was
    /// summed from (``PairwiseDistances/largestErrorBound``).
    public struct KernelSum: Sendable {
        public let sum: Double
        public let largestDistanceError: Double
    }

    /// An estimate and the largest change the machine-dependent rounding of
    /// its sgemm products can make to it: two machines agree within the
    /// sum of their bounds.
    public struct Estimate: Sendable {
        public let value: Double
        public let roundingBound: Double
    }

    /// Σ k(q, r) over all pairs, or over distinct pairs when the sets are the
    /// same rows; summed per query in Double, then in query order.
    static func rbfSum(_ pairs: PairwiseDistances, bandwidth: Double, excludingSelf: Bool, threads: Int) -> KernelSum {
        var perQuery = [Double](repeating: 0, count: pairs.queryCount)
        let scale = -1 / (2 * bandwidth * bandwidth)
        perQuery.withUnsafeMutableBufferPointer { p in
            let out = _UnsafeQuerySums(sums: p)
            pairs.forEachTile(threads: threads) { tile in
                // The kernel values of a row first, on the widest vectors
                // the CPU has (``_UnsafeExpKernel``, the same bits as
                // polynomialExp), then their sum in reference order: the
                // same additions in the same order as one fused loop, whose
                // ordered sum kept the exponentials from vectorizing.
                withUnsafeTemporaryAllocation(of: Double.self, capacity: tile.referenceCount) { buffer in
                    let kernel = buffer.baseAddress!
                    for i in 0..<tile.queryCount {
                        let q = tile.queryStart + i, row = tile.row(i)
                        var s = 0.0
                        _UnsafeExpKernel.rbfRow(row, scale: scale, into: kernel, count: tile.referenceCount)
                        for j in 0..<tile.referenceCount { s += kernel[j] }
                        if excludingSelf, (tile.referenceStart..<(tile.referenceStart + tile.referenceCount)).contains(q) {
                            s -= polynomialExp(Double(row[q - tile.referenceStart]) * scale)
                        }
                        out.sums[q] += s
                    }
                }
            }
        }
        return KernelSum(sum: perQuery.reduce(0, +), largestDistanceError: pairs.largestErrorBound)
    }

    /// Σ_{i≠i′} k(xᵢ, xᵢ′): the reference set's own term of MMD², which a
    /// caller comparing one reference with several sets computes once.
    public static func selfKernelSum(_ x: Matrix, bandwidth: Double, threads: Int = Parallel.coreCount) -> KernelSum {
        rbfSum(PairwiseDistances(queries: x, references: x), bandwidth: bandwidth, excludingSelf: true, threads: threads)
    }

    /// The unbiased MMD² of two sets with an RBF kernel of the given bandwidth.
    ///
    /// The rounding bound: a tile entry is within E of the squared distance
    /// (E the pair set's ``PairwiseDistances/largestErrorBound``), and
    /// e^(−t/(2σ²)) moves by at most E/(2σ²) when t ≥ 0 moves by E, so each
    /// of the three means moves by at most its E/(2σ²); the estimate by
    /// (E_xx + E_yy + 2·E_xy)/(2σ²).
    ///
    /// - Parameter xSelfSum: ``selfKernelSum(_:bandwidth:threads:)`` of `x`
    ///   at this bandwidth, when already known.
    public static func unbiasedMMD2(_ x: Matrix, _ y: Matrix, bandwidth: Double, xSelfSum: KernelSum? = nil,
                                    threads: Int = Parallel.coreCount) -> Estimate {
        let n = Double(x.rows), m = Double(y.rows)
        guard x.rows >= 2, y.rows >= 2, bandwidth > 0 else { return Estimate(value: .nan, roundingBound: .nan) }
        let kxx = xSelfSum ?? selfKernelSum(x, bandwidth: bandwidth, threads: threads)
        let kyy = rbfSum(PairwiseDistances(queries: y, references: y), bandwidth: bandwidth, excludingSelf: true, threads: threads)
        let kxy = rbfSum(PairwiseDistances(queries: x, references: y), bandwidth: bandwidth, excludingSelf: false, threads: threads)
        let value = kxx.sum / (n * (n - 1)) + kyy.sum / (m * (m - 1)) - 2 * kxy.sum / (n * m)
        let bound = (kxx.largestDistanceError + kyy.largestDistanceError + 2 * kxy.largestDistanceError) / (2 * bandwidth * bandwidth)
        return Estimate(value: value, roundingBound: bound)
    }

    /// The linear-time estimator (Gretton et al. 2012, lemma 14): with
    /// h = ⌊min(n, m)/2⌋ and rows taken in the given orders,
    /// mean over i < h of k(x₂ᵢ, x₂ᵢ₊₁) + k(y₂ᵢ, y₂ᵢ₊₁) − k(x₂ᵢ, y₂ᵢ₊₁) − k(x₂ᵢ₊₁, y₂ᵢ).
    /// Unbiased when rows come in random order, which is why callers pass a
    /// seeded permutation: files are often sorted by class.
    public static func linearTimeMMD2(_ x: Matrix, _ y: Matrix, bandwidth: Double,
                                      orderX: [Int]? = nil, orderY: [Int]? = nil) -> Double {
        let h = min(x.rows, y.rows) / 2
        guard h >= 1, bandwidth > 0 else { return .nan }
        let ox = orderX ?? Array(0..<x.rows), oy = orderY ?? Array(0..<y.rows)
        let d = x.columns, scale = -1 / (2 * bandwidth * bandwidth)
        func k(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
            var s = 0.0
            for t in 0..<d { let v = Double(a.storage[i * d + t]) - Double(b.storage[j * d + t]); s += v * v }
            return polynomialExp(s * scale)
        }
        var total = 0.0
        for i in 0..<h {
            let x1 = ox[2 * i], x2 = ox[2 * i + 1], y1 = oy[2 * i], y2 = oy[2 * i + 1]
            total += k(x, x1, x, x2) + k(y, y1, y, y2) - k(x, x1, y, y2) - k(x, x2, y, y1)
        }
        return total / Double(h)
    }

    public struct KID: Sendable {
        public let mean: Double
        public let standardDeviation: Double
        public let subsets: Int
        public let subsetSize: Int
        /// The largest change the machine-dependent rounding of the sgemm
        /// Gram products can make to ``mean``: each product xᵀy is within
        /// γ_D·‖x‖‖y‖ ≤ γ_D·M² of its value (M the largest row norm), so
        /// (xᵀy/D + 1)³ moves by at most 3(M²/D + 1)²·γ_D·M²/D, and each
        /// subset's estimate, a combination of three means, by four times
        /// that.
        public let roundingBound: Double
        /// The same for ``standardDeviation``: with every subset's estimate
        /// moved by at most B, the deviations from their mean move by a
        /// vector of norm at most B√s (centring is a projection), so the
        /// standard deviation, their norm over √(s − 1), moves by at most
        /// B·√(s/(s − 1)).
        public var standardDeviationRoundingBound: Double {
            subsets > 1 ? roundingBound * (Double(subsets) / Double(subsets - 1)).squareRoot() : .nan
        }

        /// Why ``mean`` says nothing beyond rounding, or nil. The mean is
        /// known to within B (``roundingBound``) on any machine; it measures
        /// something only where B is below its size (else rounding could
        /// give it either sign and any size up to B) or below its spread
        /// across subsets (else what separates it from zero could be
        /// sampling noise larger than the rounding, which the spread
        /// reports). When B exceeds both, every digit is rounding: rows far
        /// from the origin (an offset of 1e5 in float32) make (xᵀy/D + 1)³
        /// huge and its differences cancel.
        public var meanWithinRounding: String? {
            guard mean.isFinite, roundingBound.isFinite else { return nil }
            let spread = subsets > 1 && standardDeviation.isFinite ? standardDeviation : 0
            guard roundingBound > max(abs(mean), spread) else { return nil }
            return "within rounding: the machine-dependent rounding of the Gram products can change KID by up to \(String(format: "%.3g", roundingBound)), more than its value \(String(format: "%.3g", mean))"
                + (subsets > 1 ? " and its spread across subsets \(String(format: "%.3g", spread))" : "")
        }

        /// Why ``standardDeviation`` is rounding, or nil: its own bound
        /// (``standardDeviationRoundingBound``) exceeds it.
        public var standardDeviationWithinRounding: String? {
            let bound = standardDeviationRoundingBound
            guard subsets > 1, standardDeviation.isFinite, bound.isFinite, bound > standardDeviation else { return nil }
            return "within rounding: the machine-dependent rounding of the Gram products can change KID's spread by up to \(String(format: "%.3g", bound)), more than the spread \(String(format: "%.3g", standardDeviation))"
        }
    }

    /// The first set's own term of every KID subset, Σ_{i≠i′} k(aᵢ, aᵢ′)
    /// over subset s's rows a of `x`: what a caller comparing one set with
    /// several computes once (a third of each KID's work). Valid for
    /// ``kid(_:_:subsets:subsetSize:seed:threads:selfSums:)`` with the same
    /// `x`, seed and subset count, when its subsets have `size` rows.
    public struct KIDSelfSums: Sendable {
        public let size: Int
        public let seed: UInt64
        /// Per subset, in subset order.
        public let sums: [Double]
    }

    /// ``KIDSelfSums`` of `x` for subsets of min(subsetSize, x.rows) rows:
    /// the same subsets, products and sums as ``kid(_:_:subsets:subsetSize:seed:threads:selfSums:)``
    /// computes for `x`, so the values are bit for bit its own.
    public static func kidSelfSums(_ x: Matrix, subsets: Int = 100, subsetSize: Int = 1000, seed: UInt64 = 0,
                                   threads: Int = Parallel.coreCount) -> KIDSelfSums {
        let size = min(subsetSize, x.rows)
        var values = [Double](repeating: 0, count: max(subsets, 0))
        guard size >= 2, subsets >= 1 else { return KIDSelfSums(size: size, seed: seed, sums: values) }
        BLAS.useSingleThreadedBLAS()
        values.withUnsafeMutableBufferPointer { vp in
            let out = _UnsafeQuerySums(sums: vp)
            Parallel.forEach(subsets, threads: threads) { s in
                let a = x.gatheringRows(FidelityStreams.subsample(x.rows, count: size, seed: seed, FidelityStreams.kidSubsets + 2 * UInt32(s)))
                out.sums[s] = cubicKernelSum(a, a, offDiagonal: true)
            }
        }
        return KIDSelfSums(size: size, seed: seed, sums: values)
    }

    /// Σ (pᵢ·qⱼ/D + 1)³ over the size × size pairs (i ≠ j when
    /// `offDiagonal`), in row-major pair order. Precondition: p and q have
    /// the same number of rows.
    static func cubicKernelSum(_ p: Matrix, _ q: Matrix, offDiagonal: Bool) -> Double {
        let size = p.rows, d = Float(p.columns)
        // p·qᵀ straight from the row-major buffers (no transposed copy).
        var g = Matrix(rows: size, columns: size)
        p.storage.withUnsafeBufferPointer { pp in
            q.storage.withUnsafeBufferPointer { qp in
                g.storage.withUnsafeMutableBufferPointer { gp in
                    _UnsafeBLAS.gemm(m: size, n: size, k: p.columns, a: pp.baseAddress!, lda: p.columns,
                              b: qp.baseAddress!, ldb: q.columns, transposeB: true, c: gp.baseAddress!, ldc: size)
                }
            }
        }
        var total = 0.0
        for i in 0..<size {
            for j in 0..<size where !(offDiagonal && i == j) {
                let v = Double(g.storage[i * size + j] / d + 1)
                total += v * v * v
            }
        }
        return total
    }

    /// KID over `subsets` seeded subsets of min(subsetSize, n, m) rows from each set.
    ///
    /// - Parameter selfSums: ``kidSelfSums(_:subsets:subsetSize:seed:threads:)``
    ///   of `x`, when already known; used when its subsets have this
    ///   call's size and seed (otherwise computed here).
    public static func kid(_ x: Matrix, _ y: Matrix, subsets: Int = 100, subsetSize: Int = 1000, seed: UInt64 = 0,
                           threads: Int = Parallel.coreCount, selfSums: KIDSelfSums? = nil) -> KID {
        let size = min(subsetSize, x.rows, y.rows)
        guard size >= 2, subsets >= 1 else {
            return KID(mean: .nan, standardDeviation: .nan, subsets: 0, subsetSize: size, roundingBound: .nan)
        }
        let known = selfSums.flatMap { $0.size == size && $0.seed == seed && $0.sums.count == subsets ? $0.sums : nil }
        var values = [Double](repeating: 0, count: subsets)
        BLAS.useSingleThreadedBLAS()
        values.withUnsafeMutableBufferPointer { vp in
            let out = _UnsafeQuerySums(sums: vp)
            Parallel.forEach(subsets, threads: threads) { s in
                let a = x.gatheringRows(FidelityStreams.subsample(x.rows, count: size, seed: seed, FidelityStreams.kidSubsets + 2 * UInt32(s)))
                let b = y.gatheringRows(FidelityStreams.subsample(y.rows, count: size, seed: seed, FidelityStreams.kidSubsets + 2 * UInt32(s) + 1))
                let n = Double(size)
                let aa = known?[s] ?? cubicKernelSum(a, a, offDiagonal: true)
                out.sums[s] = aa / (n * (n - 1)) + cubicKernelSum(b, b, offDiagonal: true) / (n * (n - 1))
                    - 2 * cubicKernelSum(a, b, offDiagonal: false) / (n * n)
            }
        }
        let mean = values.reduce(0, +) / Double(subsets)
        let sd = subsets > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(subsets - 1)).squareRoot() : 0
        let largestNorm2 = Double(max(x.rowSquaredNorms().max() ?? 0, y.rowSquaredNorms().max() ?? 0))
        let dd = Double(x.columns), u = Double(Float.ulpOfOne) / 2
        let gamma = dd * u / (1 - dd * u)
        let kernelError = 3 * (largestNorm2 / dd + 1) * (largestNorm2 / dd + 1) * gamma * largestNorm2 / dd
        return KID(mean: mean, standardDeviation: sd, subsets: subsets, subsetSize: size, roundingBound: 4 * kernelError)
    }
}

/// One Double slot per query (or per subset). Precondition: each slot is
/// written by the single worker that owns it.
struct _UnsafeQuerySums: @unchecked Sendable {
    let sums: UnsafeMutableBufferPointer<Double>
}
