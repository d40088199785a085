import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// The forward pass's exponential and normal CDF against the C library's
/// `exp` and `erfc` in Double, over the ranges the pass meets (softmax
/// arguments ≤ 0; GELU inputs of any sign), and at the range's ends.
@Suite struct BertVectorMathTests {
    /// Every 8th float32 of [lower, upper]'s grid of `count` points, in lanes.
    static func grid(_ lower: Float, _ upper: Float, count: Int) -> [SIMD8<Float>] {
        let values = (0..<count).map { lower + (upper - lower) * Float($0) / Float(count - 1) }
        return stride(from: 0, to: values.count, by: 8).map { start in
            var v = SIMD8<Float>(repeating: values[start])
            for l in 0..<min(8, values.count - start) { v[l] = values[start + l] }
            return v
        }
    }

    /// Within 2 ulp of e^x (in float32's spacing at the value) over the
    /// clamped range; at the ends, the ends' values.
    @Test func expIsWithinTwoUlp() {
        var worst = 0.0
        for v in Self.grid(-87.3, 88.7, count: 40_003) {
            let e = BertVectorMath.exp(v)
            for l in 0..<8 {
                let want = Foundation.exp(Double(v[l]))
                worst = max(worst, abs(Double(e[l]) - want) / Double(Float(want).ulp))
            }
        }
        #expect(worst <= 2, "largest error \(worst) ulp")
        let ends = BertVectorMath.exp(SIMD8(-1000, -87.3, -50, 0, 1, 88.7, 1000, 0.5))
        #expect(ends[3] == 1 && ends[0] == 0 && ends[1] > 0 && ends[6] == ends[5] && ends[5].isFinite)
        #expect(abs(Double(ends[4]) - M_E) <= Double(Float(M_E).ulp))
    }

    /// Φ against ½·erfc(−x/√2) in Double for x in [−12, 12], relative to
    /// its value, so that the lower tail (down to 1e-33) is held to it too.
    /// The bound: the fit's 1.2e-7 and a few roundings (1e-6), plus the
    /// rounding of z² = x²/2 in float32 before exp(−z²), whose relative
    /// error in the result is up to a few ulp of z², 8·2⁻²⁴·z².
    @Test func normalCDFKeepsItsRelativeAccuracyInBothTails() {
        var worst = 0.0
        for v in Self.grid(-12, 12, count: 40_003) {
            let p = BertVectorMath.standardNormalCDF(v)
            for l in 0..<8 {
                let x = Double(v[l]), want = 0.5 * erfc(-x / 2.0.squareRoot())
                let bound = 1e-6 + 8 * 0x1p-24 * x * x / 2
                worst = max(worst, abs(Double(p[l]) - want) / want / bound)
            }
        }
        #expect(worst <= 1, "largest error \(worst) of its bound")
        let g = BertVectorMath.gelu(SIMD8(-40, -12, -1, 0, 1, 3, 12, 40))
        #expect(g[0] == 0 && g[3] == 0 && g[6] == 12 && g[7] == 40)
        #expect(abs(Double(g[2]) - -0.158_655_253_931_457_05) < 1e-7 && abs(Double(g[5]) - 2.995_950_305_905_11) < 1e-6)
    }

    /// The kernels over a whole buffer equal the lane function, including
    /// a last block shorter than eight, and softmax rows sum to 1.
    @Test func kernelsCoverShortLastBlocks() {
        var x = (0..<21).map { Float($0) / 3 - 3 }
        let original = x
        _UnsafeBertKernels.gelu(&x, count: 19)
        for k in 0..<19 {
            var lanes = SIMD8<Float>(repeating: 0)
            lanes[0] = original[k]
            #expect(x[k] == BertVectorMath.gelu(lanes)[0])
        }
        #expect(x[19] == original[19] && x[20] == original[20])
        var rows = (0..<(3 * 11)).map { Float($0 % 7) - 2 }
        rows.withUnsafeMutableBufferPointer { _UnsafeBertKernels.softmaxRows($0.baseAddress!, rows: 3, width: 11) }
        for r in 0..<3 {
            let row = rows[(r * 11)..<(r * 11 + 11)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-6 && row.allSatisfy { $0 > 0 })
        }
    }

    /// The AVX2 path writes the Swift function's bits, on a grid through
    /// every range the clamps and branches split (and its last values,
    /// fewer than eight, by the Swift function), at every count to 72, and
    /// writes nothing past its count.
    @Test func theWideGELUIsTheSwiftGELUBitForBit() {
        guard _UnsafeExpKernel.widestLevel > 0 else { return }
        var values = (0..<100_003).map { Float(-200 + 400 * Double($0) / 100_002) }
        values += [-0.0, 0, .leastNormalMagnitude, -.leastNormalMagnitude, 1e-30, -1e-30, 125.5, -125.5, 88.7, -87.3]
        var wide = values, narrow = values
        _UnsafeBertKernels.gelu(&wide, count: values.count, level: _UnsafeExpKernel.widestLevel)
        _UnsafeBertKernels.gelu(&narrow, count: values.count, level: 0)
        #expect(wide.map(\.bitPattern) == narrow.map(\.bitPattern))
        // Counts 1 to 72: the AVX2 kernel takes four vectors at a time,
        // then a last group of one to three (its other lanes zeros, not
        // stored), then the Swift function the last values.
        for count in 1...72 {
            var wide = Array(values[50_000..<(50_000 + count + 5)]), narrow = wide
            _UnsafeBertKernels.gelu(&wide, count: count, level: _UnsafeExpKernel.widestLevel)
            _UnsafeBertKernels.gelu(&narrow, count: count, level: 0)
            #expect(wide.map(\.bitPattern) == narrow.map(\.bitPattern), "count \(count)")
            #expect(wide[count...] == values[(50_000 + count)..<(50_000 + count + 5)], "count \(count): wrote past its count")
        }
    }

    /// The softmax's AVX2 exponentials give the Swift loop's bits: rows
    /// of widths 1 to 40 (short last blocks, rows narrower than eight),
    /// values spread over the range the clamps split (differences from
    /// the row's largest down to −200), and a row of one repeated value.
    @Test func theWideSoftmaxIsTheSwiftSoftmaxBitForBit() {
        guard _UnsafeExpKernel.widestLevel > 0 else { return }
        for width in 1...40 {
            let rows = 5
            // Spread over [−100, 100] without pattern: the fractional part of i·φ.
            var values = (0..<(rows * width)).map { Float((Double($0 + width) * 0.618_033_988_749_895).truncatingRemainder(dividingBy: 1) * 200 - 100) }
            values.replaceSubrange(0..<width, with: repeatElement(3.25, count: width))
            var wide = values, narrow = values
            wide.withUnsafeMutableBufferPointer {
                _UnsafeBertKernels.softmaxRows($0.baseAddress!, rows: rows, width: width, level: _UnsafeExpKernel.widestLevel)
            }
            narrow.withUnsafeMutableBufferPointer { _UnsafeBertKernels.softmaxRows($0.baseAddress!, rows: rows, width: width, level: 0) }
            #expect(wide.map(\.bitPattern) == narrow.map(\.bitPattern), "width \(width)")
            #expect(wide[0..<width].allSatisfy { abs($0 - 1 / Float(width)) < 1e-6 }, "width \(width)")
        }
    }
}
