// BertVectorMath.exp on eight float32 lanes with AVX2, shared by the GELU
// and softmax kernels (GELUKernel.c, SoftmaxKernel.c). Each lane performs
// the Swift function's IEEE operations in its order; the including file
// turns contraction off (no fused multiply-add), so the result is the
// Swift function's bits.

#ifndef SYNTHCTL_BERT_EXP_H
#define SYNTHCTL_BERT_EXP_H

#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang fp contract(off)

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

#endif

#endif
