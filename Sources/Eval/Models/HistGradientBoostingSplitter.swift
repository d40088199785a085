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
    static func best(histograms: GradientHistograms, features: Int, nonMissingBins: [Int], hasMissing: [Bool],
                     count n: Int, gradient: Double, hessian: Double, value: Double,
                     minSamplesLeaf: Int, l2: Double) -> HistGradientBoostingSplit? {
        var best: HistGradientBoostingSplit?
        let current = gradient * value
        histograms.bins.withUnsafeBufferPointer { all in
            for f in 0..<features {
                let hist = UnsafeBufferPointer(rebasing: all[(f * 256)..<((f + 1) * 256)])
                var featureBest: HistGradientBoostingSplit?
                var bestGain = -1.0
                func consider(_ bin: Int, _ gl: Double, _ hl: Double, _ nl: Int, _ gr: Double, _ hr: Double, _ nr: Int,
                              missingLeft: Bool) -> Bool? {
                    if nl < minSamplesLeaf { return missingLeft ? false : nil }
                    if nr < minSamplesLeaf { return missingLeft ? nil : false }
                    if hl < minimumHessian { return missingLeft ? false : nil }
                    if hr < minimumHessian { return missingLeft ? nil : false }
                    let vl = Self.value(gradient: gl, hessian: hl, l2: l2), vr = Self.value(gradient: gr, hessian: hr, l2: l2)
                    let gain = current - gl * vl - gr * vr
                    if gain > bestGain && gain > 0 {
                        bestGain = gain
                        featureBest = HistGradientBoostingSplit(
                            gain: gain, feature: f, bin: bin, missingGoesLeft: missingLeft,
                            gradientLeft: gl, hessianLeft: hl, countLeft: nl,
                            gradientRight: gr, hessianRight: hr, countRight: nr, valueLeft: vl, valueRight: vr)
                    }
                    return true
                }
                // Left to right: `continue` while the left side is too small,
                // stop once the right side is (scikit-learn's early exits).
                let missing = hasMissing[f]
                let end = nonMissingBins[f] - 1 + (missing ? 1 : 0)
                var gl = 0.0, hl = 0.0, nl = 0
                for b in 0..<end {
                    gl += hist[b].gradient; hl += hist[b].hessian; nl += hist[b].count
                    if consider(b, gl, hl, nl, gradient - gl, hessian - hl, n - nl, missingLeft: false) == false { break }
                }
                if missing {
                    var gr = 0.0, hr = 0.0, nr = 0
                    var b = nonMissingBins[f] - 2
                    while b >= 0 {
                        gr += hist[b + 1].gradient; hr += hist[b + 1].hessian; nr += hist[b + 1].count
                        if consider(b, gradient - gr, hessian - hr, n - nr, gr, hr, nr, missingLeft: true) == false { break }
                        b -= 1
                    }
                }
                if let candidate = featureBest, candidate.gain > (best?.gain ?? -1) { best = candidate }
            }
        }
        return best
    }
}
