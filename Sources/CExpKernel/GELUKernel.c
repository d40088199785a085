// The AVX2 form of Eval's BertVectorMath.gelu over a buffer of float32;
// see CExpKernel.h.
//
// Each lane performs the Swift function's IEEE operations in its order:
// contraction is off (no fused multiply-add), the selections are the same
// comparisons, and the constants are the same float32 literals. The
// result is the Swift function's bits, four vectors of eight lanes at a
// time (BertExp.h says why four).

#include "CExpKernel.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#include "BertExp.h"

// BertVectorMath.gelu: x·Φ(x), Φ from erfc(|x|/√2), in place on x[0 ..< BERT_GROUP].
ATTR256 void gelu_group(__m256 *x) {
    const __m256 one = _mm256_set1_ps(1.0f), half = _mm256_set1_ps(0.5f);
    __m256 negative[BERT_GROUP], z[BERT_GROUP], t[BERT_GROUP], p[BERT_GROUP], e[BERT_GROUP];
    EACH_OF_GROUP {
        negative[u] = _mm256_cmp_ps(x[u], _mm256_setzero_ps(), _CMP_LT_OQ);
        __m256 magnitude = _mm256_blendv_ps(x[u], _mm256_sub_ps(_mm256_setzero_ps(), x[u]), negative[u]);
        z[u] = _mm256_mul_ps(magnitude, _mm256_set1_ps(0.70710677f));
    }
    EACH_OF_GROUP t[u] = _mm256_div_ps(one, _mm256_add_ps(one, _mm256_mul_ps(half, z[u])));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(0.17087277f), t[u]), _mm256_set1_ps(-0.82215223f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(1.48851587f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(-1.13520398f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(0.27886807f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(-0.18628806f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(0.09678418f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(0.37409196f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(1.00002368f));
    EACH_OF_GROUP p[u] = _mm256_add_ps(_mm256_mul_ps(p[u], t[u]), _mm256_set1_ps(-1.26551223f));
    EACH_OF_GROUP e[u] = _mm256_sub_ps(p[u], _mm256_mul_ps(z[u], z[u]));
    exp_group(e);
    EACH_OF_GROUP {
        __m256 erfc = _mm256_mul_ps(t[u], e[u]);
        __m256 tail = _mm256_mul_ps(half, erfc);
        __m256 cdf = _mm256_blendv_ps(_mm256_sub_ps(one, tail), tail, negative[u]);
        x[u] = _mm256_mul_ps(x[u], cdf);
    }
}

__attribute__((target("avx2"))) static size_t gelu_avx2(float *x, size_t count) {
    BERT_GROUPED_LOOP(x, count, gelu_group)
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
