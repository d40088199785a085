import SynthctlCore

/// How a class covariance is regularized before it is factored.
///
/// The sample covariance of n rows in d dimensions has rank below d when
/// n ≤ d, and is noisy well above that; sampling from it then reproduces the
/// noise. Shrinking toward μ·I (μ = tr S / d, the average variance) trades a
/// little bias for a lot of variance and keeps the matrix positive definite.
public enum CovarianceShrinkage: Sendable, Equatable {
    /// Ledoit & Wolf (2004): the shrinkage that minimizes the expected
    /// Frobenius error, estimated from the rows (scikit-learn's
    /// `LedoitWolf`, which this matches).
    case ledoitWolf
    /// A fixed λ in [0, 1]: (1 − λ)·S + λ·μ·I.
    case fixed(Double)

    /// The shrunk covariance and the λ used, from rows already centred
    /// (row-major n × d): their maximum-likelihood covariance XᵀX/n
    /// (summed in a fixed order, ``ReproducibleDoubleProducts/gram(_:rows:columns:)``,
    /// so the model is the same on every CPU), then
    /// ``apply(centred:rows:dimensions:covariance:)``.
    public func shrunkCovariance(ofCentred x: [Double], rows n: Int, dimensions d: Int) -> (covariance: [Double], lambda: Double) {
        var s = ReproducibleDoubleProducts.gram(x, rows: n, columns: d)
        for i in 0..<d { for j in i..<d { s[i * d + j] /= Double(n); s[j * d + i] = s[i * d + j] } }
        return apply(centred: x, rows: n, dimensions: d, covariance: s)
    }

    /// The shrunk covariance and the λ used, from rows already centred
    /// (row-major n × d) and their maximum-likelihood covariance S = XᵀX/n.
    public func apply(centred x: [Double], rows n: Int, dimensions d: Int, covariance s: [Double]) -> (covariance: [Double], lambda: Double) {
        var trace = 0.0
        for j in 0..<d { trace += s[j * d + j] }
        let mu = trace / Double(d)
        let lambda: Double
        switch self {
        case .fixed(let value):
            lambda = value
        case .ledoitWolf:
            // β̂ and δ̂ of Ledoit & Wolf's lemma, as scikit-learn computes them:
            // Σᵢ‖xᵢ‖⁴ for the variance of the entries, ‖S‖²_F for their spread.
            guard d > 1, n > 0 else { lambda = 0; break }
            var fourth = 0.0
            for i in 0..<n {
                var norm = 0.0
                for j in 0..<d { norm += x[i * d + j] * x[i * d + j] }
                fourth += norm * norm
            }
            var frobenius = 0.0
            for v in s { frobenius += v * v }
            let nn = Double(n), dd = Double(d)
            let beta = (fourth / nn - frobenius) / (dd * nn)
            let delta = (frobenius - 2 * mu * trace + dd * mu * mu) / dd
            // λ = min(β̂, δ̂)/δ̂ is at most 1 and, in exact arithmetic, at
            // least 0 (Σᵢ‖xᵢ‖⁴/n ≥ ‖S‖²_F by Cauchy–Schwarz). Where β̂ is 0
            // (two rows: both terms are r⁴) rounding can leave it a few ulps
            // below, λ ≈ −1e-16; a convex combination's weight is clamped
            // to [0, 1], and scikit-learn gives 0 on those rows.
            lambda = delta > 0 ? min(max(beta, 0), delta) / delta : 0
        }
        var out = s
        for v in out.indices { out[v] *= 1 - lambda }
        for j in 0..<d { out[j * d + j] += lambda * mu }
        return (out, lambda)
    }
}
