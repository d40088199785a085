

/// The mean and covariance of a set of rows, in Double.
///
/// Rows are centred and converted to Double a block at a time and their
/// Gram matrix accumulated by `dsyrk`: float32 accumulation over 100,000
/// rows would lose about three digits, and the Fréchet distance subtracts
/// traces of this size from each other.
public struct Moments: Sendable {
    public let rows: Int
    public let dimensions: Int
    public let mean: [Double]
    /// D × D row-major, divided by rows − 1 (NumPy's `np.cov` default).
    public let covariance: [Double]

    static let block = 4096

    public init(_ x: Matrix) {
        let n = x.rows, d = x.columns
        rows = n
        dimensions = d
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
                        BLAS.accumulateGram(b.baseAddress!, rows: count, columns: d, into: cp.baseAddress!)
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
        let d = dimensions
        let sd = (0..<d).map { covariance[$0 * d + $0].squareRoot() }
        var r = [Double](repeating: .nan, count: d * d)
        for i in 0..<d where sd[i] > 0 {
            for j in 0..<d where sd[j] > 0 { r[i * d + j] = i == j ? 1 : covariance[i * d + j] / (sd[i] * sd[j]) }
        }
        return r
    }
}
