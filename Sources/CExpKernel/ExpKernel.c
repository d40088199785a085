// AVX2 and AVX-512 forms of SynthctlCore's polynomialExp over a row of
// float32 squared distances; see CExpKernel.h.
//
// Each function carries its own target attribute, so the file compiles for
// the x86-64 baseline and only the chosen function uses wider instructions.

#include "CExpKernel.h"

// The Swift function rounds every product and every sum; so must this file.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <stdint.h>

// The Swift function's constants, as Swift rounds its literals (the
// quotients are correctly rounded in both languages).
#define LOG2E 1.4426950408889634
#define LN2_HI 0.693147180369123816490
#define LN2_LO 1.90821492927058770002e-10
#define MAGIC 6755399441055744.0  // 1.5 · 2^52
#define LOWEST -708.0
#define HIGHEST 709.78
static const double kTaylor[14] = {
    1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
    1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0,
};

// MARK: - AVX-512: eight doubles per step

#define ATTR512 __attribute__((target("avx512f"), always_inline)) static inline

ATTR512 __m512d exp_512(__m512d x) {
    const __m512d lowest = _mm512_set1_pd(LOWEST), highest = _mm512_set1_pd(HIGHEST), magic = _mm512_set1_pd(MAGIC);
    // Swift's max(x, c) is (c >= x ? c : x) and min(y, c) is (c < y ? c : y): NaN stays NaN.
    __m512d raised = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(lowest, x, _CMP_GE_OQ), x, lowest);
    __m512d clamped = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(highest, raised, _CMP_LT_OQ), raised, highest);
    __m512d shifted = _mm512_add_pd(_mm512_mul_pd(clamped, _mm512_set1_pd(LOG2E)), magic);
    __m512d k = _mm512_sub_pd(shifted, magic);
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(clamped, _mm512_mul_pd(k, _mm512_set1_pd(LN2_HI))),
                              _mm512_mul_pd(k, _mm512_set1_pd(LN2_LO)));
    __m512d p = _mm512_set1_pd(kTaylor[0]);
    for (int i = 1; i < 14; i++) p = _mm512_add_pd(_mm512_mul_pd(p, r), _mm512_set1_pd(kTaylor[i]));
    // The low bits of `shifted` hold k; 2^k in two halves, as the Swift function.
    __m512i kBits = _mm512_sub_epi64(_mm512_castpd_si512(shifted), _mm512_castpd_si512(magic));
    __m512i half = _mm512_srai_epi64(kBits, 1);
    const __m512i bias = _mm512_set1_epi64(1023);
    __m512d scaleA = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(half, bias), 52));
    __m512d scaleB = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_sub_epi64(kBits, half), bias), 52));
    __m512d value = _mm512_mul_pd(_mm512_mul_pd(p, scaleA), scaleB);
    // x < −708 ? 0 : (x > 709.78 ? +∞ : value)
    value = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, highest, _CMP_GT_OQ), value, _mm512_set1_pd(__builtin_inf()));
    return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, lowest, _CMP_LT_OQ), value, _mm512_setzero_pd());
}

__attribute__((target("avx512f"))) static size_t row_avx512(const float *row, double scale, double *out, size_t count) {
    const __m512d s = _mm512_set1_pd(scale);
    size_t j = 0;
    for (; j + 8 <= count; j += 8) {
        __m512d x = _mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(row + j)), s);
        _mm512_storeu_pd(out + j, exp_512(x));
    }
    return j;
}

// MARK: - AVX2: four doubles per step

#define ATTR256 __attribute__((target("avx2"), always_inline)) static inline

ATTR256 __m256d exp_256(__m256d x) {
    const __m256d lowest = _mm256_set1_pd(LOWEST), highest = _mm256_set1_pd(HIGHEST), magic = _mm256_set1_pd(MAGIC);
    __m256d raised = _mm256_blendv_pd(x, lowest, _mm256_cmp_pd(lowest, x, _CMP_GE_OQ));
    __m256d clamped = _mm256_blendv_pd(raised, highest, _mm256_cmp_pd(highest, raised, _CMP_LT_OQ));
    __m256d shifted = _mm256_add_pd(_mm256_mul_pd(clamped, _mm256_set1_pd(LOG2E)), magic);
    __m256d k = _mm256_sub_pd(shifted, magic);
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(clamped, _mm256_mul_pd(k, _mm256_set1_pd(LN2_HI))),
                              _mm256_mul_pd(k, _mm256_set1_pd(LN2_LO)));
    __m256d p = _mm256_set1_pd(kTaylor[0]);
    for (int i = 1; i < 14; i++) p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(kTaylor[i]));
    // AVX2 has no 64-bit arithmetic shift. k lies in [−1021, 1024] (the
    // clamp bounds it), so k + 2048 is non-negative and
    // ((k + 2048) >> 1) − 1024 = ⌊k/2⌋, the Swift function's k >> 1. A
    // NaN lane's k is meaningless in both forms, and its value NaN.
    __m256i kBits = _mm256_sub_epi64(_mm256_castpd_si256(shifted), _mm256_castpd_si256(magic));
    __m256i half = _mm256_sub_epi64(_mm256_srli_epi64(_mm256_add_epi64(kBits, _mm256_set1_epi64x(2048)), 1),
                                    _mm256_set1_epi64x(1024));
    const __m256i bias = _mm256_set1_epi64x(1023);
    __m256d scaleA = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(half, bias), 52));
    __m256d scaleB = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(_mm256_sub_epi64(kBits, half), bias), 52));
    __m256d value = _mm256_mul_pd(_mm256_mul_pd(p, scaleA), scaleB);
    value = _mm256_blendv_pd(value, _mm256_set1_pd(__builtin_inf()), _mm256_cmp_pd(x, highest, _CMP_GT_OQ));
    return _mm256_blendv_pd(value, _mm256_setzero_pd(), _mm256_cmp_pd(x, lowest, _CMP_LT_OQ));
}

__attribute__((target("avx2"))) static size_t row_avx2(const float *row, double scale, double *out, size_t count) {
    const __m256d s = _mm256_set1_pd(scale);
    size_t j = 0;
    for (; j + 4 <= count; j += 4) {
        __m256d x = _mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(row + j)), s);
        _mm256_storeu_pd(out + j, exp_256(x));
    }
    return j;
}

// MARK: - In place

__attribute__((target("avx512f"))) static size_t in_place_avx512(double *x, size_t count) {
    size_t j = 0;
    for (; j + 8 <= count; j += 8) _mm512_storeu_pd(x + j, exp_512(_mm512_loadu_pd(x + j)));
    return j;
}

__attribute__((target("avx2"))) static size_t in_place_avx2(double *x, size_t count) {
    size_t j = 0;
    for (; j + 4 <= count; j += 4) _mm256_storeu_pd(x + j, exp_256(_mm256_loadu_pd(x + j)));
    return j;
}

size_t synthctl_exp_in_place(int level, double *x, size_t count) {
    return level >= 2 ? in_place_avx512(x, count) : in_place_avx2(x, count);
}

// MARK: - Dispatch

static int detect_level(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    int ymmSaved = (lo & 0x6) == 0x6;       // XMM and YMM state
    int zmmSaved = (lo & 0xE6) == 0xE6;     // plus opmask and both ZMM halves
    if (!ymmSaved || !__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    if (avx512f && zmmSaved) return 2;
    return avx2 ? 1 : 0;
}

int synthctl_exp_kernel_level(void) {
    static int cached = -1;
    int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (level < 0) {
        level = detect_level();
        __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
    }
    return level;
}

size_t synthctl_rbf_kernel_row(int level, const float *row, double scale, double *out, size_t count) {
    return level >= 2 ? row_avx512(row, scale, out, count) : row_avx2(row, scale, out, count);
}

#else

int synthctl_exp_kernel_level(void) { return 0; }

size_t synthctl_rbf_kernel_row(int level, const float *row, double scale, double *out, size_t count) {
    (void)level; (void)row; (void)scale; (void)out; (void)count;
    __builtin_trap();  // level 0 everywhere else: the Swift loop runs instead
}

size_t synthctl_exp_in_place(int level, double *x, size_t count) {
    (void)level; (void)x; (void)count;
    __builtin_trap();  // level 0 everywhere else: the Swift loop runs instead
}

#endif
