import CBLAS

/// The pointer forms of the BLAS calls, for hot loops that multiply
/// sub-blocks of larger buffers (a tile of distances, a block of rows).
/// ``BLAS`` holds the forms that take arrays and matrices.
///
/// Preconditions, for every function here: each pointer addresses a buffer
/// of at least (rows − 1) × stride + columns elements for the shape and the
/// stride (`lda`, `ldb`, `ldc`) given, as stored (before any transpose);
/// the output does not overlap an input; and nothing else reads or writes
/// the output during the call.
package enum _UnsafeBLAS {
    /// C ← α·op(A)·op(B) + β·C, where op is the identity or the transpose.
    /// A is m×k after op, B is k×n after op, C is m×n; `lda`, `ldb`, `ldc` are
    /// the row strides of the buffers as stored.
    @inlinable
    package static func gemm(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C ← C + AᵀA on the upper triangle, for a row-major Double A of
    /// `rows` × n and an n × n C: one block of a Gram matrix in Double.
    package static func accumulateGram(_ a: UnsafePointer<Double>, rows: Int, columns n: Int,
                                       into c: UnsafeMutablePointer<Double>) {
        guard rows > 0, n > 0 else { return }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows), 1, a, Int32(n), 1, c, Int32(n))
    }
}
