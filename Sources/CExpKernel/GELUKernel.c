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
#include "BertExp.h"

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
