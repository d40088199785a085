/// The two products an iterative linear model needs on every step, X·Wᵀ
/// and Rᵀ·X for a tall row-major X (n × d) and thin W (k × d) and R
/// (n × k), computed in a fixed order of operations.
///
/// Why not sgemm: an optimizer's iterates are a chain of such products,
/// and sgemm's rounding depends on the kernel OpenBLAS picks for the CPU;
/// a logistic regression fitted on two machines then stops at points a
/// tolerance apart, and predictions near the boundary flip. Here every
/// output element has one order of operations, written in the code, so
/// the fit, and everything decided from it, is the same on every machine
/// and for every thread count. The products are thin (k is the number of
/// classes), so they are bound by reading X, as sgemm's are: fixing the
/// order costs little.
public enum ReproducibleThinProducts {
    /// Rows per block: the unit of parallel work and of the fixed
    /// partition of the sum in ``transposedProduct(_:_:classes:threads:)``.
    static let blockRows = 1024

    /// Z = X·Wᵀ + b: z[i·k + c] = b[c] + Σⱼ x[i, j]·w[c·d + j], each a dot
    /// product in ``_UnsafeReproducibleDot``'s order.
    ///
    /// - Parameters:
    ///   - w: k × d, class-major (row c holds class c's weights).
    ///   - b: k intercepts.
    /// - Returns: n × k, row-major.
    public static func logits(_ x: Matrix, weights w: [Float], intercepts b: [Float], classes k: Int,
                              threads: Int = 1) -> [Float] {
        let n = x.rows, d = x.columns
        precondition(w.count == k * d && b.count == k)
        var z = [Float](repeating: 0, count: n * k)
        let blocks = (n + blockRows - 1) / blockRows
        x.storage.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                z.withUnsafeMutableBufferPointer { zp in
                    let out = _UnsafeFloatSlots(slots: zp)
                    Parallel.forEach(blocks, threads: threads) { block in
                        let start = block * blockRows, end = min(n, start + blockRows)
                        for i in start..<end {
                            let row = xp.baseAddress! + i * d
                            // Two classes at a time: their sums interleave (each in its own order), so the
                            // additions of one do not wait on the other's.
                            var c = 0
                            while c + 1 < k {
                                let (z0, z1) = _UnsafeReproducibleDot.dots(row, wp.baseAddress! + c * d, wp.baseAddress! + (c + 1) * d, count: d)
                                out.slots[i * k + c] = b[c] + z0
                                out.slots[i * k + c + 1] = b[c + 1] + z1
                                c += 2
                            }
                            if c < k { out.slots[i * k + c] = b[c] + _UnsafeReproducibleDot.dot(row, wp.baseAddress! + c * d, count: d) }
                        }
                    }
                }
            }
        }
        return z
    }

    /// G = Rᵀ·X: g[c·d + j] = Σᵢ r[i·k + c]·x[i, j], summed in Float within
    /// each block of ``blockRows`` rows (rows in order) and in Double over the
    /// blocks (blocks in order): the partition is fixed by n alone, so the
    /// result does not depend on `threads`.
    ///
    /// - Parameter r: n × k, row-major.
    /// - Returns: k × d, class-major, in Double.
    public static func transposedProduct(_ r: [Float], _ x: Matrix, classes k: Int, threads: Int = 1) -> [Double] {
        let n = x.rows, d = x.columns
        precondition(r.count == n * k)
        let blocks = (n + blockRows - 1) / blockRows
        var partial = [Float](repeating: 0, count: blocks * k * d)
        x.storage.withUnsafeBufferPointer { xp in
            r.withUnsafeBufferPointer { rp in
                partial.withUnsafeMutableBufferPointer { pp in
                    let out = _UnsafeFloatSlots(slots: pp)
                    Parallel.forEach(blocks, threads: threads) { block in
                        let start = block * blockRows, end = min(n, start + blockRows)
                        let g = out.slots.baseAddress! + block * k * d
                        for i in start..<end {
                            let row = xp.baseAddress! + i * d
                            for c in 0..<k {
                                _UnsafeReproducibleDot.accumulate(scale: rp[i * k + c], row, into: g + c * d, count: d)
                            }
                        }
                    }
                }
            }
        }
        var g = [Double](repeating: 0, count: k * d)
        for block in 0..<blocks {
            let base = block * k * d
            for e in 0..<(k * d) { g[e] += Double(partial[base + e]) }
        }
        return g
    }
}

/// Disjoint output slots written from parallel blocks. Precondition: each
/// slot is written by one block only.
struct _UnsafeFloatSlots: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Float>
}

/// Dot products and scaled accumulations of float rows in a fixed order.
/// Preconditions: the pointers address `count` floats each, and `into`
/// does not overlap `row`.
enum _UnsafeReproducibleDot {
    /// Σⱼ a[j]·b[j]: sixteen partial sums (lane l takes j ≡ l mod 16 over the
    /// whole multiples of 16), reduced by halves (16 → 8 → 4 → 2 → 1), then
    /// the remaining j in order. SIMD16's lane-wise operations are plain
    /// IEEE float operations however wide the machine's vectors are, so the
    /// order, and the result, is the same on every CPU.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count d: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var j = 0
        while j + 16 <= d {
            acc += load(a + j) * load(b + j)
            j += 16
        }
        var s = reduced(acc)
        while j < d {
            s += a[j] * b[j]
            j += 1
        }
        return s
    }

    /// (``dot(_:_:count:)`` of a and b0, the same of a and b1), computed
    /// side by side: each in exactly `dot`'s order, so the same two floats,
    /// but the two chains of sums overlap in time. A dot product's sixteen
    /// lanes are four chains of dependent additions on a 4-wide vector unit;
    /// two of them keep the adders busy where one leaves them waiting.
    @inline(__always)
    static func dots(_ a: UnsafePointer<Float>, _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>, count d: Int) -> (Float, Float) {
        var acc0 = SIMD16<Float>(repeating: 0), acc1 = SIMD16<Float>(repeating: 0)
        var j = 0
        while j + 16 <= d {
            let x = load(a + j)
            acc0 += x * load(b0 + j)
            acc1 += x * load(b1 + j)
            j += 16
        }
        var s0 = reduced(acc0), s1 = reduced(acc1)
        while j < d {
            s0 += a[j] * b0[j]
            s1 += a[j] * b1[j]
            j += 1
        }
        return (s0, s1)
    }

    /// The sixteen lane sums of a dot product reduced by halves (16 → 8 →
    /// 4 → 2 → 1): the one order ``dot(_:_:count:)`` and ``dots(_:_:_:count:)`` share.
    @inline(__always)
    static func reduced(_ acc: SIMD16<Float>) -> Float {
        let h8 = acc.lowHalf + acc.highHalf
        let h4 = h8.lowHalf + h8.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
    }

    /// out[j] += scale·row[j] for every j: one product and one sum per
    /// element, lanes holding distinct j.
    @inline(__always)
    static func accumulate(scale: Float, _ row: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count d: Int) {
        var j = 0
        let s = SIMD16<Float>(repeating: scale)
        while j + 16 <= d {
            let v = load(UnsafePointer(out + j)) + s * load(row + j)
            UnsafeMutableRawPointer(out + j).storeBytes(of: v, as: SIMD16<Float>.self)
            j += 16
        }
        while j < d {
            out[j] += scale * row[j]
            j += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }
}
