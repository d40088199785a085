/// Rounds a row of non-negative reals to integers whose sum is the row's own
/// sum rounded, as cleanlab does when it turns a rescaled confident joint
/// back into counts.
///
/// Each value is rounded half to even; then, while the total is off, one is
/// added to the values that lost most in rounding (or taken from those that
/// gained most), in the order of cleanlab's `np.argsort(floats - ints)`
/// (reversed when adding). Equal residuals are common — a class of two
/// rows scaled to [0, ⅔, 0, ⅔, ⅔] — and NumPy's argsort does not keep
/// them in index order, so the order is NumPy's own (``NumPyArgsort``):
/// with index order, one tie on a class of two rows gave the calibrated row
/// [0, 0, 0, 1, 1] where cleanlab gives [0, 0, 1, 0, 1], and another number of flags.
enum RoundingPreservingTotals {
    static func round(_ row: [Double]) -> [Int] {
        var ints = row.map { $0.rounded(.toNearestOrEven) }
        let target = NumPySummation.pairwise(row).rounded(.toNearestOrEven)
        var total = NumPySummation.pairwise(ints).rounded(.toNearestOrEven)
        while abs(total - target) > 1e-6 {
            let diff = (target - total).rounded(.toNearestOrEven)
            let increment: Double = diff < 0 ? -1 : 1
            let changes = min(Int(abs(diff)), row.count)
            let ascending = NumPyArgsort.argsort(row.indices.map { row[$0] - ints[$0] })
            let order = increment > 0 ? Array(ascending.reversed()) : ascending
            for i in order.prefix(changes) { ints[i] += increment }
            total = NumPySummation.pairwise(ints).rounded(.toNearestOrEven)
        }
        return ints.map { Int($0) }
    }
}
