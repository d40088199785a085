/// Sums in exactly the order NumPy does, so that results computed from sums
/// (cleanlab's per-class thresholds, its normalizations) agree with
/// cleanlab's to the last bit and an item that sits exactly on a threshold
/// is flagged by both or by neither.
///
/// NumPy reduces a contiguous run of float64 with pairwise summation: runs
/// under 8 are added left to right; runs up to 128 use eight interleaved
/// accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the
/// remainder; longer runs split at a multiple of 8 near the middle. Sums down
/// a column of a row-major matrix are plain left-to-right additions.
enum NumPySummation {
    static func pairwise(_ x: UnsafeBufferPointer<Double>) -> Double {
        let n = x.count
        if n < 8 {
            var s = 0.0
            for v in x { s += v }
            return s
        }
        if n <= 128 {
            var r0 = x[0], r1 = x[1], r2 = x[2], r3 = x[3], r4 = x[4], r5 = x[5], r6 = x[6], r7 = x[7]
            var i = 8
            while i < n - n % 8 {
                r0 += x[i]; r1 += x[i + 1]; r2 += x[i + 2]; r3 += x[i + 3]
                r4 += x[i + 4]; r5 += x[i + 5]; r6 += x[i + 6]; r7 += x[i + 7]
                i += 8
            }
            var s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n { s += x[i]; i += 1 }
            return s
        }
        var half = n / 2
        half -= half % 8
        return pairwise(UnsafeBufferPointer(rebasing: x[0..<half])) + pairwise(UnsafeBufferPointer(rebasing: x[half...]))
    }

    static func pairwise(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { pairwise($0) }
    }

    /// Sum of one row of a square row-major matrix (NumPy's `sum(axis=1)`).
    static func rowSum(_ m: [[Double]], _ row: Int) -> Double { pairwise(m[row]) }

    /// Sum of one column (NumPy's `sum(axis=0)`): left to right down the rows.
    static func columnSum(_ m: [[Double]], _ column: Int) -> Double {
        var s = 0.0
        for row in m { s += row[column] }
        return s
    }

    /// Sum of every entry, as NumPy sums a contiguous matrix: one pairwise run.
    static func total(_ m: [[Double]]) -> Double { pairwise(m.flatMap { $0 }) }
}
