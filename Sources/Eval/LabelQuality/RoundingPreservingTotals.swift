/// Rounds a row of non-negative reals to integers whose sum is the row's own
/// sum rounded, as cleanlab does when it turns a rescaled confident joint
/// back into counts.
///
/// Each value is rounded half to even; then, while the total is off, one is
/// added to the values that lost most in rounding (or taken from those that
/// gained most). Ties among equal rounding residuals go to the lower index
/// when taking and to the higher index when adding; NumPy's unstable
/// argsort leaves that order unspecified, and the fixtures never hit such a
/// tie at the cut.
enum RoundingPreservingTotals {
    static func round(_ row: [Double]) -> [Int] {
        var ints = row.map { $0.rounded(.toNearestOrEven) }
        let target = NumPySummation.pairwise(row).rounded(.toNearestOrEven)
        var total = NumPySummation.pairwise(ints).rounded(.toNearestOrEven)
        while abs(total - target) > 1e-6 {
            let diff = (target - total).rounded(.toNearestOrEven)
            let increment: Double = diff < 0 ? -1 : 1
            let changes = min(Int(abs(diff)), row.count)
            let ascending = row.indices.sorted { (row[$0] - ints[$0], $0) < (row[$1] - ints[$1], $1) }
            let order = increment > 0 ? Array(ascending.reversed()) : ascending
            for i in order.prefix(changes) { ints[i] += increment }
            total = NumPySummation.pairwise(ints).rounded(.toNearestOrEven)
        }
        return ints.map { Int($0) }
    }
}
