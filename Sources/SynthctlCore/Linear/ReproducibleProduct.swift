/// Matrix products whose every bit is fixed by their inputs, for the
/// generators.
///
/// Why not BLAS: an sgemm's rounding depends on the kernel it runs (block
/// sizes, vector width, fused multiply-add), and OpenBLAS picks its kernel by
/// CPU. The same spec and seed would then write different bytes on different
/// machines — and even on one machine, depending on which kernels OpenBLAS
/// selected — breaking the promise that a dataset is a pure function of its
/// spec. Here every element of the product is the sum over k in increasing
/// order, each product and each sum rounded to Float separately (no fused
/// multiply-add), which IEEE 754 defines exactly on every machine. The
/// generators' products are thin (k is the number of informative features, a
/// latent rank: 2 to a few dozen), so this costs little next to the random
/// numbers; Eval, which compares with tolerances, keeps using BLAS.
public enum ReproducibleProduct {
    /// C = A·B for matrices.
    public static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "product of \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        var c = Matrix(rows: a.rows, columns: b.columns)
        a.storage.withUnsafeBufferPointer { ap in
            b.storage.withUnsafeBufferPointer { bp in
                c.storage.withUnsafeMutableBufferPointer { cp in
                    guard let ab = ap.baseAddress, let bb = bp.baseAddress, let cb = cp.baseAddress else { return }
                    _UnsafeReproducibleProductKernel.run(
                        m: a.rows, n: b.columns, k: a.columns, a: ab, lda: a.columns, b: bb, ldb: b.columns,
                        c: cb, ldc: b.columns, accumulate: false)
                }
            }
        }
        return c
    }
}

/// The loop behind ``ReproducibleProduct``, on raw row-major buffers.
///
/// Computes, for i < m and j < n,
/// `c[i·ldc + j] = s (+ c[i·ldc + j] when accumulate)` where
/// `s = (…((a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + …) + a[i,k−1]·b[k−1,j]`.
/// Vector lanes hold distinct j, so vectorizing does not change any
/// element's order of operations; four rows share each load of B.
///
/// Preconditions: `a` holds m rows of stride `lda` ≥ k, `b` k rows of stride
/// `ldb` ≥ n, `c` m rows of stride `ldc` ≥ n, and no element of `c` that is
/// written is also read through `a` or `b` (they may share a buffer, as when
/// redundant columns are computed from informative columns of the same rows).
package enum _UnsafeReproducibleProductKernel {
    package static func run(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool
    ) {
        guard m > 0, n > 0 else { return }
        var i = 0
        while i + 4 <= m {
            fourRows(i, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            i += 4
        }
        while i < m {
            oneRow(i, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            i += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    static func fourRows(
        _ i: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
        let c0 = c + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc
        var j = 0
        while j + 8 <= n {
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            for p in 0..<k {
                let bv = load(b + p * ldb + j)
                s0 = s0 + SIMD8(repeating: a0[p]) * bv
                s1 = s1 + SIMD8(repeating: a1[p]) * bv
                s2 = s2 + SIMD8(repeating: a2[p]) * bv
                s3 = s3 + SIMD8(repeating: a3[p]) * bv
            }
            if accumulate {
                s0 = s0 + load(c0 + j); s1 = s1 + load(c1 + j)
                s2 = s2 + load(c2 + j); s3 = s3 + load(c3 + j)
            }
            store(s0, c0 + j); store(s1, c1 + j); store(s2, c2 + j); store(s3, c3 + j)
            j += 8
        }
        while j < n {
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            for p in 0..<k {
                let bv = b[p * ldb + j]
                s0 = s0 + a0[p] * bv; s1 = s1 + a1[p] * bv
                s2 = s2 + a2[p] * bv; s3 = s3 + a3[p] * bv
            }
            if accumulate { s0 = s0 + c0[j]; s1 = s1 + c1[j]; s2 = s2 + c2[j]; s3 = s3 + c3[j] }
            c0[j] = s0; c1[j] = s1; c2[j] = s2; c3[j] = s3
            j += 1
        }
    }

    static func oneRow(
        _ i: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let ai = a + i * lda, ci = c + i * ldc
        var j = 0
        while j + 8 <= n {
            var s = SIMD8<Float>()
            for p in 0..<k { s = s + SIMD8(repeating: ai[p]) * load(b + p * ldb + j) }
            if accumulate { s = s + load(ci + j) }
            store(s, ci + j)
            j += 8
        }
        while j < n {
            var s: Float = 0
            for p in 0..<k { s = s + ai[p] * b[p * ldb + j] }
            if accumulate { s = s + ci[j] }
            ci[j] = s
            j += 1
        }
    }
}
