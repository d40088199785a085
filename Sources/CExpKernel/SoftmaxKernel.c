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

__attribute__((target("avx2"))) static size_t shifted_exp_avx2(float *x, float top, size_t count) {
    const __m256 shift = _mm256_set1_ps(top);
    size_t j = 0;
    for (; j + 8 <= count; j += 8) _mm256_storeu_ps(x + j, exp_f8(_mm256_sub_ps(_mm256_loadu_ps(x + j), shift)));
    return j;
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
