/// The Cholesky factor of a symmetric positive definite matrix, and the
/// inverse of a lower-triangular factor, computed in a fixed order of
/// operations.
///
/// Why not LAPACK's `dpotrf`: it is blocked, and its blocks run through
/// BLAS (`dsyrk`, `dgemm`, `dtrsm`), whose rounding depends on the kernel
/// OpenBLAS picks for the CPU; a model file fitted on two machines then
/// differs in its last digits. Here every entry is one sum in a written
/// order (increasing k, each product and each sum rounded separately; Swift
/// forms no fused multiply-adds), so the factor is the same on every CPU.
/// The cost is n³/6 multiply-adds, which for the covariances of fitted
/// models (n = features, up to a few hundred) is milliseconds.
public enum ReproducibleCholesky {
    /// The lower-triangular L with A = L·Lᵀ, row-major n × n, upper triangle
    /// zero (Cholesky–Banachiewicz, row by row):
    ///
    ///     L[i][j] = (A[i][j] − Σ_{k<j} L[i][k]·L[j][k]) / L[j][j]   (j < i)
    ///     L[i][i] = √(A[i][i] − Σ_{k<i} L[i][k]²)
    ///
    /// Only the lower triangle of `a` is read.
    ///
    /// - Throws: ``LinearAlgebraError`` (routine "cholesky", `info` the
    ///   order of the first leading minor that is not positive definite)
    ///   when a pivot is not positive and finite.
    public static func factor(_ a: [Double], order n: Int) throws -> [Double] {
        precondition(a.count == n * n, "expected an \(n) × \(n) matrix")
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0, s.isFinite else { throw LinearAlgebraError(routine: "cholesky", info: Int32(truncatingIfNeeded: i + 1)) }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        return l
    }

    /// L⁻¹ for a lower-triangular L with a positive diagonal (row-major
    /// n × n; the result is lower-triangular), column by column by forward
    /// substitution:
    ///
    ///     X[j][j] = 1 / L[j][j],   X[i][j] = −(Σ_{j≤k<i} L[i][k]·X[k][j]) / L[i][i]   (i > j)
    ///
    /// n³/6 multiply-adds. Used where many vectors are multiplied by L⁻¹
    /// (a mixture's E-step): one product per row instead of one
    /// substitution per row, in the same fixed order.
    public static func inverse(ofLower l: [Double], order n: Int) -> [Double] {
        precondition(l.count == n * n, "expected an \(n) × \(n) matrix")
        var x = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            x[j * n + j] = 1 / l[j * n + j]
            for i in (j + 1)..<max(j + 1, n) {
                var s = 0.0
                for k in j..<i { s += l[i * n + k] * x[k * n + j] }
                x[i * n + j] = -s / l[i * n + i]
            }
        }
        return x
    }
}
