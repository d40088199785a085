import Synth
import SynthctlCore

/// Exact k-nearest-neighbour search: float32 tiles from `sgemm` find the
/// candidates, Double decides.
///
/// Distances come from ``PairwiseDistances`` a tile at a time, and each
/// query keeps a running top-k, so memory is O((N + M)·k) plus one tile:
/// no N × M matrix is ever held. The tile entries carry rounding error
/// whose size depends on the sgemm kernel OpenBLAS picked for the CPU, so
/// they only decide which references are worth a closer look: a reference
/// stays a candidate while its tile entry is within twice the query's
/// ``PairwiseDistances/queryErrorBound(_:)`` of the k-th smallest entry
/// (``CandidateNeighbourLists``), and at the end every candidate's distance
/// is recomputed in Double from the original rows
/// (``PairwiseDistances/exactSquaredDistance(query:reference:)``).
/// The lists are ordered by (Double distance, reference index). Since every
/// true neighbour passes the candidate test, the neighbours and distances
/// returned are a function of the rows alone: the same whatever the BLAS
/// kernel, the CPU or the thread count, ties going to the lower index.
public enum NearestNeighbors {
    public struct Result: Sendable {
        public let k: Int
        /// Row-major queries × k reference indices, nearest first by
        /// (distance, index) (−1 when fewer than k references were eligible).
        public let indices: [Int32]
        /// The matching squared Euclidean distances, computed in Double
        /// from the original rows (+∞ where the index is −1).
        public let squaredDistances: [Double]

        /// Query q's squared distance to its j-th nearest (0-based).
        public func squaredDistance(query q: Int, rank j: Int) -> Double { squaredDistances[q * k + j] }
    }

    /// - Parameters:
    ///   - excludingSelf: the queries are the references (the same rows in
    ///     the same order) and a row is not its own neighbour.
    ///   - excluded: when given, `excluded(q, r)` true keeps reference r out
    ///     of query q's neighbours (used to keep a row's own
    ///     cross-validation fold out of its neighbourhood).
    public static func search(queries: Matrix, references: Matrix, k: Int,
                              threads: Int = Parallel.coreCount, excludingSelf: Bool = false,
                              excluded: (@Sendable (Int, Int) -> Bool)? = nil,
                              progress: WorkProgress = .silent, stage: String = "nearest neighbours") -> Result {
        search(PairwiseDistances(queries: queries, references: references), k: k, threads: threads,
               excludingSelf: excludingSelf, excluded: excluded, progress: progress, stage: stage)
    }

    /// ``search(queries:references:k:threads:excludingSelf:excluded:progress:stage:)``
    /// over distances already set up; `progress` is told `stage` once per
    /// block of queries searched.
    public static func search(_ pairs: PairwiseDistances, k: Int, threads: Int = Parallel.coreCount,
                              excludingSelf: Bool = false,
                              excluded: (@Sendable (Int, Int) -> Bool)? = nil,
                              progress: WorkProgress = .silent, stage: String = "nearest neighbours") -> Result {
        precondition(k >= 1)
        let nq = pairs.queryCount
        let store = CandidateNeighbourLists(queries: nq, k: k, bounds: (0..<nq).map(pairs.queryErrorBound))
        withExtendedLifetime(store) {
            let lists = store.lists
            pairs.forEachTile(threads: threads, progress: progress, stage: stage) { tile in
                for i in 0..<tile.queryCount {
                    let q = tile.queryStart + i, row = tile.row(i)
                    // Most entries lose to the current k-th: one compare each.
                    var cutoff = lists.cutoff(q)
                    var j = _UnsafeTileScan.next(row, atMost: cutoff, from: 0, count: tile.referenceCount)
                    while j < tile.referenceCount {
                        let r = tile.referenceStart + j
                        if !(excludingSelf && r == q) && !(excluded?(q, r) ?? false) {
                            lists.offer(query: q, reference: Int32(r), value: row[j], pairs: pairs)
                            cutoff = lists.cutoff(q)
                        }
                        j = _UnsafeTileScan.next(row, atMost: cutoff, from: j + 1, count: tile.referenceCount)
                    }
                }
            }
        }
        return CandidateNeighbourLists.exactNeighbours([store], pairs: pairs, threads: threads)
    }

    /// The k nearest other rows of every row of `x`, as
    /// `search(queries: x, references: x, k:, excludingSelf: true)` finds
    /// them, in half the arithmetic: only the upper triangle of tiles is
    /// computed, and each distance is offered to both of its rows. Offers to
    /// rows of other blocks go to per-worker candidate lists (N·(k + 4) per
    /// worker), pooled at the end and decided by (exact distance, index), so
    /// the result does not depend on the thread count.
    public static func selfSearch(_ pairs: PairwiseDistances, k: Int, threads: Int = Parallel.coreCount) -> Result {
        precondition(k >= 1 && pairs.queryCount == pairs.referenceCount)
        let n = pairs.queryCount, workers = pairs.workerCount(threads: threads)
        let bounds = (0..<n).map(pairs.queryErrorBound)
        let perWorker = (0..<workers).map { _ in CandidateNeighbourLists(queries: n, k: k, bounds: bounds) }
        withExtendedLifetime(perWorker) {
            let handles = perWorker.map(\.lists)
            pairs.forEachTile(threads: threads, fromQueryBlock: true) { tile in
                let lists = handles[tile.worker]
                for i in 0..<tile.queryCount {
                    let q = tile.queryStart + i, row = tile.row(i)
                    let first = max(0, q + 1 - tile.referenceStart)
                    guard first < tile.referenceCount else { continue }
                    var cutoff = lists.cutoff(q)
                    // Entries above both rows' cutoffs are passed over eight at a time.
                    let referenceCutoffs = UnsafePointer(lists.cutoffs.baseAddress! + tile.referenceStart)
                    var j = _UnsafeTileScan.next(row, referenceCutoffs, rowThreshold: cutoff, from: first, count: tile.referenceCount)
                    while j < tile.referenceCount {
                        let d = row[j], r = tile.referenceStart + j
                        let forQuery = d <= cutoff, forReference = d <= lists.cutoff(r)
                        if forQuery {
                            lists.offer(query: q, reference: Int32(r), value: d, pairs: pairs)
                            cutoff = lists.cutoff(q)
                        }
                        if forReference { lists.offer(query: r, reference: Int32(q), value: d, pairs: pairs) }
                        j = _UnsafeTileScan.next(row, referenceCutoffs, rowThreshold: cutoff, from: j + 1, count: tile.referenceCount)
                    }
                }
            }
        }
        return CandidateNeighbourLists.exactNeighbours(perWorker, pairs: pairs, threads: threads)
    }

    /// Out-of-sample class probabilities from the k nearest rows in the
    /// other cross-validation folds: (votes for c + 1/K) / (k + 1), so no
    /// class gets probability zero and rows still sum to one. `progress` is
    /// told "cross-validated neighbours" once per block of rows searched
    /// (one search covers every fold).
    public static func crossValidatedProbabilities(features x: Matrix, labels: [Int32], classes: Int, neighbors k: Int,
                                                   folds: Int, seed: UInt64, threads: Int = Parallel.coreCount,
                                                   progress: WorkProgress = .silent) -> PredictedProbabilities {
        let fold = CrossValidation.folds(labels: labels, classes: classes, count: folds, seed: seed)
        let result = search(queries: x, references: x, k: k, threads: threads, excluded: { fold[$0] == fold[$1] },
                            progress: progress, stage: "cross-validated neighbours")
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

/// Per-query top-k lists ordered by (exact distance, index), with each
/// query's float threshold for the tile entries worth recomputing. Owns
/// its buffers; ``lists`` writes to them in place, one thread per query.
final class ExactNeighbourLists: @unchecked Sendable {
    let k: Int
    let queries: Int
    /// Valid for the lifetime of this object.
    let lists: _UnsafeNeighbourLists

    /// - Parameter bounds: per query, the largest difference between a tile
    ///   entry and the exact squared distance (``PairwiseDistances/queryErrorBound(_:)``).
    init(queries n: Int, k: Int, bounds: [Double]) {
        precondition(bounds.count == n && k >= 1)
        self.k = k
        queries = n
        let indices = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n * k)
        indices.initialize(repeating: -1)
        let distances = UnsafeMutableBufferPointer<Double>.allocate(capacity: n * k)
        distances.initialize(repeating: .infinity)
        let cutoffs = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        cutoffs.initialize(repeating: .infinity)
        let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        _ = b.initialize(from: bounds)
        lists = _UnsafeNeighbourLists(indices: indices, distances: distances, cutoffs: cutoffs,
                                      bounds: UnsafeBufferPointer(b), k: k)
    }

    deinit {
        lists.indices.deallocate()
        lists.distances.deallocate()
        lists.cutoffs.deallocate()
        lists.bounds.deallocate()
    }

    var result: NearestNeighbors.Result {
        NearestNeighbors.Result(k: k, indices: Array(lists.indices), squaredDistances: Array(lists.distances))
    }
}

/// Per-query sorted top-k lists in flat buffers, empty slots holding index
/// −1 at distance +∞. Preconditions: the buffers outlive the handle and
/// are not reallocated while it is used; each query's list is offered
/// candidates by one thread only, so writes never overlap.
struct _UnsafeNeighbourLists: @unchecked Sendable {
    let indices: UnsafeMutableBufferPointer<Int32>
    let distances: UnsafeMutableBufferPointer<Double>
    let cutoffs: UnsafeMutableBufferPointer<Float>
    let bounds: UnsafeBufferPointer<Double>
    let k: Int

    /// Tile entries above this cannot belong to query q's list.
    @inline(__always)
    func cutoff(_ q: Int) -> Float { cutoffs[q] }

    /// Inserts the candidate if it beats the k-th by (distance, index):
    /// ties go to the lower index whatever the order candidates arrive in.
    @inline(__always)
    func offer(query: Int, reference: Int32, distance: Double) {
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
        let worst = distances[base + k - 1]
        if worst.isFinite { cutoffs[query] = floatCeiling(worst + bounds[query]) }
    }
}
