import Synth

/// Exact k-nearest-neighbour search by tiled `sgemm`.
///
/// Distances come from ``PairwiseDistances`` a tile at a time, and each
/// query keeps a running top-k, so memory is O((N + M)·k) plus one tile:
/// no N × M matrix is ever held. Query blocks run on all cores; each
/// query's neighbours are found by one worker that scans the reference
/// blocks in order, ties going to the lower reference index, so the result
/// does not depend on the thread count.
public enum NearestNeighbors {
    public struct Result: Sendable {
        public let k: Int
        /// Row-major queries × k reference indices, nearest first (−1 when
        /// fewer than k references were eligible).
        public let indices: [Int32]
        /// The matching squared Euclidean distances (float32 arithmetic;
        /// see ``exactRadii(_:distances:)`` for Double-exact values).
        public let squaredDistances: [Float]
    }

    /// - Parameters:
    ///   - excludingSelf: the queries are the references (the same rows in
    ///     the same order) and a row is not its own neighbour.
    ///   - excluded: when given, `excluded(q, r)` true keeps reference r out
    ///     of query q's neighbours (used to keep a row's own
    ///     cross-validation fold out of its neighbourhood).
    public static func search(queries: Matrix, references: Matrix, k: Int,
                              threads: Int = Parallel.coreCount, excludingSelf: Bool = false,
                              excluded: (@Sendable (Int, Int) -> Bool)? = nil) -> Result {
        search(PairwiseDistances(queries: queries, references: references), k: k, threads: threads,
               excludingSelf: excludingSelf, excluded: excluded)
    }

    public static func search(_ pairs: PairwiseDistances, k: Int, threads: Int = Parallel.coreCount,
                              excludingSelf: Bool = false,
                              excluded: (@Sendable (Int, Int) -> Bool)? = nil) -> Result {
        precondition(k >= 1)
        let nq = pairs.queryCount
        var indices = [Int32](repeating: -1, count: nq * k)
        var distances = [Float](repeating: .infinity, count: nq * k)
        indices.withUnsafeMutableBufferPointer { ip in
            distances.withUnsafeMutableBufferPointer { dp in
                let out = _UnsafeNeighbourLists(indices: ip, distances: dp, k: k)
                pairs.forEachTile(threads: threads) { tile in
                    for i in 0..<tile.queryCount {
                        let q = tile.queryStart + i, row = tile.row(i)
                        // Most entries lose to the current k-th: one compare each.
                        var worst = out.distances[q * k + k - 1]
                        for j in 0..<tile.referenceCount where row[j] < worst {
                            let r = tile.referenceStart + j
                            if excludingSelf && r == q { continue }
                            if let excluded, excluded(q, r) { continue }
                            out.offer(query: q, reference: Int32(r), distance: row[j])
                            worst = out.distances[q * k + k - 1]
                        }
                    }
                }
            }
        }
        return Result(k: k, indices: indices, squaredDistances: distances)
    }

    /// The k nearest other rows of every row of `x`, as
    /// `search(queries: x, references: x, k:, excludingSelf: true)` finds
    /// them, in half the arithmetic: only the upper triangle of tiles is
    /// computed, and each distance is offered to both of its rows. Offers to
    /// rows of other blocks go to per-worker lists (N·k per worker), merged
    /// at the end by (distance, index), so the result does not depend on the
    /// thread count.
    public static func selfSearch(_ pairs: PairwiseDistances, k: Int, threads: Int = Parallel.coreCount) -> Result {
        precondition(k >= 1 && pairs.queryCount == pairs.referenceCount)
        let n = pairs.queryCount, workers = pairs.workerCount(threads: threads)
        var indices = [Int32](repeating: -1, count: workers * n * k)
        var distances = [Float](repeating: .infinity, count: workers * n * k)
        indices.withUnsafeMutableBufferPointer { ip in
            distances.withUnsafeMutableBufferPointer { dp in
                pairs.forEachTile(threads: threads, fromQueryBlock: true) { tile in
                    let offset = tile.worker * n * k
                    let lists = _UnsafeNeighbourLists(indices: UnsafeMutableBufferPointer(rebasing: ip[offset..<(offset + n * k)]),
                                                      distances: UnsafeMutableBufferPointer(rebasing: dp[offset..<(offset + n * k)]), k: k)
                    for i in 0..<tile.queryCount {
                        let q = tile.queryStart + i, row = tile.row(i)
                        let first = max(0, q + 1 - tile.referenceStart)
                        guard first < tile.referenceCount else { continue }
                        var worst = lists.distances[q * k + k - 1]
                        for j in first..<tile.referenceCount {
                            let d = row[j], r = tile.referenceStart + j
                            if d <= worst {
                                lists.offer(query: q, reference: Int32(r), distance: d)
                                worst = lists.distances[q * k + k - 1]
                            }
                            if d <= lists.distances[r * k + k - 1] {
                                lists.offer(query: r, reference: Int32(q), distance: d)
                            }
                        }
                    }
                }
            }
        }
        guard workers > 1 else { return Result(k: k, indices: indices, squaredDistances: distances) }
        var mergedIndices = [Int32](repeating: -1, count: n * k)
        var mergedDistances = [Float](repeating: .infinity, count: n * k)
        mergedIndices.withUnsafeMutableBufferPointer { ip in
            mergedDistances.withUnsafeMutableBufferPointer { dp in
                let merged = _UnsafeNeighbourLists(indices: ip, distances: dp, k: k)
                for w in 0..<workers {
                    for q in 0..<n {
                        for j in 0..<k {
                            let at = (w * n + q) * k + j
                            guard indices[at] >= 0 else { break }
                            merged.offer(query: q, reference: indices[at], distance: distances[at])
                        }
                    }
                }
            }
        }
        return Result(k: k, indices: mergedIndices, squaredDistances: mergedDistances)
    }

    /// Each query's squared distance to its k-th nearest reference, exact in
    /// Double: the candidates of a search made with `k + 2` neighbours are
    /// recomputed from the original rows and re-sorted, so float32 rounding
    /// cannot reorder near ties among them. Also returns the exact squared
    /// distance to the nearest. Infinity where fewer than k were eligible.
    public static func exactRadii(_ result: Result, distances pairs: PairwiseDistances, k: Int)
        -> (kth: [Double], nearest: [Double]) {
        precondition(k <= result.k)
        let n = result.indices.count / result.k
        var kth = [Double](repeating: .infinity, count: n), nearest = [Double](repeating: .infinity, count: n)
        for q in 0..<n {
            var exact = [Double]()
            exact.reserveCapacity(result.k)
            for j in 0..<result.k {
                let r = result.indices[q * result.k + j]
                if r >= 0 { exact.append(pairs.exactSquaredDistance(query: q, reference: Int(r))) }
            }
            exact.sort()
            if exact.count >= k { kth[q] = exact[k - 1] }
            if let first = exact.first { nearest[q] = first }
        }
        return (kth, nearest)
    }

    /// Out-of-sample class probabilities from the k nearest rows in the
    /// other cross-validation folds: (votes for c + 1/K) / (k + 1), so no
    /// class gets probability zero and rows still sum to one.
    public static func crossValidatedProbabilities(features x: Matrix, labels: [Int32], classes: Int, neighbors k: Int,
                                                   folds: Int, seed: UInt64, threads: Int = Parallel.coreCount) -> PredictedProbabilities {
        let fold = CrossValidation.folds(labels: labels, classes: classes, count: folds, seed: seed)
        let result = search(queries: x, references: x, k: k, threads: threads, excluded: { fold[$0] == fold[$1] })
        var p = [Double](repeating: 0, count: x.rows * classes)
        for i in 0..<x.rows {
            var found = 0
            for j in 0..<k where result.indices[i * k + j] >= 0 {
                p[i * classes + Int(labels[Int(result.indices[i * k + j])])] += 1
                found += 1
            }
            for c in 0..<classes { p[i * classes + c] = (p[i * classes + c] + 1 / Double(classes)) / Double(found + 1) }
        }
        return PredictedProbabilities(rows: x.rows, classes: classes, values: p)
    }
}

/// Per-query sorted top-k lists in two flat buffers, empty slots holding
/// index −1 at distance +∞. Precondition: each list is offered candidates
/// by one thread only, so writes never overlap.
struct _UnsafeNeighbourLists: @unchecked Sendable {
    let indices: UnsafeMutableBufferPointer<Int32>
    let distances: UnsafeMutableBufferPointer<Float>
    let k: Int

    /// Inserts the candidate if it beats the k-th by (distance, index):
    /// ties go to the lower index whatever the order candidates arrive in.
    @inline(__always)
    func offer(query: Int, reference: Int32, distance: Float) {
        let base = query * k
        guard distance < distances[base + k - 1] || (distance == distances[base + k - 1] && reference < indices[base + k - 1])
        else { return }
        var j = k - 1
        while j > 0 && (distance < distances[base + j - 1] || (distance == distances[base + j - 1] && reference < indices[base + j - 1])) {
            distances[base + j] = distances[base + j - 1]
            indices[base + j] = indices[base + j - 1]
            j -= 1
        }
        distances[base + j] = distance
        indices[base + j] = reference
    }
}
