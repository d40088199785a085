#ifndef SYNTHCTL_CNORMALKERNEL_H
#define SYNTHCTL_CNORMALKERNEL_H

#include <stddef.h>
#include <stdint.h>

/// Wide-vector versions of Synth's `_UnsafeNormalKernel` (Philox4x32-10 and
/// Box–Muller with polynomial ln, √, sin and cos). Swift on Linux compiles for
/// the x86-64 baseline (SSE2), whose 128-bit registers hold two 32×32→64-bit
/// products; these functions are compiled for AVX2 and AVX-512 and chosen at
/// run time, so one binary runs everywhere and uses what the CPU has.
///
/// Every path performs the same IEEE operations in the same order as the
/// Swift kernel (no fused multiply-add: the file turns contraction off, and
/// √ is the same Newton iteration, not the hardware instruction), so the
/// floats are bit-identical whichever path runs. The tests compare them.

/// What this CPU and OS support: 2 = AVX-512F, 1 = AVX2, 0 = neither
/// (use the Swift kernel). Checked once with CPUID and XGETBV (the OS must
/// save the wide registers), then cached.
int synthctl_normal_kernel_level(void);

/// Fills out[0..<count] with standard normals: value j comes from Philox
/// block j / 4 of the counter (j / 4, c1, c2, c3) under key (key0, key1),
/// laid out exactly as `_UnsafeNormalKernel.fill` lays them out.
///
/// Preconditions: `level` is 1 or 2 and at most
/// `synthctl_normal_kernel_level()` (a higher level executes instructions
/// the CPU lacks); `out` holds `count` floats; count / 4 < 2^32.
void synthctl_fill_normals(int level, uint32_t key0, uint32_t key1,
                           uint32_t c1, uint32_t c2, uint32_t c3,
                           float *out, size_t count);

#endif
