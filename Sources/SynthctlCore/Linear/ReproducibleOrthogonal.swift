/// A random orthogonal matrix computed in a fixed order of operations, for
/// generators that need one (the regression generator's low-rank mixing).
///
/// Why not LAPACK: `dsyevd` and `dgeqrf` are blocked on BLAS, whose
/// rounding depends on the kernel OpenBLAS picks for the CPU; a generator
/// that used them wrote different bytes on different machines. Here Q comes
/// from the Householder QR factorization of a square matrix, every dot
/// product summed in one stated order, so it is the same on every machine.
/// With the signs chosen so that R's diagonal is positive, Q of a matrix of
/// independent standard normals is Haar-distributed (Mezzadri, "How to
/// generate random matrices from the classical compact groups", Notices of
/// the AMS 54, 2007). Cost: about (8/3)·n³ operations.
public enum ReproducibleOrthogonal {
    /// The orthogonal factor Q of g = QR with diag(R) > 0.
    ///
    /// - Parameter g: n × n, row-major.
    /// - Returns: n × n, row-major.
    public static func qFactor(_ g: [Double], order n: Int) -> [Double] {
        precondition(g.count == n * n)
        guard n > 0 else { return [] }
        // Column-major work array: column j at a[j·n ..< (j + 1)·n].
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { a[j * n + i] = g[i * n + j] } }
        // Householder vectors v_k (v_k[k] = 1 implied below k) and the sign of R's diagonal.
        var tau = [Double](repeating: 0, count: n)
        var sign = [Double](repeating: 1, count: n)
        a.withUnsafeMutableBufferPointer { ap in
            let base = ap.baseAddress!
            for k in 0..<n {
                let column = base + k * n
                let length = n - k
                let normSquared = _UnsafeFixedOrderDot.dot(column + k, column + k, count: length)
                let x0 = column[k]
                guard normSquared > 0 else { continue }  // a zero column: H_k = I, R_kk = 0
                let norm = normSquared.squareRoot()
                let alpha = x0 >= 0 ? -norm : norm  // R_kk
                sign[k] = alpha >= 0 ? 1 : -1
                // v = x − alpha·e₁ scaled to v[0] = 1; H = I − tau·v·vᵀ.
                let v0 = x0 - alpha
                for i in (k + 1)..<n { column[i] /= v0 }
                tau[k] = -v0 / alpha
                column[k] = alpha
                // Apply H to the trailing columns: c ← c − tau·v·(vᵀc).
                for j in (k + 1)..<n {
                    let c = base + j * n
                    let w = tau[k] * (c[k] + _UnsafeFixedOrderDot.dot(column + k + 1, c + k + 1, count: length - 1))
                    c[k] -= w
                    for i in (k + 1)..<n { c[i] -= w * column[i] }
                }
            }
        }
        // Q = H_0·H_1·…·H_{n−1}, built from the identity backwards (column-major).
        var q = [Double](repeating: 0, count: n * n)
        for i in 0..<n { q[i * n + i] = 1 }
        a.withUnsafeBufferPointer { ap in
            q.withUnsafeMutableBufferPointer { qp in
                let v = ap.baseAddress!, out = qp.baseAddress!
                for k in stride(from: n - 1, through: 0, by: -1) where tau[k] != 0 {
                    let vk = v + k * n
                    for j in k..<n {
                        let c = out + j * n
                        let w = tau[k] * (c[k] + _UnsafeFixedOrderDot.dot(vk + k + 1, c + k + 1, count: n - k - 1))
                        c[k] -= w
                        for i in (k + 1)..<n { c[i] -= w * vk[i] }
                    }
                }
            }
        }
        // Row-major, each column k times the sign of R_kk (so that diag(R) > 0).
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { out[i * n + j] = q[j * n + i] * sign[j] } }
        return out
    }
}

/// Dot products of Double vectors in a fixed order. Preconditions: both
/// pointers address `count` readable Doubles.
enum _UnsafeFixedOrderDot {
    /// Σ a[j]·b[j] in four partial sums over j ≡ 0, 1, 2, 3 (mod 4), added
    /// as (s0 + s1) + (s2 + s3): one order on every machine, and four
    /// independent chains for the adder.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count d: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j + 4 <= d {
            s0 += a[j] * b[j]; s1 += a[j + 1] * b[j + 1]; s2 += a[j + 2] * b[j + 2]; s3 += a[j + 3] * b[j + 3]
            j += 4
        }
        if j < d { s0 += a[j] * b[j] }
        if j + 1 < d { s1 += a[j + 1] * b[j + 1] }
        if j + 2 < d { s2 += a[j + 2] * b[j + 2] }
        return (s0 + s1) + (s2 + s3)
    }
}
