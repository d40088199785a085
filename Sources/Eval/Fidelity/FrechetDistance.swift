import Synth
import SynthctlCore

/// The Fréchet distance between the Gaussians fitted to two sets
/// (FID when the rows are Inception features): the squared 2-Wasserstein
/// distance ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2·tr (Σ₁^½ Σ₂ Σ₁^½)^½.
///
/// Computed the stable way, in Double: Σ₁^½ from the symmetric
/// eigendecomposition of Σ₁, then the eigenvalues of the symmetric product
/// Σ₁^½ Σ₂ Σ₁^½, negative ones (rounding) clamped to zero before their
/// square roots are summed. The usual `sqrtm(Σ₁Σ₂)` takes the square root
/// of a non-symmetric matrix and fails with "imaginary component" on
/// nearly singular covariances; this route cannot.
///
/// The moments, means and traces are computed in a fixed order, the same
/// on every machine; the two eigendecompositions (LAPACK's `dsyevd`) and
/// the products (`dgemm`) round in ways that depend on the BLAS kernel.
/// ``roundingBound`` bounds what those steps can change, by first-order
/// backward error analysis: an eigensolver is exact for a matrix within
/// D·u·‖A‖ of its input (u = 2⁻⁵³; LAPACK's users' guide uses a constant
/// of 1 where this uses D), a product of D-term sums is within D·γ_D·‖A‖‖B‖,
/// ‖√X − √Y‖ ≤ min(√‖X − Y‖, ‖X − Y‖/(√λ_min(X) + √λ_min(Y))), and
/// |√(μ + e) − √μ| ≤ min(√e, e/√μ) for each eigenvalue μ of Σ₁^½Σ₂Σ₁^½.
/// Two machines agree within the sum of their bounds.
///
/// With `fixedOrder`, the eigendecompositions are
/// ``ReproducibleSymmetricEigen``'s and the products plain loops in a
/// written order, so the distance is the same on every machine and
/// ``roundingBound`` is 0 (about 6D³ operations instead of LAPACK's
/// blocked ones: `collapse` uses it, once per generation).
public struct FrechetDistance: Sendable {
    public let distance: Double
    /// ‖μ₁ − μ₂‖², the part due to the means.
    public let meanTerm: Double
    /// tr Σ₁ + tr Σ₂ − 2·tr(…)^½, the part due to the covariances.
    public let covarianceTerm: Double
    /// The largest change the machine-dependent rounding of the
    /// eigendecompositions and products can make to ``distance``.
    public let roundingBound: Double

    public init(_ a: Moments, _ b: Moments, fixedOrder: Bool = false) throws {
        precondition(a.featureCount == b.featureCount)
        let d = a.featureCount
        for (side, m) in [("first", a), ("second", b)] where m.rows <= d {
            throw UndefinedStatisticError(statistic: "Fréchet distance", needs: "more rows than dimensions in the \(side) set",
                                          why: "its covariance is singular otherwise", found: "\(m.rows) rows in \(d) dimensions")
        }
        let (values, vectors) = fixedOrder ? try ReproducibleSymmetricEigen.decompose(a.covariance, order: d)
            : try LAPACK.symmetricEigen(a.covariance, order: d)
        // Σ₁^½ = V·diag(√λ)·Vᵀ
        var scaled = vectors
        for i in 0..<d { for j in 0..<d { scaled[i * d + j] *= max(values[j], 0).squareRoot() } }
        var root = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                var s = 0.0
                for t in 0..<d { s += scaled[i * d + t] * vectors[j * d + t] }
                root[i * d + j] = s
                root[j * d + i] = s
            }
        }
        func multiply(_ x: [Double], _ y: [Double]) -> [Double] {
            guard fixedOrder else { return BLAS.multiply(x, y, m: d, k: d, n: d) }
            var out = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for t in 0..<d {
                let xt = x[i * d + t]
                for j in 0..<d { out[i * d + j] += xt * y[t * d + j] }
            } }
            return out
        }
        var product = multiply(multiply(root, b.covariance), root)
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { let s = (product[i * d + j] + product[j * d + i]) / 2; product[i * d + j] = s; product[j * d + i] = s } }
        let lambdas = fixedOrder ? try ReproducibleSymmetricEigen.decompose(product, order: d, vectors: false).values
            : try LAPACK.symmetricEigen(product, order: d).values
        let cross = lambdas.reduce(0) { $0 + max($1, 0).squareRoot() }
        roundingBound = fixedOrder ? 0 : Self.roundingBound(dimensions: d, eigenvaluesOfFirst: values,
                                                            normOfSecond: (0..<d).reduce(0) { $0 + b.covariance[$1 * d + $1] },  // ‖Σ₂‖ ≤ tr Σ₂
                                                            eigenvaluesOfProduct: lambdas)
        var traceA = 0.0, traceB = 0.0, meanTerm = 0.0
        for i in 0..<d {
            traceA += a.covariance[i * d + i]
            traceB += b.covariance[i * d + i]
            meanTerm += (a.mean[i] - b.mean[i]) * (a.mean[i] - b.mean[i])
        }
        self.meanTerm = meanTerm
        covarianceTerm = max(traceA + traceB - 2 * cross, 0)
        distance = meanTerm + covarianceTerm
    }

    /// See the type's discussion: 2·Σᵢ min(√ε, ε/√μᵢ) with ε the bound on
    /// the error of Σ₁^½Σ₂Σ₁^½ and μᵢ its eigenvalues.
    static func roundingBound(dimensions d: Int, eigenvaluesOfFirst lambdaA: [Double], normOfSecond normB: Double,
                              eigenvaluesOfProduct mu: [Double]) -> Double {
        let u = Double.ulpOfOne / 2, dd = Double(d)
        let gamma = dd * u / (1 - dd * u)
        let normA = lambdaA.map(abs).max() ?? 0, smallestA = max(lambdaA.min() ?? 0, 0)
        let eigenError = dd * u * normA
        let below = max(smallestA - eigenError, 0).squareRoot() + smallestA.squareRoot()
        // Σ₁^½: the eigensolver's backward error, then the eigenvectors' loss of orthogonality.
        let rootError = min(eigenError.squareRoot(), below > 0 ? eigenError / below : .infinity) + dd * u * normA.squareRoot()
        let normProduct = mu.map(abs).max() ?? 0
        let epsilon = 2 * normA.squareRoot() * normB * rootError + 2 * dd * gamma * normA * normB + dd * u * normProduct
        let crossBound = mu.reduce(0.0) { sum, m in
            let root = epsilon.squareRoot()
            return sum + (m > 0 ? min(root, epsilon / m.squareRoot()) : root)
        }
        return 2 * crossBound
    }
}
