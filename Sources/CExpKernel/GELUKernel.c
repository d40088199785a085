// The AVX2 form of Eval's BertVectorMath.gelu over a buffer of float32;
// see CExpKernel.h.
//
// Each lane performs the Swift function's IEEE operations in its order:
// contraction is off (no fused multiply-add), the selections are the same
// comparisons, and the constants are the same float32 literals. The
// result is the Swift function's bits, eight lanes at a time.

#include "CExpKernel.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define ATTR256 __attribute__((target("avx2"), always_inline)) static inline

// BertVectorMath.exp
ATTR256 __m256 exp_f8(__m256 x) {
    const __m256 lowest = _mm256_set1_ps(-87.3f), highest = _mm256_set1_ps(88.7f), magic = _mm256_set1_ps(12582912.0f);
    __m256 underflows = _mm256_cmp_ps(x, lowest, _CMP_LT_OQ);
    x = _mm256_blendv_ps(x, lowest, underflows);
    x = _mm256_blendv_ps(x, highest, _mm256_cmp_ps(x, highest, _CMP_GT_OQ));
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)), magic);
    __m256 k = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_sub_ps(_mm256_sub_ps(x, _mm256_mul_ps(k, _mm256_set1_ps(0.693359375f))),
                             _mm256_mul_ps(k, _mm256_set1_ps(-2.1219444e-4f)));
    __m256 p = _mm256_set1_ps(1.98756915e-4f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.39819995e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(8.3334519e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(4.16657959e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.66666655e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(5.0000001e-1f));
    __m256 y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(p, _mm256_mul_ps(r, r)), r), _mm256_set1_ps(1.0f));
    __m256 top = _mm256_cmp_ps(k, _mm256_set1_ps(128.0f), _CMP_GE_OQ);
    __m256i kBits = _mm256_sub_epi32(_mm256_castps_si256(_mm256_add_ps(_mm256_blendv_ps(k, _mm256_set1_ps(127.0f), top), magic)),
                                     _mm256_castps_si256(magic));
    __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(kBits, _mm256_set1_epi32(127)), 23));
    __m256 doubled = _mm256_blendv_ps(_mm256_set1_ps(1.0f), _mm256_set1_ps(2.0f), top);
    return _mm256_blendv_ps(_mm256_mul_ps(_mm256_mul_ps(y, scale), doubled), _mm256_setzero_ps(), underflows);
}

// BertVectorMath.gelu: x·Φ(x), Φ from erfc(|x|/√2).
ATTR256 __m256 gelu_f8(__m256 x) {
    const __m256 one = _mm256_set1_ps(1.0f), half = _mm256_set1_ps(0.5f);
    __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    __m256 magnitude = _mm256_blendv_ps(x, _mm256_sub_ps(_mm256_setzero_ps(), x), negative);
    __m256 z = _mm256_mul_ps(magnitude, _mm256_set1_ps(0.70710677f));
    __m256 t = _mm256_div_ps(one, _mm256_add_ps(one, _mm256_mul_ps(half, z)));
    __m256 p = _mm256_set1_ps(0.17087277f);
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(-0.82215223f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(1.48851587f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(-1.13520398f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(0.27886807f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(-0.18628806f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(0.09678418f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(0.37409196f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(1.00002368f));
    p = _mm256_add_ps(_mm256_mul_ps(p, t), _mm256_set1_ps(-1.26551223f));
    __m256 erfc = _mm256_mul_ps(t, exp_f8(_mm256_sub_ps(p, _mm256_mul_ps(z, z))));
    __m256 tail = _mm256_mul_ps(half, erfc);
    __m256 cdf = _mm256_blendv_ps(_mm256_sub_ps(one, tail), tail, negative);
    return _mm256_mul_ps(x, cdf);
}

__attribute__((target("avx2"))) static size_t gelu_avx2(float *x, size_t count) {
    size_t j = 0;
    for (; j + 8 <= count; j += 8) _mm256_storeu_ps(x + j, gelu_f8(_mm256_loadu_ps(x + j)));
    return j;
}

size_t synthctl_gelu(int level, float *x, size_t count) {
    (void)level;  // AVX-512 adds nothing here worth a third copy
    return gelu_avx2(x, count);
}

#else

size_t synthctl_gelu(int level, float *x, size_t count) {
    (void)level; (void)x; (void)count;
    __builtin_trap();  // level 0 everywhere else: the Swift loop runs instead
}

#endif
