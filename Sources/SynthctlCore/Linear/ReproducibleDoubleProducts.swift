/// The Double matrix products of model fitting (covariances, a mixture's
/// E-step), in a fixed order of operations.
///
/// Why not `dsyrk` and `dtrsm`: their rounding depends on the kernel
/// OpenBLAS picks for the CPU (block sizes, vector width, fused
/// multiply-adds), so a model fitted on two machines differs in its last
/// digits, and an EM run that decides its stopping iteration on those
/// digits can stop at another iteration. Here every output entry has one
/// order of operations, written in the code; vector lanes hold distinct
/// output entries (``gram(_:rows:columns:)``) or fixed residues of the
/// summation index (``timesTransposedLower(_:rows:lower:order:)``), so
/// vectorizing does not change any entry, and the results are the same on
/// every CPU and for every thread count (these run on one thread).
public enum ReproducibleDoubleProducts {
    /// XᵀX of a row-major n × d X, d × d, full (both triangles): entry
    /// (i, j) is Σᵣ x[r][i]·x[r][j] over the rows in increasing order
    /// (``_UnsafeGramKernel``, the kernel ``Moments`` uses).
    public static func gram(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
        precondition(x.count == n * d)
        var c = [Double](repeating: 0, count: d * d)
        guard n > 0, d > 0 else { return c }
        x.withUnsafeBufferPointer { xp in
            c.withUnsafeMutableBufferPointer { cp in
                _UnsafeGramKernel.accumulateUpper(xp.baseAddress!, rows: n, columns: d, into: cp.baseAddress!)
            }
        }
        for i in 0..<d { for j in 0..<i { c[i * d + j] = c[j * d + i] } }
        return c
    }

    /// Y = X·Lᵀ for a row-major n × d X and a lower-triangular d × d L:
    /// y[i][j] = Σ_{t≤j} x[i][t]·L[j][t], the dot product of row i of X with
    /// row j of L over their first j + 1 entries, in
    /// ``_UnsafeReproducibleDoubleDot``'s order. With L the inverse of a
    /// Cholesky factor of Σ, ‖y[i]‖² is the squared Mahalanobis distance of
    /// x[i] under Σ. n·d²/2 multiply-adds.
    public static func timesTransposedLower(_ x: [Double], rows n: Int, lower l: [Double], order d: Int) -> [Double] {
        precondition(x.count == n * d && l.count == d * d)
        var y = [Double](repeating: 0, count: n * d)
        guard n > 0, d > 0 else { return y }
        x.withUnsafeBufferPointer { xp in
            l.withUnsafeBufferPointer { lp in
                y.withUnsafeMutableBufferPointer { yp in
                    let x = xp.baseAddress!, l = lp.baseAddress!, y = yp.baseAddress!
                    var i = 0
                    while i + 4 <= n {
                        for j in 0..<d {
                            let s = _UnsafeReproducibleDoubleDot.dot4(x + i * d, stride: d, l + j * d, count: j + 1)
                            y[i * d + j] = s.0; y[(i + 1) * d + j] = s.1; y[(i + 2) * d + j] = s.2; y[(i + 3) * d + j] = s.3
                        }
                        i += 4
                    }
                    while i < n {
                        for j in 0..<d { y[i * d + j] = _UnsafeReproducibleDoubleDot.dot(x + i * d, l + j * d, count: j + 1) }
                        i += 1
                    }
                }
            }
        }
        return y
    }
}

/// Dot products of Double rows in a fixed order. Preconditions: the
/// pointers address `count` Doubles each (four rows `stride` apart for
/// ``dot4(_:stride:_:count:)``).
enum _UnsafeReproducibleDoubleDot {
    /// Σₜ a[t]·b[t]: eight partial sums (lane l takes t ≡ l mod 8 over the
    /// whole multiples of 8), reduced by halves (8 → 4 → 2 → 1), then the
    /// remaining t in order. SIMD8's lane-wise operations are plain IEEE
    /// double operations however wide the machine's vectors are.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count n: Int) -> Double {
        var acc = SIMD8<Double>(repeating: 0)
        var t = 0
        while t + 8 <= n {
            acc += load(a + t) * load(b + t)
            t += 8
        }
        var s = reduce(acc)
        while t < n {
            s += a[t] * b[t]
            t += 1
        }
        return s
    }

    /// ``dot(_:_:count:)`` of four rows of `a` (`stride` apart) with one `b`,
    /// each in exactly that order: `b` is loaded once for the four.
    @inline(__always)
    static func dot4(_ a: UnsafePointer<Double>, stride: Int, _ b: UnsafePointer<Double>, count n: Int)
        -> (Double, Double, Double, Double) {
        let a1 = a + stride, a2 = a1 + stride, a3 = a2 + stride
        var c0 = SIMD8<Double>(repeating: 0), c1 = c0, c2 = c0, c3 = c0
        var t = 0
        while t + 8 <= n {
            let bv = load(b + t)
            c0 += load(a + t) * bv
            c1 += load(a1 + t) * bv
            c2 += load(a2 + t) * bv
            c3 += load(a3 + t) * bv
            t += 8
        }
        var s0 = reduce(c0), s1 = reduce(c1), s2 = reduce(c2), s3 = reduce(c3)
        while t < n {
            let bt = b[t]
            s0 += a[t] * bt; s1 += a1[t] * bt; s2 += a2[t] * bt; s3 += a3[t] * bt
            t += 1
        }
        return (s0, s1, s2, s3)
    }

    @inline(__always)
    static func reduce(_ v: SIMD8<Double>) -> Double {
        let h4 = v.lowHalf + v.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }
}
