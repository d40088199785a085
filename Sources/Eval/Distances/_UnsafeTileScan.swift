/// The search for the next tile entry that a k-NN or ball pass must look
/// at, eight entries a step.
///
/// Why: in a pass over a tile row almost every entry is farther than any
/// threshold that could make it matter (the query's k-th candidate, a
/// reference's nearest so far, a ball's radius plus its error bound), and
/// testing them one at a time, with a branch each, cost as much as a
/// quarter of the `sgemm` that made them (10,000 × 384 PRDC on an AVX2
/// machine). Here eight entries are compared at once against the larger of
/// a per-row threshold and per-reference thresholds, and the caller's
/// scalar code runs only on the entries that pass. The comparison is the
/// same `<=` on the same floats, so which entries are visited does not
/// change; only the entries in between are passed over faster.
enum _UnsafeTileScan {
    /// The first j in `start..<count` with `row[j] <= max(rowThreshold,
    /// thresholds[j])`, or `count` when there is none.
    ///
    /// Preconditions: `row` and `thresholds` address at least `count`
    /// readable floats; no entry or threshold is NaN.
    @inline(__always)
    static func next(_ row: UnsafePointer<Float>, _ thresholds: UnsafePointer<Float>, rowThreshold: Float,
                     from start: Int, count: Int) -> Int {
        var j = start
        let scalar = SIMD8<Float>(repeating: rowThreshold)
        while j + 8 <= count {
            let d = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
            let t = UnsafeRawPointer(thresholds + j).loadUnaligned(as: SIMD8<Float>.self)
            if any((d .<= scalar) .| (d .<= t)) { break }
            j += 8
        }
        while j < count {
            if row[j] <= Swift.max(rowThreshold, thresholds[j]) { return j }
            j += 1
        }
        return count
    }

    /// The first j in `start..<count` with `row[j] <= threshold`, or
    /// `count`. Preconditions: `row` addresses at least `count` readable
    /// floats; no entry is NaN.
    @inline(__always)
    static func next(_ row: UnsafePointer<Float>, atMost threshold: Float, from start: Int, count: Int) -> Int {
        var j = start
        let t = SIMD8<Float>(repeating: threshold)
        while j + 8 <= count {
            if any(UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) .<= t) { break }
            j += 8
        }
        while j < count {
            if row[j] <= threshold { return j }
            j += 1
        }
        return count
    }
}
