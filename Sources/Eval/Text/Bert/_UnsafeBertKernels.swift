import Foundation
import SynthctlCore

/// The elementwise and row-wise steps of ``BertEncoder``, on arrays whose
/// sizes the caller states. Preconditions (checked where cheap): every
/// array holds at least the rows × width (or rows × outputs) values named.
enum _UnsafeBertKernels {
    /// `out` (rows × outputs) = `x` (rows × inputs) · `weight`ᵀ + `bias`
    /// (+ `residual`, rows × outputs, when given), `weight` outputs × inputs
    /// as PyTorch stores a Linear layer's. The bias and the residual are
    /// put in `out` first and sgemm adds the product to them (β = 1).
    static func linear(_ x: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float], outputs: Int,
                       adding residual: [Float]? = nil, into out: inout [Float]) {
        precondition(x.count >= rows * inputs && weight.count == outputs * inputs && bias.count == outputs && out.count >= rows * outputs)
        precondition(residual.map { $0.count >= rows * outputs } ?? true)
        out.withUnsafeMutableBufferPointer { o in
            let o = o.baseAddress!
            bias.withUnsafeBufferPointer { b in
                if let residual {
                    // Eight at a time, as vector loads: the loop over
                    // `o[i] = r[i] + b[j]` compiled to scalar adds.
                    residual.withUnsafeBufferPointer { r in
                        for row in 0..<rows {
                            let to = UnsafeMutableRawPointer(o + row * outputs), from = UnsafeRawPointer(r.baseAddress! + row * outputs)
                            let shift = UnsafeRawPointer(b.baseAddress!)
                            var j = 0
                            while j + 8 <= outputs {
                                let sum = from.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                                    + shift.loadUnaligned(fromByteOffset: 4 * j, as: SIMD8<Float>.self)
                                to.storeBytes(of: sum, toByteOffset: 4 * j, as: SIMD8<Float>.self)
                                j += 8
                            }
                            while j < outputs { o[row * outputs + j] = r[row * outputs + j] + b[j]; j += 1 }
                        }
                    }
                } else {
                    for row in 0..<rows { (o + row * outputs).update(from: b.baseAddress!, count: outputs) }
                }
            }
            x.withUnsafeBufferPointer { a in
                weight.withUnsafeBufferPointer { w in
                    _UnsafeBLAS.gemm(m: rows, n: outputs, k: inputs, a: a.baseAddress!, lda: inputs, b: w.baseAddress!, ldb: inputs, transposeB: true,
                                     beta: 1, c: o, ldc: outputs)
                }
            }
        }
    }

    /// Each row of `x` (rows × width) normalized to mean 0 and variance 1
    /// (biased, over the row; sums in Double), then × `scale` + `shift`.
    static func layerNorm(_ x: inout [Float], rows: Int, width: Int, scale: [Float], shift: [Float], epsilon: Float) {
        precondition(x.count >= rows * width && scale.count == width && shift.count == width)
        x.withUnsafeMutableBufferPointer { v in
            scale.withUnsafeBufferPointer { scale in
                shift.withUnsafeBufferPointer { shift in
                    for r in 0..<rows {
                        let row = v.baseAddress! + r * width
                        let mean = fourPartialSums(width) { Double(row[$0]) } / Double(width)
                        let squares = fourPartialSums(width) { (Double(row[$0]) - mean) * (Double(row[$0]) - mean) }
                        let inverse = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
                        for j in 0..<width { row[j] = Float((Double(row[j]) - mean) * inverse) * scale[j] + shift[j] }
                    }
                }
            }
        }
    }

    /// Each row of `s` (rows × width) replaced by its softmax:
    /// exp(v − max) / Σ, with ``BertVectorMath/exp(_:)`` (its AVX2 form,
    /// `_UnsafeExpKernel.shiftedExpPrefix`, where the CPU has it: the same
    /// bits), the sum in eight lanes, then the lanes' sum. `level` is for
    /// the tests, which compare the paths.
    static func softmaxRows(_ s: UnsafeMutablePointer<Float>, rows: Int, width: Int, level: Int = _UnsafeExpKernel.widestLevel) {
        for r in 0..<rows {
            let row = s + r * width
            // The largest value, eight lanes at a time: a maximum is the
            // same in any order. (A comparison and a selection, which
            // compile to vector instructions; the standard library's
            // pointwiseMax runs lane by lane through a generic call.)
            var top = -Float.infinity, j = 0
            if width >= 8 {
                var tops = SIMD8<Float>(repeating: -.infinity)
                while j + 8 <= width {
                    let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
                    tops.replace(with: v, where: v .> tops)
                    j += 8
                }
                top = tops.max()
            }
            while j < width { top = max(top, row[j]); j += 1 }
            let wide = _UnsafeExpKernel.shiftedExpPrefix(row, top: top, count: width, level: level)
            var sums = SIMD8<Float>()
            j = 0
            while j + 8 <= width {
                let raw = UnsafeMutableRawPointer(row + j)
                var e = raw.loadUnaligned(as: SIMD8<Float>.self)
                if j >= wide {
                    e = BertVectorMath.exp(e - top)
                    raw.storeBytes(of: e, as: SIMD8<Float>.self)
                }
                sums += e
                j += 8
            }
            if j < width {
                // A short last block: its missing lanes are padded and dropped.
                var v = SIMD8<Float>(repeating: top)
                for l in 0..<(width - j) { v[l] = row[j + l] }
                let e = BertVectorMath.exp(v - top)
                for l in 0..<(width - j) { row[j + l] = e[l]; sums[l] += e[l] }
            }
            let inverse = 1 / sums.sum()
            j = 0
            while j + 8 <= width {
                let raw = UnsafeMutableRawPointer(row + j)
                raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self) * inverse, as: SIMD8<Float>.self)
                j += 8
            }
            while j < width { row[j] *= inverse; j += 1 }
        }
    }

    /// The exact GELU, x·Φ(x) (``BertVectorMath/gelu(_:)``), in place on
    /// the first `count` values of `x`: with AVX2 where the CPU has it
    /// (`_UnsafeExpKernel.geluPrefix`, the same bits), else eight lanes of
    /// SSE at a time. `level` is for the tests, which compare the paths.
    static func gelu(_ x: inout [Float], count: Int, level: Int = _UnsafeExpKernel.widestLevel) {
        precondition(x.count >= count)
        x.withUnsafeMutableBufferPointer { v in
            let p = v.baseAddress!
            var k = _UnsafeExpKernel.geluPrefix(p, count: count, level: level)
            while k + 8 <= count {
                let raw = UnsafeMutableRawPointer(p + k)
                raw.storeBytes(of: BertVectorMath.gelu(raw.loadUnaligned(as: SIMD8<Float>.self)), as: SIMD8<Float>.self)
                k += 8
            }
            if k < count {
                var v = SIMD8<Float>()
                for l in 0..<(count - k) { v[l] = p[k + l] }
                let g = BertVectorMath.gelu(v)
                for l in 0..<(count - k) { p[k + l] = g[l] }
            }
        }
    }
}
