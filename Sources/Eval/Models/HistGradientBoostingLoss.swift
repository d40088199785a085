import SynthctlCore

/// The log-loss a ``HistGradientBoostingClassifier`` boosts, on raw scores:
/// scikit-learn's `HalfBinomialLoss` (two classes, one raw score r per row,
/// P(second class) = σ(r)) and `HalfMultinomialLoss` (K ≥ 3 classes, one
/// score per class, softmax).
///
/// Per row, with p the predicted probability and y the class:
/// - binary: loss = log(1 + eʳ) − y·r, gradient p − y, hessian p(1 − p);
/// - multiclass: loss = log Σⱼ e^rⱼ − r_y, gradient of r_c pᶜ − [y = c],
///   hessian pᶜ(1 − pᶜ) (the diagonal, as LightGBM and scikit-learn use).
/// The baseline scores are the intercept-only fit: logit of the second
/// class's share; for K classes log pᶜ minus the mean of the log shares
/// (scikit-learn's symmetric multinomial link), shares clipped to
/// [ε, 1 − ε]. e^x and ln x are ``polynomialExp`` and ``polynomialLog``, so
/// the scores are the same on every C library.
enum HistGradientBoostingLoss {
    /// Raw scores per row: `outputs` = 1 for two classes, K otherwise.
    static func baseline(labels: [Int], classes k: Int) -> [Double] {
        var counts = [Double](repeating: 0, count: k)
        for y in labels { counts[y] += 1 }
        let eps = Double.ulpOfOne
        let shares = counts.map { min(max($0 / Double(labels.count), eps), 1 - eps) }
        if k == 2 { return [polynomialLog(shares[1] / (1 - shares[1]))] }
        let logs = shares.map(polynomialLog)
        let mean = logs.reduce(0, +) / Double(k)
        return logs.map { $0 - mean }
    }

    /// σ(r), or the softmax of a row's K scores into `p`.
    @inlinable
    static func sigmoid(_ r: Double) -> Double { 1 / (1 + polynomialExp(-r)) }

    static func softmax(_ r: UnsafePointer<Double>, _ k: Int, into p: UnsafeMutablePointer<Double>) {
        var top = r[0]
        for c in 1..<k { top = max(top, r[c]) }
        var sum = 0.0
        for c in 0..<k { p[c] = polynomialExp(r[c] - top); sum += p[c] }
        for c in 0..<k { p[c] /= sum }
    }

    /// Gradients and hessians of every row, output-major (`[c·N + i]`).
    static func gradients(raw: [Double], labels: [Int], outputs t: Int,
                          gradients g: inout [Double], hessians h: inout [Double]) {
        let n = labels.count
        if t == 1 {
            for i in 0..<n {
                let p = sigmoid(raw[i])
                g[i] = p - Double(labels[i]); h[i] = p * (1 - p)
            }
            return
        }
        var p = [Double](repeating: 0, count: t)
        raw.withUnsafeBufferPointer { r in
            p.withUnsafeMutableBufferPointer { pp in
                for i in 0..<n {
                    softmax(r.baseAddress! + i * t, t, into: pp.baseAddress!)
                    for c in 0..<t {
                        g[c * n + i] = pp[c] - (labels[i] == c ? 1 : 0)
                        h[c * n + i] = pp[c] * (1 - pp[c])
                    }
                }
            }
        }
    }

    /// The mean loss over rows (scikit-learn's validation "loss" score,
    /// negated there).
    static func meanLoss(raw: [Double], labels: [Int], outputs t: Int) -> Double {
        var total = 0.0
        for (i, y) in labels.enumerated() {
            if t == 1 {
                let r = raw[i]
                total += max(r, 0) - Double(y) * r + polynomialLog(1 + polynomialExp(-abs(r)))
            } else {
                var top = raw[i * t]
                for c in 1..<t { top = max(top, raw[i * t + c]) }
                var sum = 0.0
                for c in 0..<t { sum += polynomialExp(raw[i * t + c] - top) }
                total += top + polynomialLog(sum) - raw[i * t + y]
            }
        }
        return total / Double(labels.count)
    }
}
