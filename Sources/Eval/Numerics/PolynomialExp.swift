/// e^x for the E-steps of the aggregation models, written so that loops over
/// it vectorize and give the same bits on every machine.
///
/// libm's `exp` is an opaque call per element (about a third of Dawid–Skene's
/// time) and its last bit may differ between C libraries. Here x = k·ln 2 + r
/// with k = round(x / ln 2) (found with the 1.5·2⁵² rounding trick, since
/// the x86-64 baseline has no vector round instruction), ln 2 split in a high
/// part with trailing zero bits and a low part so that k·ln2_hi is exact, e^r
/// from its Taylor series to degree 13 on |r| ≤ ln 2 / 2 (truncation below
/// 1e-17 relative), and 2ᵏ put in the exponent bits. The result is within
/// 2 ulp of e^x for −708 ≤ x ≤ 709.
///
/// Below −708 it returns 0 instead of a subnormal: callers pass differences
/// from a row's maximum, where e^−708 ≈ 3e-308 is nothing next to the
/// maximum's 1. Above 709.78 it returns +∞.
@inlinable
func polynomialExp(_ x: Double) -> Double {
    let log2e = 1.4426950408889634
    let ln2Hi = 0.693147180369123816490, ln2Lo = 1.90821492927058770002e-10
    let magic = 6755399441055744.0  // 1.5 · 2^52
    let clamped = min(max(x, -708.0), 709.78)
    let shifted = clamped * log2e + magic
    let k = shifted - magic
    let r = (clamped - k * ln2Hi) - k * ln2Lo
    var p = 1.0 / 6227020800.0  // 1/13!
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    // The low bits of `shifted` hold k (two's complement); 2^k has exponent k + 1023.
    // k may reach 1024 near the top of the range: scale in two halves.
    let kBits = Int64(truncatingIfNeeded: shifted.bitPattern &- magic.bitPattern)
    let half = kBits >> 1
    let scaleA = Double(bitPattern: UInt64(truncatingIfNeeded: (half &+ 1023) << 52))
    let scaleB = Double(bitPattern: UInt64(truncatingIfNeeded: (kBits &- half &+ 1023) << 52))
    let value = p * scaleA * scaleB
    return x < -708.0 ? 0 : (x > 709.78 ? .infinity : value)
}
