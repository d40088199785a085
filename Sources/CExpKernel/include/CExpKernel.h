#ifndef SYNTHCTL_CEXPKERNEL_H
#define SYNTHCTL_CEXPKERNEL_H

#include <stddef.h>

/// Wide-vector forms of SynthctlCore's `polynomialExp` applied to a row of
/// float32 squared distances: out[j] = polynomialExp(scale · (double)row[j]),
/// the Gaussian (RBF) kernel values of one row of a distance tile. Swift on
/// Linux compiles for the x86-64 baseline (SSE2), which has no 64-bit
/// arithmetic shift, and the scalar loop does not vectorize; these
/// functions are compiled for AVX2 (4 doubles) and AVX-512 (8 doubles) and
/// chosen at run time.
///
/// Every lane performs the same IEEE operations in the same order as the
/// Swift function (no fused multiply-add: the file turns contraction off;
/// the clamps and the final selections are the same comparisons), so the
/// doubles are bit-identical to `polynomialExp`'s. The tests compare them.

/// What this CPU and OS support: 2 = AVX-512F, 1 = AVX2, 0 = neither (use
/// the Swift loop). Checked once with CPUID and XGETBV, then cached.
int synthctl_exp_kernel_level(void);

/// Writes out[j] = polynomialExp(scale · (double)row[j]) for j below
/// `count` rounded down to the level's width (8 at level 2, 4 at level 1)
/// and returns how many it wrote; the caller computes the rest.
///
/// Preconditions: `level` is 1 or 2 and at most `synthctl_exp_kernel_level()`
/// (a higher level executes instructions the CPU lacks); `row` holds
/// `count` readable floats and `out` `count` writable doubles.
size_t synthctl_rbf_kernel_row(int level, const float *row, double scale, double *out, size_t count);

/// Writes x[j] = polynomialExp(x[j]) in place for j below `count` rounded
/// down to the level's width (8 at level 2, 4 at level 1) and returns how
/// many it wrote; the caller computes the rest (Dawid–Skene's E-step: the
/// posteriors of a tile of items).
///
/// Preconditions: `level` is 1 or 2 and at most `synthctl_exp_kernel_level()`;
/// `x` holds `count` doubles.
size_t synthctl_exp_in_place(int level, double *x, size_t count);

/// Writes x[j] = BertVectorMath.gelu(x[j]) (Eval: the exact GELU, x·Φ(x),
/// in float32 polynomials) in place for j below `count` rounded down to 8,
/// with AVX2, and returns how many it wrote; the caller computes the rest.
/// The same IEEE operations in the same order as the Swift function, so
/// the same bits.
///
/// Preconditions: `level` is at least 1 and at most
/// `synthctl_exp_kernel_level()`; `x` holds `count` floats.
size_t synthctl_gelu(int level, float *x, size_t count);

/// Writes x[j] = BertVectorMath.exp(x[j] − top) (Eval: the softmax's
/// exponentials, a float32 polynomial) in place for j below `count` rounded
/// down to 8, with AVX2, and returns how many it wrote; the caller computes
/// the rest. The same IEEE operations in the same order as the Swift code,
/// so the same bits.
///
/// Preconditions: `level` is at least 1 and at most
/// `synthctl_exp_kernel_level()`; `x` holds `count` floats.
size_t synthctl_shifted_exp(int level, float *x, float top, size_t count);

#endif
