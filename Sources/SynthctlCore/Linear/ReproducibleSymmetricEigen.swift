/// Eigenvalues and eigenvectors of a symmetric matrix, computed in a fixed
/// order of operations: Householder reduction to tridiagonal form, then
/// the implicit QL algorithm with Wilkinson-style shifts (EISPACK's `tred2`
/// and `tql2`; Bowdler, Martin, Reinsch & Wilkinson, Handbook for Automatic
/// Computation II, 1971).
///
/// Why not LAPACK's `dsyevd`: it reduces through BLAS (`dsymv`, `dsyr2k`,
/// `dgemm`), whose rounding depends on the kernel OpenBLAS picks for the
/// CPU, so the eigenvalues differ between machines in their last digits.
/// Here every operation is written out and runs in one order (no fused
/// multiply-adds, no library calls but `squareRoot`, which IEEE 754 rounds
/// exactly), so the result is the same on every machine. It is backward
/// stable like LAPACK's (each eigenvalue exact for a matrix within a small
/// multiple of n·u·‖A‖ of the input) and costs about 6n³ operations with
/// vectors: fine for the covariances of fitted models and collapse
/// generations (n up to a few hundred), slower than `dsyevd` beyond.
public enum ReproducibleSymmetricEigen {
    /// Eigenvalues (ascending) and, when `vectors` is true, eigenvectors of
    /// the symmetric n × n `a` (row-major; both triangles are read, and
    /// should agree): row-major n × n with eigenvector i in column i (empty
    /// when `vectors` is false).
    ///
    /// - Throws: ``LinearAlgebraError`` (routine "symmetric_eigen") when QL
    ///   has not converged after 30·n iterations (EISPACK's limit is 30 per
    ///   eigenvalue; it is never reached on finite input in practice).
    public static func decompose(_ a: [Double], order n: Int, vectors: Bool = true) throws -> (values: [Double], vectors: [Double]) {
        precondition(a.count == n * n, "expected an \(n) × \(n) matrix")
        guard n > 0 else { return ([], []) }
        var v = a, d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        tridiagonalize(&v, &d, &e, n)
        try diagonalize(&v, &d, &e, n, vectors: vectors)
        return (d, vectors ? v : [])
    }

    /// √(a² + b²) without overflow or underflow, in a fixed order.
    static func hypotenuse(_ a: Double, _ b: Double) -> Double {
        let x = abs(a), y = abs(b)
        let big = max(x, y), small = min(x, y)
        guard big > 0 else { return 0 }
        let r = small / big
        return big * (1 + r * r).squareRoot()
    }

    /// Householder reduction of the symmetric `v` (n × n, row-major) to
    /// tridiagonal form: on return `d` holds the diagonal, `e[1...]` the
    /// subdiagonal (e[0] = 0) and `v` the orthogonal transformation.
    static func tridiagonalize(_ v: inout [Double], _ d: inout [Double], _ e: inout [Double], _ n: Int) {
        for j in 0..<n { d[j] = v[(n - 1) * n + j] }
        for i in stride(from: n - 1, to: 0, by: -1) {
            // Scale the row to avoid under- and overflow.
            var scale = 0.0, h = 0.0
            for k in 0..<i { scale += abs(d[k]) }
            if scale == 0 {
                e[i] = d[i - 1]
                for j in 0..<i {
                    d[j] = v[(i - 1) * n + j]
                    v[i * n + j] = 0
                    v[j * n + i] = 0
                }
            } else {
                // The Householder vector.
                for k in 0..<i {
                    d[k] /= scale
                    h += d[k] * d[k]
                }
                var f = d[i - 1]
                var g = h.squareRoot()
                if f > 0 { g = -g }
                e[i] = scale * g
                h -= f * g
                d[i - 1] = f - g
                for j in 0..<i { e[j] = 0 }
                // The similarity transformation of the remaining columns.
                for j in 0..<i {
                    f = d[j]
                    v[j * n + i] = f
                    g = e[j] + v[j * n + j] * f
                    for k in (j + 1)..<max(j + 1, i) {
                        g += v[k * n + j] * d[k]
                        e[k] += v[k * n + j] * f
                    }
                    e[j] = g
                }
                f = 0
                for j in 0..<i {
                    e[j] /= h
                    f += e[j] * d[j]
                }
                let hh = f / (h + h)
                for j in 0..<i { e[j] -= hh * d[j] }
                for j in 0..<i {
                    f = d[j]
                    g = e[j]
                    for k in j..<i { v[k * n + j] -= (f * e[k] + g * d[k]) }
                    d[j] = v[(i - 1) * n + j]
                    v[i * n + j] = 0
                }
            }
            d[i] = h
        }
        // Accumulate the transformations.
        for i in 0..<(n - 1) {
            v[(n - 1) * n + i] = v[i * n + i]
            v[i * n + i] = 1
            let h = d[i + 1]
            if h != 0 {
                for k in 0...i { d[k] = v[k * n + i + 1] / h }
                for j in 0...i {
                    var g = 0.0
                    for k in 0...i { g += v[k * n + i + 1] * v[k * n + j] }
                    for k in 0...i { v[k * n + j] -= g * d[k] }
                }
            }
            for k in 0...i { v[k * n + i + 1] = 0 }
        }
        for j in 0..<n {
            d[j] = v[(n - 1) * n + j]
            v[(n - 1) * n + j] = 0
        }
        v[(n - 1) * n + n - 1] = 1
        e[0] = 0
    }

    /// The implicit QL algorithm on the tridiagonal (d, e) from
    /// ``tridiagonalize(_:_:_:_:)``, rotating `v` along when `vectors`;
    /// eigenvalues sorted ascending with their vectors.
    static func diagonalize(_ v: inout [Double], _ d: inout [Double], _ e: inout [Double], _ n: Int, vectors: Bool) throws {
        for i in 1..<max(n, 1) { e[i - 1] = e[i] }
        e[n - 1] = 0
        var f = 0.0, largest = 0.0, iterations = 0
        let eps = Double.ulpOfOne
        for l in 0..<n {
            // Find a negligible subdiagonal element.
            largest = max(largest, abs(d[l]) + abs(e[l]))
            var m = l
            while m < n - 1 && abs(e[m]) > eps * largest { m += 1 }
            if m > l {
                repeat {
                    iterations += 1
                    guard iterations <= 30 * n else { throw LinearAlgebraError(routine: "symmetric_eigen", info: Int32(truncatingIfNeeded: l + 1)) }
                    // The implicit shift.
                    var g = d[l]
                    var p = (d[l + 1] - g) / (2 * e[l])
                    var r = hypotenuse(p, 1)
                    if p < 0 { r = -r }
                    d[l] = e[l] / (p + r)
                    d[l + 1] = e[l] * (p + r)
                    let dl1 = d[l + 1]
                    var h = g - d[l]
                    for i in (l + 2)..<max(l + 2, n) { d[i] -= h }
                    f += h
                    // The implicit QL transformation.
                    p = d[m]
                    var c = 1.0, c2 = c, c3 = c
                    let el1 = e[l + 1]
                    var s = 0.0, s2 = 0.0
                    for i in stride(from: m - 1, through: l, by: -1) {
                        c3 = c2
                        c2 = c
                        s2 = s
                        g = c * e[i]
                        h = c * p
                        r = hypotenuse(p, e[i])
                        e[i + 1] = s * r
                        s = e[i] / r
                        c = p / r
                        p = c * d[i] - s * g
                        d[i + 1] = h + s * (c * g + s * d[i])
                        if vectors {
                            for k in 0..<n {
                                h = v[k * n + i + 1]
                                v[k * n + i + 1] = s * v[k * n + i] + c * h
                                v[k * n + i] = c * v[k * n + i] - s * h
                            }
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1
                    e[l] = s * p
                    d[l] = c * p
                } while abs(e[l]) > eps * largest
            }
            d[l] += f
            e[l] = 0
        }
        // Sort ascending (selection sort: the first smallest wins ties).
        for i in 0..<(n - 1) {
            var k = i, p = d[i]
            for j in (i + 1)..<n where d[j] < p { k = j; p = d[j] }
            guard k != i else { continue }
            d[k] = d[i]
            d[i] = p
            if vectors {
                for j in 0..<n { v.swapAt(j * n + i, j * n + k) }
            }
        }
    }
}
