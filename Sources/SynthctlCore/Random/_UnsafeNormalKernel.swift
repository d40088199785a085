import CNormalKernel
import Foundation

/// The vectorized Box–Muller kernel behind ``RandomStream/fillNormals(row:into:)``.
///
/// Eight Philox blocks are computed at once, one per SIMD lane. Each block's
/// four words make two Box–Muller pairs: words (0, 1) give normals 4j and
/// 4j+1, words (2, 3) give 4j+2 and 4j+3. The logarithm, sine and cosine are
/// short polynomials evaluated in SIMD registers instead of calls into libm;
/// their error (below 1e-6 in ln u, 1e-7 in sine and cosine) is at the
/// level of float32 rounding.
///
/// Tails: the radius uses 31 random bits, so |z| never exceeds
/// sqrt(2·32·ln 2) ≈ 6.66. A true normal exceeds that with probability 3e-11.
///
/// Speed: Swift compiles for the x86-64 baseline, whose SSE2 registers hold
/// two of Philox's 32×32→64-bit products. Where the CPU has AVX2 or AVX-512,
/// ``fill(stream:row:out:)`` hands the work to the same kernel written for
/// those registers (the `CNormalKernel` target), which performs the same IEEE
/// operations in the same order and so writes the same bits. One thread
/// here: 290 M normals/s in Swift, 460 M/s with AVX2, 690 M/s with AVX-512. This Swift form is the portable path and the reference
/// the tests compare the wide ones with.
package enum _UnsafeNormalKernel {
    static let lanes = 8
    static let valuesPerGroup = 32

    /// The widest path this CPU runs: 2 = AVX-512, 1 = AVX2, 0 = this file's.
    /// `SYNTHCTL_NORMAL_KERNEL=portable` (or `avx2`) in the environment caps
    /// it, to check that a dataset's bytes do not depend on the path.
    package static let widestLevel: Int = {
        let detected = Int(synthctl_normal_kernel_level())
        switch ProcessInfo.processInfo.environment["SYNTHCTL_NORMAL_KERNEL"] {
        case "portable": return 0
        case "avx2": return min(detected, 1)
        default: return detected
        }
    }()

    /// Fills `out` with row `row`'s first `out.count` normals of `stream`
    /// (see ``RandomStream/fillNormals(row:into:)``). Precondition: `out`
    /// is writable memory that nothing else reads or writes meanwhile.
    package static func fill(stream: RandomStream, row: UInt64, out: UnsafeMutableBufferPointer<Float>) {
        fill(stream: stream, row: row, out: out, level: widestLevel)
    }

    /// `level` picks the path (see ``widestLevel``); it must not exceed
    /// `widestLevel`, or the CPU meets instructions it lacks.
    static func fill(stream: RandomStream, row: UInt64, out: UnsafeMutableBufferPointer<Float>, level: Int) {
        precondition(row < 1 << 56, "row index beyond 2^56")
        precondition(level <= widestLevel, "normal kernel level \(level) above this CPU's \(widestLevel)")
        if level > 0 {
            guard let base = out.baseAddress else { return }
            synthctl_fill_normals(
                Int32(level), stream.philox.key[0], stream.philox.key[1], UInt32(truncatingIfNeeded: row),
                stream.substream, stream.highWord | UInt32(truncatingIfNeeded: row >> 32), base, out.count)
            return
        }
        let c1 = SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: row))
        let c2 = SIMD8<UInt32>(repeating: stream.substream)
        let c3 = SIMD8<UInt32>(repeating: stream.highWord | UInt32(truncatingIfNeeded: row >> 32))
        let laneIndex = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        var scratch = SIMD32<Float>()
        var start = 0
        var group: UInt32 = 0
        guard let base = out.baseAddress else { return }
        while start < out.count {
            let c0 = laneIndex &+ SIMD8(repeating: group &* 8)
            let (w0, w1, w2, w3) = stream.philox.blocks(c0, c1, c2, c3)
            let (a0, a1) = boxMuller(w0, w1)
            let (b0, b1) = boxMuller(w2, w3)
            let n = min(valuesPerGroup, out.count - start)
            if n == valuesPerGroup {
                let p = base + start
                for l in 0..<8 {
                    p[4 * l] = a0[l]; p[4 * l + 1] = a1[l]
                    p[4 * l + 2] = b0[l]; p[4 * l + 3] = b1[l]
                }
            } else {
                for l in 0..<8 {
                    scratch[4 * l] = a0[l]; scratch[4 * l + 1] = a1[l]
                    scratch[4 * l + 2] = b0[l]; scratch[4 * l + 3] = b1[l]
                }
                for k in 0..<n { base[start + k] = scratch[k] }
            }
            start += valuesPerGroup
            group &+= 1
        }
    }

    /// Two standard normals per lane from two words of random bits.
    @inline(__always)
    static func boxMuller(_ radiusBits: SIMD8<UInt32>, _ angleBits: SIMD8<UInt32>)
        -> (SIMD8<Float>, SIMD8<Float>)
    {
        let r = squareRoot(-2 * logOfUniform(radiusBits))
        let (s, c) = sinCosOfTurn(angleBits)
        return (r * c, r * s)
    }

    /// √y for 0 ≤ y < 2^126 with only multiplies and adds: a bit-level first
    /// guess of 1/√y refined by three Newton steps (relative error < 1e-7).
    /// `SIMD.squareRoot()` would call libm's sqrtf once per lane on Linux.
    @inline(__always)
    static func squareRoot(_ y: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(y, to: SIMD8<UInt32>.self)
        var r = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (bits &>> 1), to: SIMD8<Float>.self)
        let half = 0.5 * y
        r = r * (1.5 - half * r * r)
        r = r * (1.5 - half * r * r)
        r = r * (1.5 - half * r * r)
        return y * r
    }

    /// ln(u) for u = (⌊w/2⌋ + ½) / 2^31 ∈ (0, 1].
    ///
    /// u is split as 2^e · m with m ∈ [√½, √2), and ln m = 2·atanh(s) with
    /// s = (m−1)/(m+1), |s| ≤ 0.172, summed to s⁹ (truncation below 1e-9).
    @inline(__always)
    static func logOfUniform(_ w: SIMD8<UInt32>) -> SIMD8<Float> {
        let v = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: w &>> 1)) + 0.5
        // Adding (1.0 − √½)'s bit distance moves the exponent boundary to √½,
        // so the mantissa lands in [√½, √2) without a compare or a select
        // (lane-wise masks are not vectorized by the compiler).
        let shifted = unsafeBitCast(v, to: SIMD8<UInt32>.self) &+ (0x3F80_0000 - 0x3F35_04F3)
        let exponent = SIMD8<Int32>(truncatingIfNeeded: shifted &>> 23) &- 127
        let m = unsafeBitCast((shifted & 0x007F_FFFF) &+ 0x3F35_04F3, to: SIMD8<Float>.self)
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var series = SIMD8<Float>(repeating: 1.0 / 9.0)
        series = series * s2 + 1.0 / 7.0
        series = series * s2 + 1.0 / 5.0
        series = series * s2 + 1.0 / 3.0
        series = series * s2 + 1.0
        let lnM = 2 * s * series
        let e = SIMD8<Float>(exponent &- 31)
        return e * 0.693_147_18 + lnM
    }

    /// sin and cos of 2π·u for u = ⌊w / 2^8⌋ / 2^24 ∈ [0, 1).
    ///
    /// The quadrant q = round(4u) and the remainder are taken in integers, so
    /// the reduction is exact; the remainder angle lies in [−π/4, π/4], where
    /// Taylor series to x⁹ (sine) and x¹⁰ (cosine) are accurate to 2e-9.
    @inline(__always)
    static func sinCosOfTurn(_ w: SIMD8<UInt32>) -> (SIMD8<Float>, SIMD8<Float>) {
        let a = w &>> 8
        let q = (a &+ (1 << 21)) &>> 22
        let remainder = SIMD8<Int32>(truncatingIfNeeded: a) &- SIMD8<Int32>(truncatingIfNeeded: q &<< 22)
        let x = SIMD8<Float>(remainder) * (Float.pi / 2 / 4_194_304)
        let x2 = x * x
        var sp = SIMD8<Float>(repeating: 1.0 / 362_880)
        sp = sp * x2 - 1.0 / 5040
        sp = sp * x2 + 1.0 / 120
        sp = sp * x2 - 1.0 / 6
        sp = sp * x2 + 1
        let sinX = sp * x
        var cp = SIMD8<Float>(repeating: -1.0 / 3_628_800)
        cp = cp * x2 + 1.0 / 40320
        cp = cp * x2 - 1.0 / 720
        cp = cp * x2 + 1.0 / 24
        cp = cp * x2 - 0.5
        let cosX = cp * x2 + 1
        // Quadrant fix-up with bit operations: odd quadrants swap sine and
        // cosine; the sign bits flip where cos or sin is negative.
        let swap = SIMD8<UInt32>(repeating: 0) &- (q & 1)
        let cosBits = unsafeBitCast(cosX, to: SIMD8<UInt32>.self)
        let sinBits = unsafeBitCast(sinX, to: SIMD8<UInt32>.self)
        let cosT = unsafeBitCast(
            ((cosBits & ~swap) | (sinBits & swap)) ^ ((((q &+ 1) & 2)) &<< 30), to: SIMD8<Float>.self)
        let sinT = unsafeBitCast(
            ((sinBits & ~swap) | (cosBits & swap)) ^ ((q & 2) &<< 30), to: SIMD8<Float>.self)
        return (sinT, cosT)
    }
}
