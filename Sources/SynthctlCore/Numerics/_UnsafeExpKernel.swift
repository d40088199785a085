import CExpKernel

/// Gaussian (RBF) kernel values of one row of a distance tile,
/// e^(scale·d) by ``polynomialExp(_:)``: the inner loop of the kernel sums
/// behind MMD² (Eval's `KernelMetrics`), which evaluate 10⁸ of them per
/// comparison.
///
/// Swift compiles for the x86-64 baseline (SSE2), which has no 64-bit
/// arithmetic shift, so the loop stays scalar. Where the CPU has AVX2 or
/// AVX-512, ``rbfRow(_:scale:into:count:level:)`` hands the row to the same
/// function written for those registers (the `CExpKernel` target, 4 and 8
/// doubles a step), which performs the same IEEE operations in the same
/// order and so writes the same bits; the remainder of a row, and CPUs
/// without them, take ``polynomialExp(_:)`` itself. The tests compare the
/// paths bit for bit.
package enum _UnsafeExpKernel {
    /// The widest path this CPU runs: 2 = AVX-512, 1 = AVX2, 0 = Swift's.
    package static let widestLevel = Int(synthctl_exp_kernel_level())

    /// out[j] = polynomialExp(Double(row[j]) · scale) for j in 0..<count.
    ///
    /// Preconditions: `row` addresses `count` readable floats and `out`
    /// `count` writable doubles that nothing else reads or writes
    /// meanwhile; `level` is at most ``widestLevel`` (a higher one runs
    /// instructions the CPU lacks).
    package static func rbfRow(_ row: UnsafePointer<Float>, scale: Double, into out: UnsafeMutablePointer<Double>,
                               count: Int, level: Int = widestLevel) {
        precondition(count >= 0 && level <= widestLevel, "exp kernel level \(level) above this CPU's \(widestLevel)")
        var j = level > 0 && count > 0 ? Int(synthctl_rbf_kernel_row(Int32(level), row, scale, out, count)) : 0
        while j < count {
            out[j] = polynomialExp(Double(row[j]) * scale)
            j += 1
        }
    }

    /// x[j] = polynomialExp(x[j]) for j in 0..<count, in place (the E-steps
    /// of the aggregation models exponentiate a tile of log-posteriors).
    ///
    /// Preconditions: `x` addresses `count` doubles that nothing else reads
    /// or writes meanwhile; `level` is at most ``widestLevel``.
    package static func expInPlace(_ x: UnsafeMutablePointer<Double>, count: Int, level: Int = widestLevel) {
        precondition(count >= 0 && level <= widestLevel, "exp kernel level \(level) above this CPU's \(widestLevel)")
        var j = level > 0 && count > 0 ? Int(synthctl_exp_in_place(Int32(level), x, count)) : 0
        while j < count {
            x[j] = polynomialExp(x[j])
            j += 1
        }
    }

    /// The exact GELU of Eval's `BertVectorMath.gelu`, in place, with AVX2:
    /// the first count − count % 8 values of `x`; returns how many it
    /// wrote (0 at level 0), the caller computing the rest with the Swift
    /// function, whose bits these are.
    ///
    /// Preconditions: `x` addresses `count` floats that nothing else reads
    /// or writes meanwhile; `level` is at most ``widestLevel``.
    package static func geluPrefix(_ x: UnsafeMutablePointer<Float>, count: Int, level: Int = widestLevel) -> Int {
        precondition(count >= 0 && level <= widestLevel, "exp kernel level \(level) above this CPU's \(widestLevel)")
        return level > 0 && count > 0 ? Int(synthctl_gelu(Int32(level), x, count)) : 0
    }

    /// The softmax's exponentials of Eval's `_UnsafeBertKernels.softmaxRows`,
    /// x[j] = `BertVectorMath.exp`(x[j] − top), in place, with AVX2: the
    /// first count − count % 8 values of `x`; returns how many it wrote (0
    /// at level 0), the caller computing the rest in Swift, whose bits
    /// these are.
    ///
    /// Preconditions: `x` addresses `count` floats that nothing else reads
    /// or writes meanwhile; `level` is at most ``widestLevel``.
    package static func shiftedExpPrefix(_ x: UnsafeMutablePointer<Float>, top: Float, count: Int, level: Int = widestLevel) -> Int {
        precondition(count >= 0 && level <= widestLevel, "exp kernel level \(level) above this CPU's \(widestLevel)")
        return level > 0 && count > 0 ? Int(synthctl_shifted_exp(Int32(level), x, top, count)) : 0
    }
}
