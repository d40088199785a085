/// One bin's sums over a node's rows: Σ gradient, Σ hessian, row count.
@usableFromInline
struct GradientHistogramBin: Sendable {
    @usableFromInline var gradient: Double
    @usableFromInline var hessian: Double
    @usableFromInline var count: Int
    @usableFromInline init(gradient: Double = 0, hessian: Double = 0, count: Int = 0) {
        self.gradient = gradient; self.hessian = hessian; self.count = count
    }
}

/// A node's gradient histograms, 256 bins per feature (feature f's at
/// `[f·256 ..< (f + 1)·256]`), as LightGBM (Ke et al. 2017) and
/// scikit-learn's `histogram.pyx` build them: one pass over the node's rows
/// per feature, in the rows' order, in Double. Each feature is summed by one
/// thread in a fixed order, so the sums do not depend on the thread count.
struct GradientHistograms: Sendable {
    static let binsPerFeature = 256
    var bins: [GradientHistogramBin]

    /// Built from the node's rows (`rows`, ascending) of column-major
    /// `binned` (N rows per feature).
    init(binned: UnsafeBufferPointer<UInt8>, rowCount n: Int, features: Int, rows: UnsafeBufferPointer<Int32>,
         gradients: UnsafeBufferPointer<Double>, hessians: UnsafeBufferPointer<Double>, threads: Int) {
        var bins = [GradientHistogramBin](repeating: GradientHistogramBin(), count: features * Self.binsPerFeature)
        bins.withUnsafeMutableBufferPointer { out in
            let work = _UnsafeHistogramBuilder(binned: binned, rowCount: n, rows: rows, gradients: gradients,
                                               hessians: hessians, out: out)
            Parallel.forEach(features, threads: rows.count < 2048 ? 1 : threads) { f in work.build(feature: f) }
        }
        self.bins = bins
    }

    /// The parent's histograms minus a child's: the sibling's
    /// (scikit-learn's `compute_histograms_subtraction`).
    init(parent: GradientHistograms, minus child: GradientHistograms) {
        bins = zip(parent.bins, child.bins).map {
            GradientHistogramBin(gradient: $0.gradient - $1.gradient, hessian: $0.hessian - $1.hessian, count: $0.count - $1.count)
        }
    }
}

import SynthctlCore

/// The histogram pass. Preconditions: `rows` index rows below `rowCount`;
/// `binned` holds `rowCount` bins per feature; `out` holds 256 bins per
/// feature, zeroed; a feature's pass writes only its own 256 bins.
struct _UnsafeHistogramBuilder: @unchecked Sendable {
    let binned: UnsafeBufferPointer<UInt8>
    let rowCount: Int
    let rows: UnsafeBufferPointer<Int32>
    let gradients: UnsafeBufferPointer<Double>
    let hessians: UnsafeBufferPointer<Double>
    let out: UnsafeMutableBufferPointer<GradientHistogramBin>

    func build(feature f: Int) {
        let column = binned.baseAddress! + f * rowCount
        let hist = out.baseAddress! + f * GradientHistograms.binsPerFeature
        let g = gradients.baseAddress!, h = hessians.baseAddress!
        for r in rows {
            let i = Int(r)
            let b = Int(column[i])
            hist[b].gradient += g[i]
            hist[b].hessian += h[i]
            hist[b].count += 1
        }
    }
}
