

/// The mean and covariance of a set of rows, in Double.
///
/// Rows are centred and converted to Double, and their Gram matrix is
/// accumulated in a fixed order (``_UnsafeGramKernel``): float32
/// accumulation over 100,000 rows would lose about three digits, and the
/// Fréchet distance subtracts traces of this size from each other; and a
/// fixed order, unlike `dsyrk`'s kernel-dependent blocking, makes the
/// moments (and the correlations, Fréchet means and traces built on them)
/// the same on every CPU.
public struct Moments: Sendable {
    public let rows: Int
    public let featureCount: Int
    public let mean: [Double]
    /// D × D row-major, divided by rows − 1 (NumPy's `np.cov` default).
    public let covariance: [Double]

    static let block = 256

    public init(_ x: Matrix) {
        let n = x.rows, d = x.columns
        rows = n
        featureCount = d
        var sum = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { p in
            for i in 0..<n { for j in 0..<d { sum[j] += Double(p[i * d + j]) } }
        }
        let mu = sum.map { $0 / Double(max(n, 1)) }
        var c = [Double](repeating: 0, count: d * d)
        var buffer = [Double](repeating: 0, count: min(Self.block, max(n, 1)) * d)
        x.storage.withUnsafeBufferPointer { p in
            var start = 0
            while start < n {
                let count = min(Self.block, n - start)
                for i in 0..<count { for j in 0..<d { buffer[i * d + j] = Double(p[(start + i) * d + j]) - mu[j] } }
                buffer.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { cp in
                        _UnsafeGramKernel.accumulateUpper(b.baseAddress!, rows: count, columns: d, into: cp.baseAddress!)
                    }
                }
                start += count
            }
        }
        let divisor = Double(max(n - 1, 1))
        for i in 0..<d {
            for j in i..<d { c[i * d + j] /= divisor; c[j * d + i] = c[i * d + j] }
        }
        mean = mu
        covariance = c
    }

    /// Pearson correlations, D × D; NaN in the rows and columns of constant
    /// features, whose correlation is undefined.
    public var correlation: [Double] {
        let d = featureCount
        let sd = (0..<d).map { covariance[$0 * d + $0].squareRoot() }
        var r = [Double](repeating: .nan, count: d * d)
        for i in 0..<d where sd[i] > 0 {
            for j in 0..<d where sd[j] > 0 { r[i * d + j] = i == j ? 1 : covariance[i * d + j] / (sd[i] * sd[j]) }
        }
        return r
    }
}

/// C += AᵀA on the upper triangle, every entry summed over the rows in
/// increasing order, each product and sum rounded separately: the same
/// bits on every machine. Vector lanes hold distinct columns, so
/// vectorizing does not change any entry's order of operations; eight rows
/// are added to each entry while it sits in a register.
///
/// Preconditions: `a` holds `rows` rows of `columns` Doubles, `c` a
/// columns × columns row-major matrix; only entries (i, j) with j ≥ i are
/// read and written.
enum _UnsafeGramKernel {
    static func accumulateUpper(_ a: UnsafePointer<Double>, rows: Int, columns d: Int, into c: UnsafeMutablePointer<Double>) {
        var r = 0
        while r + 8 <= rows {
            let base = a + r * d
            for i in 0..<d {
                let x = (base[i], base[d + i], base[2 * d + i], base[3 * d + i],
                         base[4 * d + i], base[5 * d + i], base[6 * d + i], base[7 * d + i])
                let row = c + i * d
                var j = i
                while j + 8 <= d {
                    var v = load(row + j)
                    v += x.0 * load(base + j)
                    v += x.1 * load(base + d + j)
                    v += x.2 * load(base + 2 * d + j)
                    v += x.3 * load(base + 3 * d + j)
                    v += x.4 * load(base + 4 * d + j)
                    v += x.5 * load(base + 5 * d + j)
                    v += x.6 * load(base + 6 * d + j)
                    v += x.7 * load(base + 7 * d + j)
                    UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: SIMD8<Double>.self)
                    j += 8
                }
                while j < d {
                    var v = row[j]
                    v += x.0 * base[j]
                    v += x.1 * base[d + j]
                    v += x.2 * base[2 * d + j]
                    v += x.3 * base[3 * d + j]
                    v += x.4 * base[4 * d + j]
                    v += x.5 * base[5 * d + j]
                    v += x.6 * base[6 * d + j]
                    v += x.7 * base[7 * d + j]
                    row[j] = v
                    j += 1
                }
            }
            r += 8
        }
        while r < rows {
            let r0 = a + r * d
            for i in 0..<d {
                let x0 = r0[i], row = c + i * d
                for j in i..<d { row[j] += x0 * r0[j] }
            }
            r += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }
}
