/// The elementwise functions of the BERT forward pass (the exponential of
/// the attention's softmax, the Gaussian CDF of the exact GELU) on eight
/// float32 lanes at a time.
///
/// Why not `expf` and `erff`: one call per value was most of the forward
/// pass's time outside sgemm (GELU alone is 9,216 `erff` calls per token
/// in all-MiniLM-L6-v2). These are polynomials in plain IEEE operations:
/// Swift neither fuses nor reorders them, so every CPU gives the same bits
/// whatever vector unit it has.
///
/// Accuracy (checked against the libm functions in `BertVectorMathTests`):
/// ``exp(_:)`` within 2 ulp; ``standardNormalCDF(_:)`` within 1e-6
/// relative plus the rounding of x²/2 in float32 (a few ulp of it: 4e-6
/// relative at x = −4, where Φ is 3e-5). The forward pass is then within
/// sentence-transformers' own float32 rounding (the embeddings' oracle
/// test). `_UnsafeBertKernels.gelu` runs the same operations with AVX2
/// where the CPU has it, to the same bits.
enum BertVectorMath {
    /// e^x lane by lane for x in [−87.3, 88.7]; 0 below (e^x is there
    /// below float32's normal range), the value at 88.7 (3.3e38) above.
    ///
    /// Source: the range reduction and degree-5 minimax polynomial of
    /// Moshier's Cephes `expf` (x = k·ln 2 + r, |r| ≤ ln 2 / 2, ln 2 split
    /// into an exact high part and a low correction; 2^k built in the
    /// exponent bits).
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let underflows = x .< -87.3
        var x = x.replacing(with: -87.3, where: underflows)
        x = x.replacing(with: 88.7, where: x .> 88.7)
        // k = round(x / ln 2): adding 1.5·2²³ rounds to an integer in
        // float's last place (and leaves k in the low bits of the sum).
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let k = shifted - magic
        let r = (x - k * 0.693_359_375) - k * -2.121_944_4e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_1e-1
        let y = p * (r * r) + r + 1
        // 2^k from its exponent bits; k is in [−126, 128], so 2^k is
        // normal except at the top, where k = 128 is made 2·2^127. (Masks
        // from float comparisons only: Swift lowers integer SIMD
        // comparisons lane by lane.)
        let top = k .>= 128
        let kBits = unsafeBitCast(k.replacing(with: 127, where: top) + magic, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((kBits &+ 127) &<< 23, to: SIMD8<Float>.self)
        let doubled = SIMD8<Float>(repeating: 1).replacing(with: 2, where: top)
        return (y * scale * doubled).replacing(with: 0, where: underflows)
    }

    /// erfc(z) lane by lane for z ≥ 0, with relative error below 1.2e-7 in
    /// exact arithmetic (a few float32 roundings more here).
    ///
    /// Source: the Chebyshev fit of Press et al., *Numerical Recipes*, 2nd
    /// ed., §6.2 (`erfcc`): erfc(z) ≈ t·exp(−z² + P(t)), t = 1/(1 + z/2),
    /// P of degree 9.
    @inline(__always)
    static func complementaryErrorFunction(_ z: SIMD8<Float>) -> SIMD8<Float> {
        let t = 1 / (1 + 0.5 * z)
        var p = SIMD8<Float>(repeating: 0.170_872_77)
        p = p * t + -0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t + -1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t + -0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t + -1.265_512_23
        return t * exp(p - z * z)
    }

    /// Φ(x), the standard normal CDF, lane by lane: ½·erfc(|x|/√2) for
    /// x < 0 and 1 − ½·erfc(x/√2) otherwise, so that the tail of each sign
    /// keeps its relative accuracy.
    @inline(__always)
    static func standardNormalCDF(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let magnitude = x.replacing(with: -x, where: x .< 0)
        let half = 0.5 * complementaryErrorFunction(magnitude * 0.707_106_77)
        return (1 - half).replacing(with: half, where: x .< 0)
    }

    /// The exact GELU, x·Φ(x) (Hendrycks and Gimpel, 2016; PyTorch's
    /// `gelu(approximate='none')`), lane by lane.
    @inline(__always)
    static func gelu(_ x: SIMD8<Float>) -> SIMD8<Float> { x * standardNormalCDF(x) }
}
