import SynthctlCore

/// Each feature's values mapped to at most 255 ordered bins, the unit the
/// trees of ``HistGradientBoostingClassifier`` split on, and bin 255 for a
/// missing (NaN) value.
///
/// scikit-learn's `_BinMapper` (`sklearn/ensemble/_hist_gradient_boosting/binning.py`,
/// 1.9), after LightGBM (Ke et al., NeurIPS 2017): on a subsample of at
/// most 200,000 training rows, a feature with at most `maxBins` distinct
/// non-missing values gets the midpoints of consecutive distinct values as
/// thresholds; one with more gets NumPy's `percentile(…, method="averaged_inverted_cdf")`
/// at the 254 inner points of `linspace(0, 100, 256)`, duplicates removed;
/// thresholds are clipped to 1e300. A value x falls in bin i when
/// thresholds[i − 1] < x ≤ thresholds[i].
///
/// Where it differs: the subsample is drawn from synthctl's own seeded
/// stream (``Substream/gradientBoostingBinningSubsample``), not NumPy's, so
/// above 200,000 rows the thresholds differ from scikit-learn's (not their
/// distribution).
public struct HistogramBinning: Sendable {
    /// The bin of a missing value (scikit-learn's `missing_values_bin_idx`).
    public static let missingBin = 255
    /// Per feature, the ascending thresholds (at most `maxBins` − 1).
    public let thresholds: [[Double]]

    /// Bins used by non-missing values of feature f: thresholds + 1.
    public func nonMissingBins(_ f: Int) -> Int { thresholds[f].count + 1 }

    /// - Parameters:
    ///   - x: N × D features (float32; NaN is a missing value).
    ///   - maxBins: bins for non-missing values, 2…255.
    ///   - subsample: rows the thresholds are computed from, at most.
    public init(fitting x: Matrix, maxBins: Int = 255, subsample: Int = 200_000, seed: UInt64 = 0) {
        precondition((2...255).contains(maxBins))
        var rows = Array(0..<x.rows)
        if x.rows > subsample {
            let order = IndexPermutation(count: x.rows, stream: RandomStream(seed: seed, .gradientBoostingBinningSubsample))
            rows = (0..<subsample).map { order[$0] }.sorted()
        }
        var values = [Float](), scratch = [Float]()
        thresholds = (0..<x.columns).map { f in
            values.removeAll(keepingCapacity: true)
            for i in rows where !x[i, f].isNaN { values.append(x[i, f]) }
            _UnsafeFloatRadixSort.sort(&values, scratch: &scratch)
            return Self.thresholds(values.map(Double.init), maxBins: maxBins)
        }
    }

    /// scikit-learn's `_find_binning_thresholds` without weights, on sorted
    /// non-missing values.
    static func thresholds(_ sorted: [Double], maxBins: Int) -> [Double] {
        var distinct: [Double] = []
        for v in sorted where distinct.last != v { distinct.append(v) }
        guard distinct.count > 1 else { return [] }
        var out: [Double]
        if distinct.count <= maxBins {
            out = (1..<distinct.count).map { (distinct[$0 - 1] + distinct[$0]) / 2 }
        } else {
            // NumPy: q = linspace(0, 100, maxBins + 1)[1:-1] / 100, virtual
            // index g = n·q − 1; at an integer g the average of x[g] and
            // x[g + 1] (b − (b − a)·0.5, NumPy's lerp), else x[⌊g⌋ + 1].
            let n = sorted.count
            let step = 100.0 / Double(maxBins)
            out = (1..<maxBins).map { i in
                let g = Double(n) * ((Double(i) * step) / 100) - 1
                let j = g.rounded(.down)
                let lo = Int(min(max(j, 0), Double(n - 1))), hi = Int(min(max(j + 1, 0), Double(n - 1)))
                let a = sorted[lo], b = sorted[hi]
                return g - j == 0 ? b - (b - a) * 0.5 : b
            }
            var unique: [Double] = []
            for v in out where unique.last != v { unique.append(v) }
            out = unique
        }
        return out.map { min($0, 1e300) }
    }

    /// The bin of x in feature f: the number of thresholds below x.
    @inlinable
    public func bin(_ x: Float, feature f: Int) -> UInt8 {
        if x.isNaN { return UInt8(Self.missingBin) }
        let t = thresholds[f], v = Double(x)
        var lo = 0, hi = t.count
        while lo < hi {
            let mid = lo + (hi - lo - 1) / 2
            if v <= t[mid] { hi = mid } else { lo = mid + 1 }
        }
        return UInt8(lo)
    }

    /// The binned features, column-major: feature f's bins are
    /// `[f·N ..< (f + 1)·N]`.
    public func binned(_ x: Matrix, threads: Int = 1) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: x.rows * x.columns)
        let n = x.rows, d = x.columns
        x.storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let sink = _UnsafeBinSink(bins: dst)
                Parallel.forEach(x.columns, threads: threads) { f in
                    thresholds[f].withUnsafeBufferPointer { t in
                        for i in 0..<n { sink.bins[f * n + i] = Self.bin(src[i * d + f], thresholds: t) }
                    }
                }
            }
        }
        return out
    }

    /// The number of thresholds below x (the missing bin for NaN), by a
    /// branch-free binary search: the same bin as ``bin(_:feature:)``.
    @inlinable
    static func bin(_ x: Float, thresholds t: UnsafeBufferPointer<Double>) -> UInt8 {
        if x.isNaN { return UInt8(missingBin) }
        guard t.count > 0 else { return 0 }
        let v = Double(x)
        var base = 0, length = t.count
        while length > 1 {
            let half = length / 2
            base = t[base + half] < v ? base + half : base
            length -= half
        }
        return UInt8(base + (t[base] < v ? 1 : 0))
    }
}

/// Where binning writes. Precondition: feature f's worker writes only
/// `[f·N ..< (f + 1)·N]`.
struct _UnsafeBinSink: @unchecked Sendable {
    let bins: UnsafeMutableBufferPointer<UInt8>
}

/// LSD radix sort of float32 values, ascending (three passes of 11, 11 and
/// 10 bits on the order-preserving key: sign bit flipped for positives, all
/// bits for negatives), for the per-feature sorts of binning, O(N) where a
/// comparison sort is O(N log N). Precondition: no NaN. −0 sorts before +0
/// (equal values to every comparison that follows).
enum _UnsafeFloatRadixSort {
    static func sort(_ values: inout [Float], scratch: inout [Float]) {
        let n = values.count
        guard n > 1 else { return }
        if scratch.count < n { scratch = [Float](repeating: 0, count: n) }
        @inline(__always) func key(_ x: Float) -> UInt32 {
            let bits = x.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        values.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var src = a.baseAddress!, dst = b.baseAddress!
                var counts = [Int](repeating: 0, count: 2048)
                for (shift, width) in [(UInt32(0), UInt32(11)), (11, 11), (22, 10)] {
                    let mask = (UInt32(1) << width) - 1
                    for j in 0..<counts.count { counts[j] = 0 }
                    for i in 0..<n { counts[Int((key(src[i]) >> shift) & mask)] += 1 }
                    var total = 0
                    for j in 0..<Int(mask + 1) { let c = counts[j]; counts[j] = total; total += c }
                    for i in 0..<n {
                        let j = Int((key(src[i]) >> shift) & mask)
                        dst[counts[j]] = src[i]; counts[j] += 1
                    }
                    swap(&src, &dst)
                }
                // Three passes: the sorted values are in the scratch buffer.
                a.baseAddress!.update(from: src, count: n)
            }
        }
    }
}
