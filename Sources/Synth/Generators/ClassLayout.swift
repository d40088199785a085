import SynthctlCore

/// Which class each output row belongs to, with exact class counts.
///
/// Counts come from the class weights by largest-remainder rounding: class c
/// first gets ⌊N·w_c⌋ rows, then the rows still unassigned go one each to the
/// classes with the largest fractional parts (ties to the lower class index).
/// So the counts always sum to N, each differs from N·w_c by less than one,
/// and nothing is silently truncated (scikit-learn's round-robin remainder
/// gives [3, 7, 20] for weights [.1, .2, .7] and N = 30; this gives [3, 6, 21]).
///
/// Rows are laid out class by class (and within a class, cluster by cluster),
/// then shuffled by a random-access ``IndexPermutation`` when `shuffle` is on.
public struct ClassLayout: Sendable {
    public let counts: [Int]
    public let starts: [Int]
    public let rowCount: Int
    let permutation: IndexPermutation?

    public init(rowCount: Int, weights: [Double], shuffle: Bool, seed: UInt64) {
        self.rowCount = rowCount
        self.counts = Self.largestRemainder(total: rowCount, weights: weights)
        var starts = [Int]()
        var s = 0
        for c in counts { starts.append(s); s += c }
        self.starts = starts
        self.permutation = shuffle
            ? IndexPermutation(count: rowCount, stream: RandomStream(seed: seed, .rowOrder))
            : nil
    }

    /// Splits `total` into integer parts proportional to `weights` (which sum
    /// to one) by the largest-remainder method.
    public static func largestRemainder(total: Int, weights: [Double]) -> [Int] {
        let exact = weights.map { Double(total) * $0 }
        var counts = exact.map { Int($0.rounded(.down)) }
        let left = total - counts.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let fa = exact[a] - Double(counts[a]), fb = exact[b] - Double(counts[b])
            return fa != fb ? fa > fb : a < b
        }
        for i in 0..<max(0, left) { counts[order[i % order.count]] += 1 }
        return counts
    }

    /// The class of output row `row` and the row's position within its class
    /// (0..<counts[class]).
    public func place(_ row: Int) -> (label: Int, position: Int) {
        let slot = permutation.map { $0[row] } ?? row
        var lo = 0, hi = starts.count - 1
        while lo < hi {  // last class whose start is ≤ slot (skips empty classes)
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= slot { lo = mid } else { hi = mid - 1 }
        }
        return (lo, slot - starts[lo])
    }
}
