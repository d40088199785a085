import Testing
@testable import SynthctlCore
import TestSupport

/// The AVX2 and AVX-512 RBF kernel rows must write polynomialExp's bits, or
/// MMD² would depend on the CPU.
@Suite struct ExpKernelTests {
    /// Squared distances as tiles hold them: zeros, the usual range, values
    /// that drive the exponent below −708 and above 709.78 (with a positive
    /// scale), float extremes, +∞ and NaN.
    func distances(_ count: Int, seed: UInt64) -> [Float] {
        var g = SplitMix64(seed: seed)
        let specials: [Float] = [0, -0, .leastNonzeroMagnitude, .leastNormalMagnitude, 1, 708, 709.78, 710, 1e30,
                                 .greatestFiniteMagnitude, .infinity, .nan]
        return (0..<count).map { i in
            switch g.next() % 8 {
            case 0: return specials[Int(g.next() % UInt64(specials.count))]
            case 1: return Float(bitPattern: UInt32(truncatingIfNeeded: g.next()) & 0x7fff_ffff)  // any non-negative pattern
            case 2: return Float(i % 5)
            default: return Float(Double(g.next() >> 11) / Double(1 << 53) * 4000)
            }
        }
    }

    @Test(.enabled(if: _UnsafeExpKernel.widestLevel >= 1,
                   "this CPU runs only the Swift loop (no AVX2): there is no wide path to compare"))
    func widePathsWritePolynomialExpsBits() {
        let scales: [Double] = [-1 / (2 * 3.7 * 3.7), -0.5, -1e-6, -1e3, -1e300, 0, 0.25, 2.0, -Double.infinity]
        // Lengths cover every remainder of both widths.
        let lengths = Array(0...40) + [511, 2048]
        var compared = 0, different = 0
        for level in 1..._UnsafeExpKernel.widestLevel {
            for (s, scale) in scales.enumerated() {
                for count in lengths {
                    let row = distances(count, seed: UInt64(s * 1000 + count))
                    var wide = [Double](repeating: -1, count: count + 1)
                    row.withUnsafeBufferPointer { r in
                        wide.withUnsafeMutableBufferPointer { w in
                            _UnsafeExpKernel.rbfRow(r.baseAddress ?? UnsafePointer(bitPattern: 8)!, scale: scale, into: w.baseAddress!,
                                                    count: count, level: level)
                        }
                    }
                    for j in 0..<count {
                        let expected = polynomialExp(Double(row[j]) * scale)
                        compared += 1
                        if !(expected.bitPattern == wide[j].bitPattern || (expected.isNaN && wide[j].isNaN)) { different += 1 }
                    }
                    // Nothing is written past the row.
                    #expect(wide[count] == -1)
                }
            }
        }
        #expect(different == 0)
        #expect(compared == _UnsafeExpKernel.widestLevel * scales.count * lengths.reduce(0, +))
    }

    /// Dawid–Skene's E-step exponentiates its log-posteriors in place
    /// (``_UnsafeExpKernel/expInPlace(_:count:level:)``): every level this
    /// CPU runs, Swift's included, must write polynomialExp's bits, for every
    /// remainder of both widths, at the range's edges, ±∞ and NaN.
    @Test func inPlacePathsWritePolynomialExpsBits() {
        let edges: [Double] = [0, -0.0, 1, -1, -708, -708.0000001, -707.9999999, -745, -1e300, 709.78, 709.7799999, 709.7800001,
                               710, 1e300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude]
        var g = SplitMix64(seed: 11)
        let values = edges + (0..<3_000).map { _ in Double(g.next() >> 11) / Double(1 << 53) * 1_440 - 720 }
        var compared = 0, different = 0
        for level in 0..._UnsafeExpKernel.widestLevel {
            for count in Array(0...40) + [values.count] {
                var buffer = Array(values.prefix(count)) + [-1]
                buffer.withUnsafeMutableBufferPointer { _UnsafeExpKernel.expInPlace($0.baseAddress!, count: count, level: level) }
                for j in 0..<count {
                    let expected = polynomialExp(values[j])
                    compared += 1
                    if !(expected.bitPattern == buffer[j].bitPattern || (expected.isNaN && buffer[j].isNaN)) { different += 1 }
                }
                #expect(buffer[count] == -1, "nothing written past the values")
            }
        }
        #expect(different == 0 && compared == (_UnsafeExpKernel.widestLevel + 1) * (820 + values.count))
    }

    @Test func swiftPathIsPolynomialExp() {
        let row = distances(1000, seed: 7)
        var out = [Double](repeating: 0, count: row.count)
        row.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { _UnsafeExpKernel.rbfRow(r.baseAddress!, scale: -0.01, into: $0.baseAddress!, count: r.count, level: 0) }
        }
        #expect(zip(row, out).allSatisfy { d, v in
            let e = polynomialExp(Double(d) * -0.01)
            return e.bitPattern == v.bitPattern || (e.isNaN && v.isNaN)
        })
    }
}
