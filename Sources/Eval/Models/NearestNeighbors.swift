import Synth

/// Exact k-nearest-neighbour search by tiled `sgemm`.
///
/// Squared distances come from ‖q‖² + ‖r‖² − 2·q·r, a block of query rows
/// against a block of reference rows at a time (one `sgemm` per tile),
/// clamped at zero, and each query keeps a running top-k. Both sets are
/// first shifted by the references' mean (distances do not change), because
/// the expansion cancels badly in float32 when the norms are large next to
/// the distances, as with features that carry an offset. Memory is
/// O((N + M)·k) plus one tile: no N × M matrix is ever held. Query blocks
/// run on all cores; each query's neighbours are found by one worker that
/// scans the reference blocks in order, ties going to the lower reference
/// index, so the result does not depend on the thread count.
public enum NearestNeighbors {
    public struct Result: Sendable {
        public let k: Int
        /// Row-major queries × k reference indices, nearest first (−1 when
        /// fewer than k references were eligible).
        public let indices: [Int32]
        /// The matching squared Euclidean distances.
        public let squaredDistances: [Float]
    }

    static let queryBlock = 256
    static let referenceBlock = 2048

    /// - Parameter excluded: when given, `excluded(q, r)` true keeps
    ///   reference r out of query q's neighbours (used to keep a row's own
    ///   cross-validation fold out of its neighbourhood).
    public static func search(queries: Matrix, references: Matrix, k: Int,
                              threads: Int = Parallel.coreCount,
                              excluded: (@Sendable (Int, Int) -> Bool)? = nil) -> Result {
        precondition(queries.columns == references.columns && k >= 1)
        let d = queries.columns, nq = queries.rows, nr = references.rows
        let centre = columnMeans(references)
        let queries = shifted(queries, by: centre), references = shifted(references, by: centre)
        let queryNorms = squaredNorms(queries), referenceNorms = squaredNorms(references)
        var indices = [Int32](repeating: -1, count: nq * k)
        var distances = [Float](repeating: .infinity, count: nq * k)
        BLAS.useSingleThreadedBLAS()
        let blocks = (nq + queryBlock - 1) / queryBlock
        queries.storage.withUnsafeBufferPointer { qp in
            references.storage.withUnsafeBufferPointer { rp in
                indices.withUnsafeMutableBufferPointer { ip in
                    distances.withUnsafeMutableBufferPointer { dp in
                        let out = _UnsafeNeighbourLists(indices: ip, distances: dp, k: k)
                        Parallel.forEach(blocks, threads: threads) { b in
                            let q0 = b * queryBlock, qn = min(queryBlock, nq - q0)
                            var tile = [Float](repeating: 0, count: qn * referenceBlock)
                            var r0 = 0
                            while r0 < nr {
                                let rn = min(referenceBlock, nr - r0)
                                tile.withUnsafeMutableBufferPointer { tp in
                                    BLAS.gemm(m: qn, n: rn, k: d, a: qp.baseAddress! + q0 * d, lda: d,
                                              b: rp.baseAddress! + r0 * d, ldb: d, transposeB: true,
                                              c: tp.baseAddress!, ldc: rn)
                                    for i in 0..<qn {
                                        let q = q0 + i
                                        for j in 0..<rn {
                                            let r = r0 + j
                                            if let excluded, excluded(q, r) { continue }
                                            let dist = max(queryNorms[q] + referenceNorms[r] - 2 * tp[i * rn + j], 0)
                                            out.offer(query: q, reference: Int32(r), distance: dist)
                                        }
                                    }
                                }
                                r0 += rn
                            }
                        }
                    }
                }
            }
        }
        return Result(k: k, indices: indices, squaredDistances: distances)
    }

    static func columnMeans(_ m: Matrix) -> [Float] {
        var sum = [Double](repeating: 0, count: m.columns)
        for i in 0..<m.rows { for j in 0..<m.columns { sum[j] += Double(m.storage[i * m.columns + j]) } }
        return sum.map { Float($0 / Double(max(m.rows, 1))) }
    }

    static func shifted(_ m: Matrix, by centre: [Float]) -> Matrix {
        var out = m
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<m.rows { for j in 0..<m.columns { p[i * m.columns + j] -= centre[j] } }
        }
        return out
    }

    static func squaredNorms(_ m: Matrix) -> [Float] {
        (0..<m.rows).map { i in
            var s: Float = 0
            for j in 0..<m.columns { let v = m.storage[i * m.columns + j]; s += v * v }
            return s
        }
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

/// Per-query sorted top-k lists in two flat buffers. Precondition: each
/// query row is offered candidates by one thread only (queries are split by
/// block), so writes never overlap; candidates for a query arrive in
/// increasing reference order, so "strictly closer" keeps ties at the lower
/// index.
struct _UnsafeNeighbourLists: @unchecked Sendable {
    let indices: UnsafeMutableBufferPointer<Int32>
    let distances: UnsafeMutableBufferPointer<Float>
    let k: Int

    @inline(__always)
    func offer(query: Int, reference: Int32, distance: Float) {
        let base = query * k
        guard distance < distances[base + k - 1] else { return }
        var j = k - 1
        while j > 0 && distance < distances[base + j - 1] {
            distances[base + j] = distances[base + j - 1]
            indices[base + j] = indices[base + j - 1]
            j -= 1
        }
        distances[base + j] = distance
        indices[base + j] = reference
    }
}
