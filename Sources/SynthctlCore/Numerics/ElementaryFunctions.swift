/// The elementary functions whose results decide generated bits or
/// evaluation numbers: e^x, ln x, xʸ, and sin and cos of π·x, written here
/// instead of called from the C library.
///
/// Why not libm: its last bit may differ between C library versions (glibc
/// has replaced its exp, log, sin and cos more than once), and a dataset is a
/// pure function of its spec, seed and format version on every machine.
/// These are plain IEEE double arithmetic in a fixed order (no fused
/// multiply-add, which Swift never forms on its own), so they give the same
/// bits everywhere. Each is within a stated number of ulp of the true value,
/// checked against glibc's 80-bit `expl`, `logl`, `powl`, `sinl` and `cosl`
/// in `ElementaryFunctionTests`.

/// e^x, written so that loops over it vectorize and give the same bits on
/// every machine (the E-steps of the aggregation models, kernel sums,
/// generators' setup).
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
public func polynomialExp(_ x: Double) -> Double {
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

/// ln x, within 1 ulp for every positive finite x (subnormals included);
/// −∞ at 0, NaN below 0 or for NaN, +∞ at +∞.
///
/// x = 2ᵏ·m with m ∈ [√½, √2), f = m − 1 (exact), s = f/(2 + f), so that
/// ln m = 2·atanh s = 2s + s·R(s²) with R(z) = Σᵢ 2zⁱ/(2i + 1), the series
/// to i = 11 (|s| ≤ 0.1716, truncation below 2⁻⁵⁸ relative); 2s is
/// formed as f − f²/2 + s·f²/2 to keep f's bits, and k·ln 2 is added in
/// two parts (k·ln2_hi exact). The arrangement is the classic one of
/// fdlibm's `__ieee754_log`; the series coefficients are the plain Taylor
/// ones.
@inlinable
public func polynomialLog(_ x: Double) -> Double {
    guard x > 0 else { return x == 0 ? -.infinity : .nan }
    guard x.isFinite else { return x }
    var bits = x.bitPattern
    var k = 0
    if x < Double.leastNormalMagnitude {
        bits = (x * 0x1p54).bitPattern  // exact: a subnormal times 2⁵⁴ is normal
        k = -54
    }
    k += Int((bits >> 52) & 0x7ff) - 1023
    var m = Double(bitPattern: (bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)  // [1, 2)
    if m > 1.4142135623730951 { m *= 0.5; k += 1 }
    let f = m - 1
    let s = f / (2 + f), z = s * s
    var r = 2.0 / 23.0
    r = r * z + 2.0 / 21.0
    r = r * z + 2.0 / 19.0
    r = r * z + 2.0 / 17.0
    r = r * z + 2.0 / 15.0
    r = r * z + 2.0 / 13.0
    r = r * z + 2.0 / 11.0
    r = r * z + 2.0 / 9.0
    r = r * z + 2.0 / 7.0
    r = r * z + 2.0 / 5.0
    r = r * z + 2.0 / 3.0
    r = r * z
    let hfsq = 0.5 * f * f
    let dk = Double(k)
    let ln2Hi = 0.693147180369123816490, ln2Lo = 1.90821492927058770002e-10
    return dk * ln2Hi - ((hfsq - (s * (hfsq + r) + dk * ln2Lo)) - f)
}

/// xʸ for x > 0 as e^(y·ln x), within (3·|y·ln x| + 2) ulp: ln x (1 ulp,
/// at most 2⁻⁵² relative) and the product (2⁻⁵³) put an absolute error of
/// 1.5·2⁻⁵²·|t| on t = y·ln x, which e^t turns into that relative error,
/// at most 3|t| ulp of the result; e^t adds its own 2 ulp. Used where a few ulp do not matter but the bits must
/// not depend on the C library (Zipf weights).
@inlinable
public func polynomialPow(_ x: Double, _ y: Double) -> Double {
    precondition(x > 0, "polynomialPow is defined for x > 0")
    return polynomialExp(y * polynomialLog(x))
}

/// sin(π·x) and cos(π·x), each within 2 ulp (absolute error below 2⁻⁵³
/// near their zeros), exact at multiples of ½.
///
/// Taking the argument as a multiple of π makes the reduction exact:
/// n = round(2x), r = x − n/2 is computed without rounding (Sterbenz), and
/// |r| ≤ ¼. sin(πr) and cos(πr) come from their Taylor series in r
/// (degree 19 and 18; the next terms are below 2⁻⁶³), with π split in two
/// parts for the leading term; n mod 4 picks the quadrant. Every caller
/// needs an angle that is a multiple of π anyway (a point on a circle, the
/// Box–Muller angle 2πu), and libm's sin(π·x) would first round π·x.
@inlinable
public func sinCosPi(_ x: Double) -> (sin: Double, cos: Double) {
    guard x.isFinite else { return (.nan, .nan) }
    // Beyond 2⁵² every double is an integer: sin(πx) = ±0, cos(πx) = ±1.
    let n = abs(x) >= 0x1p52 ? (2 * x).truncatingRemainder(dividingBy: 4) : (2 * x).rounded(.toNearestOrEven)
    let r = abs(x) >= 0x1p52 ? 0 : x - n / 2
    let z = r * r
    var ps = -2.2948428997269873e-08
    ps = ps * z + 7.952054001475513e-07
    ps = ps * z - 2.1915353447830217e-05
    ps = ps * z + 0.00046630280576761255
    ps = ps * z - 0.0073704309457143504
    ps = ps * z + 0.08214588661112823
    ps = ps * z - 0.5992645293207921
    ps = ps * z + 2.5501640398773455
    ps = ps * z - 5.16771278004997
    let piHi = 3.141592653589793, piLo = 1.2246467991473532e-16
    let sine = r * piHi + (r * piLo + r * z * ps)
    var pc = -1.3878952462213771e-07
    pc = pc * z + 4.303069587032947e-06
    pc = pc * z - 0.0001046381049248457
    pc = pc * z + 0.0019295743094039231
    pc = pc * z - 0.02580689139001406
    pc = pc * z + 0.2353306303588932
    pc = pc * z - 1.3352627688545895
    pc = pc * z + 4.0587121264167685
    pc = pc * z - 4.934802200544679
    let cosine = 1 + z * pc
    switch Int(n.truncatingRemainder(dividingBy: 4) + 4) % 4 {
    case 0: return (sine, cosine)
    case 1: return (cosine, -sine)
    case 2: return (-sine, -cosine)
    default: return (-cosine, sine)
    }
}
