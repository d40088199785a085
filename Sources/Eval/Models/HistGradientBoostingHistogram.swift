import SynthctlCore

/// One bin's sums over a node's rows: (Σ gradient, Σ hessian) as one
/// two-lane vector, so a row adds both with one instruction (lane by lane,
/// the same IEEE sums as two scalar additions), and the row count.
@usableFromInline
struct GradientHistogramBin: Sendable {
    @usableFromInline var sums: SIMD2<Double>
    @usableFromInline var count: Int
    @usableFromInline init(sums: SIMD2<Double> = .zero, count: Int = 0) {
        self.sums = sums; self.count = count
    }
    @inlinable var gradient: Double { sums.x }
    @inlinable var hessian: Double { sums.y }
}

/// A node's gradient histograms, 256 bins per feature (feature f's at
/// `[f·256 ..< (f + 1)·256]`), as LightGBM (Ke et al. 2017) and
/// scikit-learn's `histogram.pyx` build them: one pass over the node's rows
/// per feature, in the rows' order, in Double. Each feature is summed by one
/// thread in a fixed order, so the sums do not depend on the thread count.
///
/// Storage comes from a ``_UnsafeHistogramPool`` and goes back to it when
/// the node is split or becomes a leaf: no allocation per node once the
/// pool has warmed up.
enum GradientHistograms {
    static let binsPerFeature = 256

    /// Builds into `out` (zeroed here) the histograms of the node whose rows
    /// are `partition[start ..< start + count]`, ascending. The root (all
    /// `rowCount` rows, `partition` the identity) reads the gradients
    /// directly, without indices (scikit-learn's `_build_histogram_root`);
    /// another node first gathers its rows' gradients into `ordered`, so
    /// every feature's pass reads them contiguously (scikit-learn's
    /// `ordered_gradients`). The order of each bin's additions is the rows'
    /// order either way.
    static func build(into out: UnsafeMutablePointer<GradientHistogramBin>, workspace w: _UnsafeGrowerWorkspace,
                      start: Int, count: Int, threads: Int) {
        out.update(repeating: GradientHistogramBin(), count: w.features * binsPerFeature)
        let isRoot = count == w.rowCount
        if !isRoot {
            let rows = w.partition + start, all = w.gradients
            for k in 0..<count { w.ordered[k] = all[Int(rows[k])] }
        }
        let work = _UnsafeHistogramBuilder(binned: w.binned, rowCount: w.rowCount,
                                           rows: isRoot ? nil : w.partition + start, count: count,
                                           gradients: isRoot ? w.gradients : w.ordered, out: out)
        Parallel.forEach(w.features, threads: count < 2048 ? 1 : threads) { f in work.build(feature: f) }
    }

    /// `parent` minus `child` into `out`: the sibling's histograms
    /// (scikit-learn's `_subtract_histograms`). Precondition: all three
    /// hold `bins` bins; `out` may be `parent`.
    static func subtract(_ parent: UnsafePointer<GradientHistogramBin>, _ child: UnsafePointer<GradientHistogramBin>,
                         into out: UnsafeMutablePointer<GradientHistogramBin>, bins: Int) {
        for b in 0..<bins {
            out[b] = GradientHistogramBin(sums: parent[b].sums - child[b].sums, count: parent[b].count - child[b].count)
        }
    }
}

/// The histogram pass. Preconditions: `binned` holds `rowCount` bins per
/// feature (column-major); `rows`, when given, holds `count` row indices
/// below `rowCount` and `gradients` holds the (gradient, hessian) of those
/// rows in that order; when `rows` is nil the node is every row and
/// `gradients` holds `rowCount` pairs; `out` holds 256 zeroed bins per
/// feature, and a feature's pass writes only its own 256 bins.
struct _UnsafeHistogramBuilder: @unchecked Sendable {
    let binned: UnsafePointer<UInt8>
    let rowCount: Int
    let rows: UnsafePointer<Int32>?
    let count: Int
    let gradients: UnsafePointer<SIMD2<Double>>
    let out: UnsafeMutablePointer<GradientHistogramBin>

    func build(feature f: Int) {
        let column = binned + f * rowCount
        let hist = out + f * GradientHistograms.binsPerFeature
        let gh = gradients
        if let rows {
            for k in 0..<count {
                let b = Int(column[Int(rows[k])])
                hist[b].sums += gh[k]
                hist[b].count &+= 1
            }
        } else {
            for k in 0..<count {
                let b = Int(column[k])
                hist[b].sums += gh[k]
                hist[b].count &+= 1
            }
        }
    }
}

/// Histogram storage reused across the nodes and trees of one fit: a stack
/// of free blocks of `bins` bins each, allocated on first need and freed
/// with the pool. Not thread-safe: one grower owns it.
final class _UnsafeHistogramPool {
    let bins: Int
    private var free: [UnsafeMutablePointer<GradientHistogramBin>] = []
    private var all: [UnsafeMutablePointer<GradientHistogramBin>] = []

    init(bins: Int) { self.bins = bins }

    /// A block of `bins` bins, uninitialized contents (trivial type).
    func take() -> UnsafeMutablePointer<GradientHistogramBin> {
        if let block = free.popLast() { return block }
        let block = UnsafeMutablePointer<GradientHistogramBin>.allocate(capacity: bins)
        block.initialize(repeating: GradientHistogramBin(), count: bins)
        all.append(block)
        return block
    }

    /// Returns a block taken from this pool.
    func give(_ block: UnsafeMutablePointer<GradientHistogramBin>) { free.append(block) }

    deinit { for block in all { block.deallocate() } }
}
