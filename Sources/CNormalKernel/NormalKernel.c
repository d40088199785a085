// AVX2 and AVX-512 forms of Synth's _UnsafeNormalKernel; see CNormalKernel.h.
//
// Each function carries its own target attribute, so the file compiles for
// the x86-64 baseline and only the chosen function uses wider instructions.

#include "CNormalKernel.h"

#include <string.h>

// The Swift kernel rounds every product and every sum; so must this file.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// Float constants by bit pattern, equal to the Swift kernel's literals as
// Swift rounds them (Swift's Float.pi is rounded toward zero, for one).
enum {
    kInv9 = 0x3de38e39, kInv7 = 0x3e124925, kInv5 = 0x3e4ccccd, kInv3 = 0x3eaaaaab,
    kLn2 = 0x3f317218,
    kQuarterTurnStep = 0x34c90fda,  // Float.pi / 2 / 2^22
    kSin9 = 0x3638ef1d, kSin7 = 0x39500d01, kSin5 = 0x3c088889, kSin3 = 0x3e2aaaab,
    kCos10 = (int)0xb493f27e, kCos8 = 0x37d00d01, kCos6 = 0x3ab60b61, kCos4 = 0x3d2aaaab,
};

static const uint32_t kMultiplier0 = 0xD2511F53u, kMultiplier1 = 0xCD9E8D57u;
static const uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;

// MARK: - AVX-512: sixteen Philox blocks (64 normals) per step

#define ATTR512 __attribute__((target("avx512f"), always_inline)) static inline

ATTR512 __m512 f512(int bits) { return _mm512_castsi512_ps(_mm512_set1_epi32(bits)); }
ATTR512 __m512 one512(float x) { return _mm512_set1_ps(x); }

// The high and low 32 bits of x·m in each lane: the even lanes' products
// come from one 32×32→64 multiply, the odd lanes' from a second on x >> 32.
ATTR512 void mul_hi_lo_512(__m512i x, __m512i m, __m512i *hi, __m512i *lo) {
    __m512i even = _mm512_mul_epu32(x, m);
    __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);
    *hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
    *lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

ATTR512 void philox_512(uint32_t key0, uint32_t key1, __m512i *x0, __m512i *x1, __m512i *x2, __m512i *x3) {
    const __m512i m0 = _mm512_set1_epi32((int)kMultiplier0), m1 = _mm512_set1_epi32((int)kMultiplier1);
    uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k0 += kWeyl0; k1 += kWeyl1; }
        __m512i hi0, lo0, hi1, lo1;
        mul_hi_lo_512(*x0, m0, &hi0, &lo0);
        mul_hi_lo_512(*x2, m1, &hi1, &lo1);
        // Three-way xor in one instruction (truth table 0x96 = a ^ b ^ c).
        __m512i n0 = _mm512_ternarylogic_epi32(hi1, *x1, _mm512_set1_epi32((int)k0), 0x96);
        __m512i n2 = _mm512_ternarylogic_epi32(hi0, *x3, _mm512_set1_epi32((int)k1), 0x96);
        *x1 = lo1; *x3 = lo0; *x0 = n0; *x2 = n2;
    }
}

ATTR512 __m512 log_of_uniform_512(__m512i w) {
    __m512 v = _mm512_add_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(w, 1)), one512(0.5f));
    __m512i shifted = _mm512_add_epi32(_mm512_castps_si512(v), _mm512_set1_epi32(0x3F800000 - 0x3F3504F3));
    __m512i exponent = _mm512_sub_epi32(_mm512_srli_epi32(shifted, 23), _mm512_set1_epi32(127));
    __m512 m = _mm512_castsi512_ps(_mm512_add_epi32(
        _mm512_and_si512(shifted, _mm512_set1_epi32(0x007FFFFF)), _mm512_set1_epi32(0x3F3504F3)));
    __m512 s = _mm512_div_ps(_mm512_sub_ps(m, one512(1)), _mm512_add_ps(m, one512(1)));
    __m512 s2 = _mm512_mul_ps(s, s);
    __m512 series = f512(kInv9);
    series = _mm512_add_ps(_mm512_mul_ps(series, s2), f512(kInv7));
    series = _mm512_add_ps(_mm512_mul_ps(series, s2), f512(kInv5));
    series = _mm512_add_ps(_mm512_mul_ps(series, s2), f512(kInv3));
    series = _mm512_add_ps(_mm512_mul_ps(series, s2), one512(1));
    __m512 lnM = _mm512_mul_ps(_mm512_mul_ps(one512(2), s), series);
    __m512 e = _mm512_cvtepi32_ps(_mm512_sub_epi32(exponent, _mm512_set1_epi32(31)));
    return _mm512_add_ps(_mm512_mul_ps(e, f512(kLn2)), lnM);
}

ATTR512 __m512 square_root_512(__m512 y) {
    __m512i bits = _mm512_castps_si512(y);
    __m512 r = _mm512_castsi512_ps(_mm512_sub_epi32(_mm512_set1_epi32(0x5F375A86), _mm512_srli_epi32(bits, 1)));
    __m512 half = _mm512_mul_ps(one512(0.5f), y);
    for (int step = 0; step < 3; step++)
        r = _mm512_mul_ps(r, _mm512_sub_ps(one512(1.5f), _mm512_mul_ps(_mm512_mul_ps(half, r), r)));
    return _mm512_mul_ps(y, r);
}

ATTR512 void sin_cos_of_turn_512(__m512i w, __m512 *sinT, __m512 *cosT) {
    __m512i a = _mm512_srli_epi32(w, 8);
    __m512i q = _mm512_srli_epi32(_mm512_add_epi32(a, _mm512_set1_epi32(1 << 21)), 22);
    __m512i remainder = _mm512_sub_epi32(a, _mm512_slli_epi32(q, 22));
    __m512 x = _mm512_mul_ps(_mm512_cvtepi32_ps(remainder), f512(kQuarterTurnStep));
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 sp = f512(kSin9);
    sp = _mm512_sub_ps(_mm512_mul_ps(sp, x2), f512(kSin7));
    sp = _mm512_add_ps(_mm512_mul_ps(sp, x2), f512(kSin5));
    sp = _mm512_sub_ps(_mm512_mul_ps(sp, x2), f512(kSin3));
    sp = _mm512_add_ps(_mm512_mul_ps(sp, x2), one512(1));
    __m512 sinX = _mm512_mul_ps(sp, x);
    __m512 cp = f512(kCos10);
    cp = _mm512_add_ps(_mm512_mul_ps(cp, x2), f512(kCos8));
    cp = _mm512_sub_ps(_mm512_mul_ps(cp, x2), f512(kCos6));
    cp = _mm512_add_ps(_mm512_mul_ps(cp, x2), f512(kCos4));
    cp = _mm512_sub_ps(_mm512_mul_ps(cp, x2), one512(0.5f));
    __m512 cosX = _mm512_add_ps(_mm512_mul_ps(cp, x2), one512(1));
    // Odd quadrants swap sine and cosine; signs flip by quadrant.
    __m512i swap = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_and_si512(q, _mm512_set1_epi32(1)));
    __m512i cosBits = _mm512_castps_si512(cosX), sinBits = _mm512_castps_si512(sinX);
    __m512i two = _mm512_set1_epi32(2);
    __m512i cosSign = _mm512_slli_epi32(_mm512_and_si512(_mm512_add_epi32(q, _mm512_set1_epi32(1)), two), 30);
    __m512i sinSign = _mm512_slli_epi32(_mm512_and_si512(q, two), 30);
    *cosT = _mm512_castsi512_ps(_mm512_xor_si512(
        _mm512_or_si512(_mm512_andnot_si512(swap, cosBits), _mm512_and_si512(sinBits, swap)), cosSign));
    *sinT = _mm512_castsi512_ps(_mm512_xor_si512(
        _mm512_or_si512(_mm512_andnot_si512(swap, sinBits), _mm512_and_si512(cosBits, swap)), sinSign));
}

ATTR512 void box_muller_512(__m512i radiusBits, __m512i angleBits, __m512 *first, __m512 *second) {
    __m512 r = square_root_512(_mm512_mul_ps(one512(-2), log_of_uniform_512(radiusBits)));
    __m512 s, c;
    sin_cos_of_turn_512(angleBits, &s, &c);
    *first = _mm512_mul_ps(r, c);
    *second = _mm512_mul_ps(r, s);
}

__attribute__((target("avx512f")))
static void fill_avx512(uint32_t key0, uint32_t key1, uint32_t c1, uint32_t c2, uint32_t c3,
                        float *out, size_t count) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i vc1 = _mm512_set1_epi32((int)c1), vc2 = _mm512_set1_epi32((int)c2), vc3 = _mm512_set1_epi32((int)c3);
    uint32_t first = 0;
    for (size_t start = 0; start < count; start += 64, first += 16) {
        __m512i x0 = _mm512_add_epi32(lane, _mm512_set1_epi32((int)first)), x1 = vc1, x2 = vc2, x3 = vc3;
        philox_512(key0, key1, &x0, &x1, &x2, &x3);
        __m512 a0, a1, b0, b1;
        box_muller_512(x0, x1, &a0, &a1);
        box_muller_512(x2, x3, &b0, &b1);
        // Lane l's four values (a0, a1, b0, b1) go to out[start + 4l ...]:
        // a 4×4 transpose inside each 128-bit block, then of the blocks.
        __m512 t0 = _mm512_unpacklo_ps(a0, a1), t1 = _mm512_unpackhi_ps(a0, a1);
        __m512 t2 = _mm512_unpacklo_ps(b0, b1), t3 = _mm512_unpackhi_ps(b0, b1);
        __m512 u0 = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t2)));
        __m512 u1 = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t2)));
        __m512 u2 = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t1), _mm512_castps_pd(t3)));
        __m512 u3 = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t1), _mm512_castps_pd(t3)));
        __m512 v0 = _mm512_shuffle_f32x4(u0, u1, 0x44), v1 = _mm512_shuffle_f32x4(u2, u3, 0x44);
        __m512 v2 = _mm512_shuffle_f32x4(u0, u1, 0xEE), v3 = _mm512_shuffle_f32x4(u2, u3, 0xEE);
        __m512 o[4] = {
            _mm512_shuffle_f32x4(v0, v1, 0x88), _mm512_shuffle_f32x4(v0, v1, 0xDD),
            _mm512_shuffle_f32x4(v2, v3, 0x88), _mm512_shuffle_f32x4(v2, v3, 0xDD),
        };
        size_t left = count - start;
        for (int i = 0; i < 4; i++) {
            size_t have = left > 16 * (size_t)i ? left - 16 * (size_t)i : 0;
            if (have >= 16) {
                _mm512_storeu_ps(out + start + 16 * i, o[i]);
            } else if (have > 0) {
                _mm512_mask_storeu_ps(out + start + 16 * i, (__mmask16)((1u << have) - 1), o[i]);
            }
        }
    }
}

// MARK: - AVX2: eight Philox blocks (32 normals) per step

#define ATTR256 __attribute__((target("avx2"), always_inline)) static inline

ATTR256 __m256 f256(int bits) { return _mm256_castsi256_ps(_mm256_set1_epi32(bits)); }
ATTR256 __m256 one256(float x) { return _mm256_set1_ps(x); }

ATTR256 void mul_hi_lo_256(__m256i x, __m256i m, __m256i *hi, __m256i *lo) {
    __m256i even = _mm256_mul_epu32(x, m);
    __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

ATTR256 void philox_256(uint32_t key0, uint32_t key1, __m256i *x0, __m256i *x1, __m256i *x2, __m256i *x3) {
    const __m256i m0 = _mm256_set1_epi32((int)kMultiplier0), m1 = _mm256_set1_epi32((int)kMultiplier1);
    uint32_t k0 = key0, k1 = key1;
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k0 += kWeyl0; k1 += kWeyl1; }
        __m256i hi0, lo0, hi1, lo1;
        mul_hi_lo_256(*x0, m0, &hi0, &lo0);
        mul_hi_lo_256(*x2, m1, &hi1, &lo1);
        __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, *x1), _mm256_set1_epi32((int)k0));
        __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, *x3), _mm256_set1_epi32((int)k1));
        *x1 = lo1; *x3 = lo0; *x0 = n0; *x2 = n2;
    }
}

ATTR256 __m256 log_of_uniform_256(__m256i w) {
    __m256 v = _mm256_add_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(w, 1)), one256(0.5f));
    __m256i shifted = _mm256_add_epi32(_mm256_castps_si256(v), _mm256_set1_epi32(0x3F800000 - 0x3F3504F3));
    __m256i exponent = _mm256_sub_epi32(_mm256_srli_epi32(shifted, 23), _mm256_set1_epi32(127));
    __m256 m = _mm256_castsi256_ps(_mm256_add_epi32(
        _mm256_and_si256(shifted, _mm256_set1_epi32(0x007FFFFF)), _mm256_set1_epi32(0x3F3504F3)));
    __m256 s = _mm256_div_ps(_mm256_sub_ps(m, one256(1)), _mm256_add_ps(m, one256(1)));
    __m256 s2 = _mm256_mul_ps(s, s);
    __m256 series = f256(kInv9);
    series = _mm256_add_ps(_mm256_mul_ps(series, s2), f256(kInv7));
    series = _mm256_add_ps(_mm256_mul_ps(series, s2), f256(kInv5));
    series = _mm256_add_ps(_mm256_mul_ps(series, s2), f256(kInv3));
    series = _mm256_add_ps(_mm256_mul_ps(series, s2), one256(1));
    __m256 lnM = _mm256_mul_ps(_mm256_mul_ps(one256(2), s), series);
    __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(exponent, _mm256_set1_epi32(31)));
    return _mm256_add_ps(_mm256_mul_ps(e, f256(kLn2)), lnM);
}

ATTR256 __m256 square_root_256(__m256 y) {
    __m256i bits = _mm256_castps_si256(y);
    __m256 r = _mm256_castsi256_ps(_mm256_sub_epi32(_mm256_set1_epi32(0x5F375A86), _mm256_srli_epi32(bits, 1)));
    __m256 half = _mm256_mul_ps(one256(0.5f), y);
    for (int step = 0; step < 3; step++)
        r = _mm256_mul_ps(r, _mm256_sub_ps(one256(1.5f), _mm256_mul_ps(_mm256_mul_ps(half, r), r)));
    return _mm256_mul_ps(y, r);
}

ATTR256 void sin_cos_of_turn_256(__m256i w, __m256 *sinT, __m256 *cosT) {
    __m256i a = _mm256_srli_epi32(w, 8);
    __m256i q = _mm256_srli_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(1 << 21)), 22);
    __m256i remainder = _mm256_sub_epi32(a, _mm256_slli_epi32(q, 22));
    __m256 x = _mm256_mul_ps(_mm256_cvtepi32_ps(remainder), f256(kQuarterTurnStep));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 sp = f256(kSin9);
    sp = _mm256_sub_ps(_mm256_mul_ps(sp, x2), f256(kSin7));
    sp = _mm256_add_ps(_mm256_mul_ps(sp, x2), f256(kSin5));
    sp = _mm256_sub_ps(_mm256_mul_ps(sp, x2), f256(kSin3));
    sp = _mm256_add_ps(_mm256_mul_ps(sp, x2), one256(1));
    __m256 sinX = _mm256_mul_ps(sp, x);
    __m256 cp = f256(kCos10);
    cp = _mm256_add_ps(_mm256_mul_ps(cp, x2), f256(kCos8));
    cp = _mm256_sub_ps(_mm256_mul_ps(cp, x2), f256(kCos6));
    cp = _mm256_add_ps(_mm256_mul_ps(cp, x2), f256(kCos4));
    cp = _mm256_sub_ps(_mm256_mul_ps(cp, x2), one256(0.5f));
    __m256 cosX = _mm256_add_ps(_mm256_mul_ps(cp, x2), one256(1));
    __m256i swap = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_and_si256(q, _mm256_set1_epi32(1)));
    __m256i cosBits = _mm256_castps_si256(cosX), sinBits = _mm256_castps_si256(sinX);
    __m256i two = _mm256_set1_epi32(2);
    __m256i cosSign = _mm256_slli_epi32(_mm256_and_si256(_mm256_add_epi32(q, _mm256_set1_epi32(1)), two), 30);
    __m256i sinSign = _mm256_slli_epi32(_mm256_and_si256(q, two), 30);
    *cosT = _mm256_castsi256_ps(_mm256_xor_si256(
        _mm256_or_si256(_mm256_andnot_si256(swap, cosBits), _mm256_and_si256(sinBits, swap)), cosSign));
    *sinT = _mm256_castsi256_ps(_mm256_xor_si256(
        _mm256_or_si256(_mm256_andnot_si256(swap, sinBits), _mm256_and_si256(cosBits, swap)), sinSign));
}

ATTR256 void box_muller_256(__m256i radiusBits, __m256i angleBits, __m256 *first, __m256 *second) {
    __m256 r = square_root_256(_mm256_mul_ps(one256(-2), log_of_uniform_256(radiusBits)));
    __m256 s, c;
    sin_cos_of_turn_256(angleBits, &s, &c);
    *first = _mm256_mul_ps(r, c);
    *second = _mm256_mul_ps(r, s);
}

__attribute__((target("avx2")))
static void fill_avx2(uint32_t key0, uint32_t key1, uint32_t c1, uint32_t c2, uint32_t c3,
                      float *out, size_t count) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i vc1 = _mm256_set1_epi32((int)c1), vc2 = _mm256_set1_epi32((int)c2), vc3 = _mm256_set1_epi32((int)c3);
    uint32_t first = 0;
    for (size_t start = 0; start < count; start += 32, first += 8) {
        __m256i x0 = _mm256_add_epi32(lane, _mm256_set1_epi32((int)first)), x1 = vc1, x2 = vc2, x3 = vc3;
        philox_256(key0, key1, &x0, &x1, &x2, &x3);
        __m256 a0, a1, b0, b1;
        box_muller_256(x0, x1, &a0, &a1);
        box_muller_256(x2, x3, &b0, &b1);
        __m256 t0 = _mm256_unpacklo_ps(a0, a1), t1 = _mm256_unpackhi_ps(a0, a1);
        __m256 t2 = _mm256_unpacklo_ps(b0, b1), t3 = _mm256_unpackhi_ps(b0, b1);
        __m256 u0 = _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(t0), _mm256_castps_pd(t2)));
        __m256 u1 = _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(t0), _mm256_castps_pd(t2)));
        __m256 u2 = _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(t1), _mm256_castps_pd(t3)));
        __m256 u3 = _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(t1), _mm256_castps_pd(t3)));
        __m256 o[4] = {
            _mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u2, u3, 0x20),
            _mm256_permute2f128_ps(u0, u1, 0x31), _mm256_permute2f128_ps(u2, u3, 0x31),
        };
        size_t left = count - start;
        if (left >= 32) {
            for (int i = 0; i < 4; i++) _mm256_storeu_ps(out + start + 8 * i, o[i]);
        } else {
            float scratch[32];
            for (int i = 0; i < 4; i++) _mm256_storeu_ps(scratch + 8 * i, o[i]);
            memcpy(out + start, scratch, left * sizeof(float));
        }
    }
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

int synthctl_normal_kernel_level(void) {
    static int cached = -1;
    int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (level < 0) {
        level = detect_level();
        __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
    }
    return level;
}

void synthctl_fill_normals(int level, uint32_t key0, uint32_t key1, uint32_t c1, uint32_t c2, uint32_t c3,
                           float *out, size_t count) {
    if (level >= 2) fill_avx512(key0, key1, c1, c2, c3, out, count);
    else fill_avx2(key0, key1, c1, c2, c3, out, count);
}

#else

int synthctl_normal_kernel_level(void) { return 0; }

void synthctl_fill_normals(int level, uint32_t key0, uint32_t key1, uint32_t c1, uint32_t c2, uint32_t c3,
                           float *out, size_t count) {
    (void)level; (void)key0; (void)key1; (void)c1; (void)c2; (void)c3; (void)out; (void)count;
    __builtin_trap();  // level 0 everywhere else: the Swift kernel runs instead
}

#endif
