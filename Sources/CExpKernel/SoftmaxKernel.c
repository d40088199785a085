// The AVX2 form of the exponentials in Eval's _UnsafeBertKernels.softmaxRows
// (x[j] = BertVectorMath.exp(x[j] − top)); see CExpKernel.h.
//
// Each lane performs the Swift code's IEEE operations in its order (the
// subtraction, then BertExp.h's exp with contraction off), so the result is
// the Swift code's bits, eight lanes at a time.

#include "CExpKernel.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#include "BertExp.h"

// BertVectorMath.exp(v − top), in place on v[0 ..< BERT_GROUP].
#define SHIFTED_EXP_GROUP(v) do {                                    \
        EACH_OF_GROUP v[u] = _mm256_sub_ps(v[u], shift);             \
        exp_group(v);                                                \
    } while (0)

__attribute__((target("avx2"))) static size_t shifted_exp_avx2(float *x, float top, size_t count) {
    const __m256 shift = _mm256_set1_ps(top);
    BERT_GROUPED_LOOP(x, count, SHIFTED_EXP_GROUP)
}

size_t synthctl_shifted_exp(int level, float *x, float top, size_t count) {
    (void)level;  // AVX-512 adds nothing here worth a third copy
    return shifted_exp_avx2(x, top, count);
}

#else

size_t synthctl_shifted_exp(int level, float *x, float top, size_t count) {
    (void)level; (void)x; (void)top; (void)count;
    __builtin_trap();  // level 0 everywhere else: the Swift loop runs instead
}

#endif
