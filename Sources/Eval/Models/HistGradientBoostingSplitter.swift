/// The best split of a node, found from its histograms: scikit-learn's
/// `Splitter.find_node_split` (`splitting.pyx`, numerical features, no
/// constraints), after LightGBM (Ke et al. 2017).
///
/// A split sends bins ≤ `bin` left; the missing bin goes left when
/// `missingGoesLeft`. Its gain is the loss reduction of the second-order
/// approximation, −G²/(H + λ) for a node with gradient sum G and hessian sum
/// H: gain = G·v − G_L·v_L − G_R·v_R with v = −G/(H + λ + 1e-15). Each
/// feature is scanned left to right (missing values right, the last
/// non-missing bin included when there are missing values: the "split on
/// NaN"), then, when it has missing values, right to left (missing values
/// left); a candidate needs `minSamplesLeaf` rows and a hessian sum of
/// 1e-3 on each side and a gain above 0 and above the best so far (the
/// first of equal gains wins, the lower feature among features).
struct HistGradientBoostingSplit: Sendable {
    var gain: Double
    var feature: Int
    var bin: Int
    var missingGoesLeft: Bool
    var gradientLeft: Double, hessianLeft: Double, countLeft: Int
    var gradientRight: Double, hessianRight: Double, countRight: Int
    var valueLeft: Double, valueRight: Double

    /// scikit-learn's `min_hessian_to_split`.
    static let minimumHessian = 1e-3

    /// −G / (H + λ + 1e-15): the Newton step of a leaf (scikit-learn's
    /// `compute_node_value`, unbounded).
    @inlinable
    static func value(gradient: Double, hessian: Double, l2: Double) -> Double {
        -gradient / (hessian + l2 + 1e-15)
    }

    /// The best split over all features of a node with these sums, or nil
    /// when no candidate has a positive gain.
    ///
    /// - Parameter histograms: the node's 256 bins per feature.
    static func best(histograms: UnsafePointer<GradientHistogramBin>, features: Int, nonMissingBins: [Int],
                     hasMissing: [Bool], count n: Int, gradient: Double, hessian: Double, value: Double,
                     minSamplesLeaf: Int, l2: Double) -> HistGradientBoostingSplit? {
        var best: HistGradientBoostingSplit?
        let current = gradient * value
        let minimumHessian = Self.minimumHessian
        for f in 0..<features {
            let hist = histograms + f * GradientHistograms.binsPerFeature
            // The feature's best candidate so far: bin < 0 is none.
            var bestGain = -1.0, bestBin = -1, bestMissingLeft = false
            var bestGl = 0.0, bestHl = 0.0, bestNl = 0, bestGr = 0.0, bestHr = 0.0
            // Left to right: `continue` while the left side is too small,
            // stop once the right side is (scikit-learn's early exits).
            let missing = hasMissing[f]
            let end = nonMissingBins[f] - 1 + (missing ? 1 : 0)
            var gl = 0.0, hl = 0.0, nl = 0
            for b in 0..<end {
                gl += hist[b].gradient; hl += hist[b].hessian; nl += hist[b].count
                let gr = gradient - gl, hr = hessian - hl, nr = n - nl
                if nl < minSamplesLeaf { continue }
                if nr < minSamplesLeaf { break }
                if hl < minimumHessian { continue }
                if hr < minimumHessian { break }
                let vl = Self.value(gradient: gl, hessian: hl, l2: l2), vr = Self.value(gradient: gr, hessian: hr, l2: l2)
                let gain = current - gl * vl - gr * vr
                if gain > bestGain && gain > 0 {
                    bestGain = gain; bestBin = b; bestMissingLeft = false
                    bestGl = gl; bestHl = hl; bestNl = nl; bestGr = gr; bestHr = hr
                }
            }
            // Right to left, missing values left: the mirror image.
            if missing {
                var gr = 0.0, hr = 0.0, nr = 0
                var b = nonMissingBins[f] - 2
                while b >= 0 {
                    gr += hist[b + 1].gradient; hr += hist[b + 1].hessian; nr += hist[b + 1].count
                    let gl = gradient - gr, hl = hessian - hr, nl = n - nr
                    b -= 1
                    if nl < minSamplesLeaf { break }
                    if nr < minSamplesLeaf { continue }
                    if hl < minimumHessian { break }
                    if hr < minimumHessian { continue }
                    let vl = Self.value(gradient: gl, hessian: hl, l2: l2), vr = Self.value(gradient: gr, hessian: hr, l2: l2)
                    let gain = current - gl * vl - gr * vr
                    if gain > bestGain && gain > 0 {
                        bestGain = gain; bestBin = b + 1; bestMissingLeft = true
                        bestGl = gl; bestHl = hl; bestNl = nl; bestGr = gr; bestHr = hr
                    }
                }
            }
            if bestBin >= 0, bestGain > (best?.gain ?? -1) {
                let gr = bestGr, hr = bestHr
                best = HistGradientBoostingSplit(
                    gain: bestGain, feature: f, bin: bestBin, missingGoesLeft: bestMissingLeft,
                    gradientLeft: bestGl, hessianLeft: bestHl, countLeft: bestNl,
                    gradientRight: gr, hessianRight: hr, countRight: n - bestNl,
                    valueLeft: Self.value(gradient: bestGl, hessian: bestHl, l2: l2),
                    valueRight: Self.value(gradient: gr, hessian: hr, l2: l2))
            }
        }
        return best
    }
}
