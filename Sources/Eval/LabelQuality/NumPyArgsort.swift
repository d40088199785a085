/// The permutation `numpy.argsort(values)` returns for a float64 array
/// (the default kind), ties included, so that a choice cleanlab makes
/// among equal values falls where cleanlab's does.
///
/// NumPy 2 hands argsort of float64 on x86-64 CPUs with AVX2 or AVX-512 to
/// Intel's x86-simd-sort (`xss-common-argsort.h`, `argsort_n`). An array
/// of at most 256 values is sorted there by a bitonic network: the values
/// are padded with +∞ to m, the larger of 8 and the next power of two;
/// each half is sorted, then value i is compared with value m − 1 − i
/// (a "flip"), then with value i + d for d = m/4, …, 2, 1 within blocks of
/// 2d (half-cleaners). A comparison swaps two values only when the later
/// one is strictly smaller, so equal values keep whichever slots the
/// network moved them to: the order of ties is not the input order
/// (`argsort([0.3, 0.1, 0.3, 0.3, 0.1])` is `[1, 4, 2, 0, 3]`). The AVX2
/// (4-lane) and AVX-512 (8-lane) builds run the same network and give the
/// same order; `Tests/Oracles/cleanlab_oracle.py` checks this emulation
/// against NumPy on thousands of tie-heavy arrays.
///
/// Longer arrays go through a vectorized quicksort whose tie order differs
/// between AVX2 and AVX-512 machines, and NumPy's portable introsort
/// (other CPUs, NumPy 1.x) keeps short arrays in input order (insertion
/// sort): neither is one order to reproduce, so beyond 256 values ties keep
/// the input order here. Precondition: no NaN.
enum NumPyArgsort {
    /// The longest array sorted by the network (x86-simd-sort's `argsort_n<…, 256>`).
    static let networkLimit = 256

    static func argsort(_ values: [Double]) -> [Int] {
        let n = values.count
        guard n > 1 else { return Array(0..<n) }
        guard n <= networkLimit else {
            return values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        }
        var m = 8
        while m < n { m *= 2 }
        var keys = values + [Double](repeating: .infinity, count: m - n)
        var index = Array(0..<m)
        func exchange(_ i: Int, _ j: Int) {
            if keys[j] < keys[i] { keys.swapAt(i, j); index.swapAt(i, j) }
        }
        // Bottom-up: blocks of 2, 4, …, m, each sorted from its two sorted halves.
        var block = 2
        while block <= m {
            for start in stride(from: 0, to: m, by: block) {
                for i in 0..<(block / 2) { exchange(start + i, start + block - 1 - i) }
                var d = block / 4
                while d >= 1 {
                    for run in stride(from: start, to: start + block, by: 2 * d) {
                        for i in run..<(run + d) { exchange(i, i + d) }
                    }
                    d /= 2
                }
            }
            block *= 2
        }
        return Array(index.prefix(n))
    }
}
