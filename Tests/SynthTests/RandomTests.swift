import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// Statistical checks of the samplers. Every tolerance is a multiple of the
/// estimator's standard error at this sample size (5σ: a false alarm about
/// once in 1.7 million runs), not a number tuned until green.
@Suite struct RandomTests {
    @Test func vectorNormalsHaveStandardMoments() {
        let stream = RandomStream(seed: 7, purpose: .samples)
        let rows = 20_000, width = 50
        var values = [Float](repeating: 0, count: rows * width)
        var all = values.mutableSpan
        for r in 0..<rows {
            var row = all.extracting((r * width)..<((r + 1) * width))
            stream.fillNormals(row: UInt64(r), into: &row)
        }
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for v in values { let d = Double(v) - mean; m2 += d * d; m3 += d * d * d; m4 += d * d * d * d }
        m2 /= n; m3 /= n; m4 /= n
        #expect(abs(mean) < 5 / n.squareRoot())
        #expect(abs(m2 - 1) < 5 * (2 / n).squareRoot())
        #expect(abs(m3 / pow(m2, 1.5)) < 5 * (6 / n).squareRoot())
        #expect(abs(m4 / (m2 * m2) - 3) < 5 * (24 / n).squareRoot())
        // Tail mass beyond 2σ: 0.0455 for a true normal.
        let tail = Double(values.filter { abs($0) > 2 }.count) / n
        #expect(abs(tail - 0.04550) < 5 * (0.0455 * 0.9545 / n).squareRoot())
    }

    @Test func normalsArePrefixStable() {
        // Value j of a row does not depend on how many values were asked for.
        let stream = RandomStream(seed: 3, purpose: .samples)
        var short = [Float](repeating: 0, count: 5), long = [Float](repeating: 0, count: 77)
        var shortSpan = short.mutableSpan, longSpan = long.mutableSpan
        stream.fillNormals(row: 12, into: &shortSpan)
        stream.fillNormals(row: 12, into: &longSpan)
        #expect(Array(long.prefix(5)) == short)
    }

    @Test(.enabled(if: _UnsafeNormalKernel.widestLevel >= 1,
                   "this CPU runs only the portable normal kernel (no AVX2): there is no wide path to compare"))
    func widePathsWriteTheSwiftKernelsBits() {
        // The AVX2 and AVX-512 kernels must reproduce the portable Swift
        // kernel bit for bit, or a dataset would depend on the CPU. Lengths
        // cover the partial last groups of every width (8, 16 lanes); rows
        // cover high row words, substreams and purposes; keys cover seeds.
        let widest = _UnsafeNormalKernel.widestLevel
        let levels = Array(1...widest)
        let lengths = Array(0...130) + [255, 1000, 4099]
        var compared = 0, different = 0
        for level in levels {
            for (i, seed) in ([0, 1, 0xDEAD_BEEF_0BAD_F00D, UInt64.max] as [UInt64]).enumerated() {
                for purpose in [StreamPurpose.samples, .calibration] {
                    let stream = RandomStream(seed: seed, purpose: purpose, substream: UInt32(i * 977))
                    for (j, count) in lengths.enumerated() {
                        let row = UInt64(j) &* 0x1_0000_0001 &+ UInt64(i)  // reaches the high row word
                        var portable = [Float](repeating: .nan, count: count)
                        var wide = [Float](repeating: .nan, count: count + 1)
                        portable.withUnsafeMutableBufferPointer { _UnsafeNormalKernel.fill(stream: stream, row: row, out: $0, level: 0) }
                        wide.withUnsafeMutableBufferPointer { p in
                            _UnsafeNormalKernel.fill(stream: stream, row: row, out: UnsafeMutableBufferPointer(rebasing: p[0..<count]), level: level)
                        }
                        compared += count
                        different += zip(portable, wide).filter { $0.bitPattern != $1.bitPattern }.count
                        // Nothing is written past the requested length.
                        #expect(wide[count].isNaN)
                    }
                }
            }
        }
        #expect(different == 0)
        #expect(compared == levels.count * 4 * 2 * lengths.reduce(0, +))
    }

    @Test func polynomialKernelMatchesLibm() {
        // The SIMD log and sin/cos against Foundation's, over many inputs.
        let stream = RandomStream(seed: 11, purpose: .samples)
        var worstLog = 0.0, worstTrig = 0.0
        for r in 0..<2000 {
            let b = stream.bits(row: UInt64(r), draw: 0)
            let w = SIMD8<UInt32>(b[0], b[1], b[2], b[3], b[0] ^ b[1], b[2] &+ 1, 1, 0xffff_ffff)
            let ln = _UnsafeNormalKernel.logOfUniform(w)
            let (s, c) = _UnsafeNormalKernel.sinCosOfTurn(w)
            for l in 0..<8 {
                let u = (Double(w[l] >> 1) + 0.5) / 2_147_483_648
                worstLog = max(worstLog, abs(Double(ln[l]) - log(u)) / (1 + abs(log(u))))
                let angle = 2 * Double.pi * Double(w[l] >> 8) / 16_777_216
                worstTrig = max(worstTrig, abs(Double(s[l]) - sin(angle)), abs(Double(c[l]) - cos(angle)))
            }
        }
        // The input u is rounded to float32 (relative 6e-8) before the log.
        #expect(worstLog < 1e-6)
        #expect(worstTrig < 1e-6)
    }

    @Test func indexPermutationIsABijection() {
        for count in [1, 2, 3, 10, 1000, 4097] {
            let p = IndexPermutation(count: count, stream: RandomStream(seed: 5, purpose: .shuffle))
            let image = (0..<count).map { p[$0] }
            #expect(Set(image).count == count)
            #expect(image.allSatisfy { $0 >= 0 && $0 < count })
        }
    }

    @Test func integersAreUniform() {
        // Chi-square over 10 bins, 100,000 draws: 9 degrees of freedom; the
        // 1e-6 upper quantile is about 48.
        let stream = RandomStream(seed: 9, purpose: .noise)
        var bins = [Int](repeating: 0, count: 10)
        for r in 0..<100_000 { bins[stream.integer(below: 10, row: UInt64(r), draw: 0)] += 1 }
        let chi2 = bins.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
        #expect(chi2 < 48)
    }
}
