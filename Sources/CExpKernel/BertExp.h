// BertVectorMath.exp on four vectors of eight float32 lanes with AVX2,
// shared by the GELU and softmax kernels (GELUKernel.c, SoftmaxKernel.c).
// Each lane performs the Swift function's IEEE operations in its order;
// the including file turns contraction off (no fused multiply-add), so the
// result is the Swift function's bits.
//
// Why four vectors at once: one vector's operations form a single chain,
// each step waiting for the one before (the polynomial's Horner steps, the
// GELU's division), so one vector at a time left the floating-point units
// idle most cycles. Written step by step across four independent vectors,
// each step's four operations are adjacent in the program, where the CPU's
// reordering window sees them: GELU over a buffer took 2.6 ns a value one
// vector at a time and 1.8 ns four at a time (AMD EPYC, AVX-512 machine,
// bits unchanged).

#ifndef SYNTHCTL_BERT_EXP_H
#define SYNTHCTL_BERT_EXP_H

#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang fp contract(off)

#define ATTR256 __attribute__((target("avx2"), always_inline)) static inline

/// Vectors processed side by side (see above); loops over `u` below are
/// unrolled by the compiler, one step at a time across the four.
#define BERT_GROUP 4
#define EACH_OF_GROUP for (int u = 0; u < BERT_GROUP; u++)

// BertVectorMath.exp, in place on v[0 ..< BERT_GROUP].
ATTR256 void exp_group(__m256 *v) {
    const __m256 lowest = _mm256_set1_ps(-87.3f), highest = _mm256_set1_ps(88.7f), magic = _mm256_set1_ps(12582912.0f);
    __m256 underflows[BERT_GROUP], x[BERT_GROUP], k[BERT_GROUP], r[BERT_GROUP], p[BERT_GROUP];
    EACH_OF_GROUP {
        underflows[u] = _mm256_cmp_ps(v[u], lowest, _CMP_LT_OQ);
        x[u] = _mm256_blendv_ps(v[u], lowest, underflows[u]);
    }
    EACH_OF_GROUP x[u] = _mm256_blendv_ps(x[u], highest, _mm256_cmp_ps(x[u], highest, _CMP_GT_OQ));
    EACH_OF_GROUP k[u] = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(x[u], _mm256_set1_ps(1.44269504f)), magic), magic);
    EACH_OF_GROUP r[u] = _mm256_sub_ps(_mm256_sub_ps(x[u], _mm256_mul_ps(k[u], _mm256_set1_ps(0.693359375f))),
                                       _mm256_mul_ps(k[u], _mm256_set1_ps(-2.1219444e-4f)));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(1.98756915e-4f), r[u]), _mm256_set1_ps(1.39819995e-3f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], r[u]), _mm256_set1_ps(8.3334519e-3f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], r[u]), _mm256_set1_ps(4.16657959e-2f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], r[u]), _mm256_set1_ps(1.66666655e-1f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], r[u]), _mm256_set1_ps(5.0000001e-1f));
    EACH_OF_GROUP {
        __m256 y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(p[u], _mm256_mul_ps(r[u], r[u])), r[u]), _mm256_set1_ps(1.0f));
        __m256 top = _mm256_cmp_ps(k[u], _mm256_set1_ps(128.0f), _CMP_GE_OQ);
        __m256i kBits = _mm256_sub_epi32(_mm256_castps_si256(_mm256_add_ps(_mm256_blendv_ps(k[u], _mm256_set1_ps(127.0f), top), magic)),
                                         _mm256_castps_si256(magic));
        __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(kBits, _mm256_set1_epi32(127)), 23));
        __m256 doubled = _mm256_blendv_ps(_mm256_set1_ps(1.0f), _mm256_set1_ps(2.0f), top);
        v[u] = _mm256_blendv_ps(_mm256_mul_ps(_mm256_mul_ps(y, scale), doubled), _mm256_setzero_ps(), underflows[u]);
    }
}

/// Applies `step` (in place on a group of BERT_GROUP vectors) to x[0 ..< count
/// rounded down to 8] and returns that count: whole groups, then the last
/// one to three vectors in a group whose other lanes are zeros (computed
/// and not stored).
#define BERT_GROUPED_LOOP(x, count, step)                                                     \
    size_t j = 0;                                                                             \
    for (; j + 8 * BERT_GROUP <= (count); j += 8 * BERT_GROUP) {                              \
        __m256 v[BERT_GROUP];                                                                 \
        EACH_OF_GROUP v[u] = _mm256_loadu_ps((x) + j + 8 * u);                                \
        step(v);                                                                              \
        EACH_OF_GROUP _mm256_storeu_ps((x) + j + 8 * u, v[u]);                                \
    }                                                                                         \
    size_t left = ((count) - j) / 8;                                                          \
    if (left > 0) {                                                                           \
        __m256 v[BERT_GROUP];                                                                 \
        EACH_OF_GROUP v[u] = (size_t)u < left ? _mm256_loadu_ps((x) + j + 8 * u) : _mm256_setzero_ps(); \
        step(v);                                                                              \
        EACH_OF_GROUP if ((size_t)u < left) _mm256_storeu_ps((x) + j + 8 * u, v[u]);          \
        j += 8 * left;                                                                        \
    }                                                                                         \
    return j;

#endif

#endif
