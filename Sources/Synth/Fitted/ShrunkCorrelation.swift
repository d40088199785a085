import SynthctlCore

/// A class covariance shrunk on the correlation scale, so that neither the
/// shrinkage nor the sampled spreads depend on the units of the columns.
///
/// Shrinking the covariance S toward μ·I (μ = tr S / d, the average raw
/// variance; ``CovarianceShrinkage/apply(centred:rows:dimensions:covariance:)``)
/// adds λ·μ to every variance: on a table whose columns range from
/// hundredths to thousands, μ is set by the thousands, and a column in
/// hundredths gets a standard deviation hundreds of times its own. Here
/// each column is standardized by its own standard deviation first, the
/// correlation R is shrunk toward the identity, and the result is scaled
/// back (Schäfer & Strimmer 2005, "A shrinkage approach to large-scale
/// covariance matrix estimation", target D, "diagonal, unequal variance";
/// the intensity is Ledoit & Wolf 2004's, "A well-conditioned estimator for
/// large-dimensional covariance matrices", computed on the standardized
/// rows as scikit-learn's `ledoit_wolf` computes it there):
///
///     s_j = √(Σᵢ x_ij² / n)                    (x centred; maximum likelihood)
///     R   = ZᵀZ / n, Z = X·diag(s)⁻¹,  R_jj := 1
///     R̂   = (1 − λ)·R + λ·I,  R̂_jj = 1 exactly
///     Σ̂   = diag(s)·R̂·diag(s),  L = diag(s)·chol(R̂)
///
/// Only the off-diagonal moves: every fitted variance is the class's own
/// s_j², so the sampled standard deviations are the human ones, whatever
/// the units; rescaling a column rescales its row of L and nothing else.
/// A fixed λ (`.fixed`) means the same on R.
///
/// A column constant within the class (s_j = 0) is never divided by: it
/// is left out of R and of λ, and its row and column of Σ̂ and L are 0, so
/// every sampled row has the class's value there (a constant column stays
/// constant). Every column constant: ``SingularCovarianceError/Cause/noVariance``.
public struct ShrunkCorrelation: Sendable, Equatable {
    /// s_j, d entries (0 for a column constant within the class), in the
    /// columns' own units.
    public let standardDeviations: [Double]
    /// R̂, row-major d × d, unit diagonal; a constant column's row and
    /// column are those of the identity.
    public let correlation: [Double]
    /// The λ applied to R (Ledoit–Wolf's, or the fixed one); 0 when fewer
    /// than two columns vary.
    public let lambda: Double

    /// Shrinks the correlation of rows already centred (row-major n × d,
    /// n ≥ 1). R is summed in a fixed order
    /// (``ReproducibleDoubleProducts/gram(_:rows:columns:)``), so the
    /// result is the same on every CPU.
    public init(ofCentred x: [Double], rows n: Int, dimensions d: Int, shrinkage: CovarianceShrinkage) {
        precondition(x.count == n * d && n >= 1)
        var s = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { s[j] += x[i * d + j] * x[i * d + j] } }
        for j in 0..<d { s[j] = (s[j] / Double(n)).squareRoot() }
        let varying = (0..<d).filter { s[$0] > 0 }
        let m = varying.count
        var z = [Double](repeating: 0, count: n * m)
        for i in 0..<n { for (t, j) in varying.enumerated() { z[i * m + t] = x[i * d + j] / s[j] } }
        var r = ReproducibleDoubleProducts.gram(z, rows: n, columns: m)
        for a in 0..<m {
            for b in a..<m { r[a * m + b] /= Double(n); r[b * m + a] = r[a * m + b] }
            r[a * m + a] = 1  // 1 up to rounding: made exact, so μ = tr R / m is 1
        }
        // Ledoit–Wolf on the standardized rows: μ = 1, so (1 − λ)·R + λ·I.
        let (shrunk, lambda) = m > 0 ? shrinkage.apply(centred: z, rows: n, dimensions: m, covariance: r) : ([], 0)
        var out = [Double](repeating: 0, count: d * d)
        for j in 0..<d { out[j * d + j] = 1 }
        for (a, i) in varying.enumerated() {
            for (b, j) in varying.enumerated() where a != b { out[i * d + j] = shrunk[a * m + b] }
        }
        standardDeviations = s
        correlation = out
        self.lambda = lambda
    }

    /// Σ̂ = diag(s)·R̂·diag(s), row-major d × d.
    public var covariance: [Double] {
        let d = standardDeviations.count, s = standardDeviations
        var out = correlation
        for i in 0..<d { for j in 0..<d { out[i * d + j] *= s[i] * s[j] } }
        return out
    }

    /// L = diag(s)·chol(R̂), lower-triangular, row-major d × d, with
    /// L·Lᵀ = Σ̂; a constant column's row is 0 (its diagonal too).
    ///
    /// - Throws: ``LinearAlgebraError`` when R̂ is not positive definite
    ///   (λ = 0 with fewer rows than varying columns, or a column that is a
    ///   linear combination of others).
    public func choleskyFactor() throws -> [Double] {
        let d = standardDeviations.count
        var l = try ReproducibleCholesky.factor(correlation, order: d)
        for i in 0..<d { for k in 0...i { l[i * d + k] *= standardDeviations[i] } }
        return l
    }

    /// Whether every column is constant within the class (no factor has
    /// anything to sample).
    public var hasNoVariance: Bool { standardDeviations.allSatisfy { $0 == 0 } }
}
