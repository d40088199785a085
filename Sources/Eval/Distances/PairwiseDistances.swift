import Synth
import SynthctlCore

/// Squared Euclidean distances between every query row and every reference
/// row, produced one tile at a time so that no queries × references matrix
/// is ever held.
///
/// A tile's entries come from ‖q‖² + ‖r‖² − 2·q·r: one `sgemm` per tile of
/// 512 queries × 2048 references, then a vectorized pass that adds the
/// norms and clamps at zero. Both sets are first shifted by the references'
/// mean (distances do not change), because the expansion cancels badly in
/// float32 when the norms are large next to the distances. What that
/// arithmetic can still get wrong is bounded by ``errorBound(query:reference:)``;
/// a caller that must decide a comparison exactly (is this point inside
/// that ball?) recomputes the few entries within the bound with
/// ``exactSquaredDistance(query:reference:)``, in Double from the original rows.
public struct PairwiseDistances: Sendable {
    /// The rows as given, for exact recomputation.
    public let queries: Matrix
    public let references: Matrix
    let shiftedQueries: Matrix
    let shiftedReferences: Matrix
    let queryNorms: [Float]
    let referenceNorms: [Float]
    /// The largest shifted squared norm on each side, for bounds that hold
    /// for a query against every reference (and the other way round).
    let largestQueryNorm: Float
    let largestReferenceNorm: Float
    /// Rounding-error factor per unit of ‖q‖² + ‖r‖² (see ``errorBound``).
    let relativeError: Float

    static let queryBlock = 512
    static let referenceBlock = 2048

    public init(queries: Matrix, references: Matrix) {
        precondition(queries.columns == references.columns, "queries and references differ in width")
        self.queries = queries
        self.references = references
        let centre = references.columnMeans()
        // A set against itself (one storage, as every self-search passes
        // it) is shifted and normed once.
        let sameRows = queries.rows == references.rows && queries.storage.withUnsafeBufferPointer { q in
            references.storage.withUnsafeBufferPointer { r in q.baseAddress == r.baseAddress }
        }
        (shiftedReferences, referenceNorms) = references.shiftedWithNorms(by: centre)
        (shiftedQueries, queryNorms) = sameRows ? (shiftedReferences, referenceNorms) : queries.shiftedWithNorms(by: centre)
        largestQueryNorm = queryNorms.max() ?? 0
        largestReferenceNorm = referenceNorms.max() ?? 0
        // Higham's γ_n = n·u/(1 − n·u) bounds each dot product's relative
        // error; the subtraction of the shift adds u per coordinate, and the
        // two norm additions two more roundings. Doubled for headroom.
        let n = Float(queries.columns + 4)
        relativeError = 2 * n * (Float.ulpOfOne / 2) / (1 - n * Float.ulpOfOne / 2)
    }

    public var queryCount: Int { queries.rows }
    public var referenceCount: Int { references.rows }

    /// An upper bound on |tile entry − true squared distance| for this pair.
    @inline(__always)
    public func errorBound(query q: Int, reference r: Int) -> Float {
        relativeError * (queryNorms[q] + referenceNorms[r]) + Float.leastNormalMagnitude
    }

    /// An upper bound on |tile entry − true squared distance| over every
    /// pair: what a statistic summed from tile entries inherits.
    public var largestErrorBound: Double {
        Double(relativeError) * (Double(largestQueryNorm) + Double(largestReferenceNorm)) + Double(Float.leastNormalMagnitude)
    }

    /// An upper bound on |tile entry − true squared distance| for query q
    /// against any reference: what a search may add to a Double threshold
    /// before comparing tile entries with it, so that no reference whose
    /// exact distance passes the threshold is skipped.
    @inline(__always)
    public func queryErrorBound(_ q: Int) -> Double {
        Double(relativeError) * (Double(queryNorms[q]) + Double(largestReferenceNorm)) + Double(Float.leastNormalMagnitude)
    }

    /// The same bound for reference r against any query.
    @inline(__always)
    public func referenceErrorBound(_ r: Int) -> Double {
        Double(relativeError) * (Double(largestQueryNorm) + Double(referenceNorms[r])) + Double(Float.leastNormalMagnitude)
    }

    /// The squared distance computed in Double from the original rows, in
    /// a fixed order of operations (four interleaved partial sums added at
    /// the end), so the value depends on the two rows alone: not on the CPU,
    /// the BLAS library or the thread count. This is the distance every
    /// neighbour, radius and nearest-row result reports.
    public func exactSquaredDistance(query q: Int, reference r: Int) -> Double {
        let d = queries.columns
        return queries.storage.withUnsafeBufferPointer { qp in
            references.storage.withUnsafeBufferPointer { rp in
                _UnsafeExactDistance.squared(qp.baseAddress! + q * d, rp.baseAddress! + r * d, count: d)
            }
        }
    }

    /// How many workers ``forEachTile(threads:_:)`` runs on; tiles carry
    /// their worker's number in 0..<this, for per-worker scratch space.
    public func workerCount(threads: Int) -> Int {
        max(1, min(threads, (queries.rows + Self.queryBlock - 1) / Self.queryBlock))
    }

    /// Calls `visit` with every tile. The tiles of one block of queries are
    /// visited by one worker, in increasing reference order; so a visitor
    /// may write per-query state for the tile's queries without locks, and
    /// "first seen wins" means "lowest reference index wins" whatever the
    /// thread count. Per-reference state must go to per-worker scratch
    /// (indexed by `tile.worker`): a worker sees its query blocks in
    /// increasing order.
    ///
    /// - Parameter fromQueryBlock: visit only references from the tile's
    ///   first query on (the upper triangle, for a set against itself: each
    ///   unordered pair then lies in exactly one tile, in the block of its
    ///   smaller index).
    /// - Parameter progress: told `stage` once per block of
    ///   ``queryBlock`` queries visited against every reference.
    public func forEachTile(threads: Int = Parallel.coreCount, fromQueryBlock: Bool = false,
                            progress: WorkProgress = .silent, stage: String = "",
                            _ visit: (DistanceTile) -> Void) {
        let d = queries.columns, nq = queries.rows, nr = references.rows
        guard nq > 0, nr > 0 else { return }
        BLAS.useSingleThreadedBLAS()
        let blocks = (nq + Self.queryBlock - 1) / Self.queryBlock
        shiftedQueries.storage.withUnsafeBufferPointer { qp in
            shiftedReferences.storage.withUnsafeBufferPointer { rp in
                queryNorms.withUnsafeBufferPointer { qn in
                    referenceNorms.withUnsafeBufferPointer { rn in
                        let workers = workerCount(threads: threads)
                        Parallel.forEach(blocks, threads: workers) { b in
                            let q0 = b * Self.queryBlock, qc = min(Self.queryBlock, nq - q0)
                            var tile = [Float](repeating: 0, count: qc * min(Self.referenceBlock, nr))
                            tile.withUnsafeMutableBufferPointer { tp in
                                var r0 = fromQueryBlock ? q0 : 0
                                while r0 < nr {
                                    let rc = min(Self.referenceBlock, nr - r0)
                                    _UnsafeDistanceTileKernel.fill(
                                        tile: tp.baseAddress!, queries: qp.baseAddress! + q0 * d, queryCount: qc,
                                        references: rp.baseAddress! + r0 * d, referenceCount: rc, width: d,
                                        queryNorms: qn.baseAddress! + q0, referenceNorms: rn.baseAddress! + r0)
                                    visit(DistanceTile(worker: b % workers, queryStart: q0, queryCount: qc, referenceStart: r0,
                                                       referenceCount: rc, squaredDistances: UnsafePointer(tp.baseAddress!)))
                                    r0 += rc
                                }
                            }
                            progress.step(stage, of: blocks)
                        }
                    }
                }
            }
        }
    }
}

/// One block of squared distances: row i, column j holds the distance
/// between query `queryStart + i` and reference `referenceStart + j`.
/// Valid only inside the visit that received it.
///
/// Public callers read entries through the bounds-checked
/// ``subscript(query:reference:)``; Eval's own searches read whole rows
/// through the internal ``row(_:)`` with no check per entry.
public struct DistanceTile {
    /// Which worker visits it (``Parallel/forEach(_:threads:_:)`` gives
    /// block b to worker b mod workers).
    public let worker: Int
    public let queryStart: Int
    public let queryCount: Int
    public let referenceStart: Int
    public let referenceCount: Int
    /// The tile's queryCount × referenceCount entries, row-major. Valid
    /// only during the visit (the worker reuses the memory for its next
    /// tile); internal so that no pointer leaves Eval.
    let squaredDistances: UnsafePointer<Float>

    /// The squared distance between query `queryStart + i` and reference
    /// `referenceStart + j`, as the tile holds it (float32; see
    /// ``PairwiseDistances/errorBound(query:reference:)``).
    ///
    /// - Precondition: `0 <= i < queryCount` and `0 <= j < referenceCount`.
    public subscript(query i: Int, reference j: Int) -> Float {
        precondition(i >= 0 && i < queryCount && j >= 0 && j < referenceCount,
                     "entry (\(i), \(j)) outside a \(queryCount) × \(referenceCount) tile")
        return squaredDistances[i * referenceCount + j]
    }

    /// Row i's `referenceCount` entries. Precondition: `0 <= i < queryCount`,
    /// and the pointer is used only during the visit.
    @inline(__always)
    func row(_ i: Int) -> UnsafePointer<Float> { squaredDistances + i * referenceCount }
}

/// The arithmetic of one tile. Preconditions: `tile` holds at least
/// queryCount × referenceCount floats; the query and reference pointers
/// address `width`-wide rows, shifted by the same centre as their norms.
enum _UnsafeDistanceTileKernel {
    @inline(__always)
    static func fill(tile: UnsafeMutablePointer<Float>, queries: UnsafePointer<Float>, queryCount qc: Int,
                     references: UnsafePointer<Float>, referenceCount rc: Int, width d: Int,
                     queryNorms: UnsafePointer<Float>, referenceNorms: UnsafePointer<Float>) {
        _UnsafeBLAS.gemm(m: qc, n: rc, k: d, alpha: -2, a: queries, lda: d, b: references, ldb: d, transposeB: true,
                  c: tile, ldc: rc)
        for i in 0..<qc {
            let row = tile + i * rc, qn = queryNorms[i]
            for j in 0..<rc { row[j] = max(row[j] + qn + referenceNorms[j], 0) }
        }
    }
}

/// The Double squared distance of two float rows. Precondition: both
/// pointers address `count` readable floats. Summed in four partial sums
/// (``fourPartialSums(_:_:)``): a fixed order, so the result is the same
/// on every machine, and four independent chains keep the adder busy.
enum _UnsafeExactDistance {
    @inline(__always)
    static func squared(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count d: Int) -> Double {
        fourPartialSums(d) { j in
            let t = Double(a[j]) - Double(b[j])
            return t * t
        }
    }
}

/// The smallest float at or above `x`: a float threshold that admits every
/// tile entry a Double threshold `x` would.
@inline(__always)
func floatCeiling(_ x: Double) -> Float {
    let f = Float(x)
    return Double(f) < x ? f.nextUp : f
}

extension Matrix {
    /// Column means, summed in Double.
    public func columnMeans() -> [Float] {
        var sum = [Double](repeating: 0, count: columns)
        storage.withUnsafeBufferPointer { p in
            for i in 0..<rows { for j in 0..<columns { sum[j] += Double(p[i * columns + j]) } }
        }
        return sum.map { Float($0 / Double(Swift.max(rows, 1))) }
    }

    /// Every row minus `centre`.
    public func shifted(by centre: [Float]) -> Matrix {
        var out = self
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows { for j in 0..<columns { p[i * columns + j] -= centre[j] } }
        }
        return out
    }

    /// Every row minus `centre`, and each shifted row's ‖row‖², on all
    /// cores in blocks of rows (each row's values and norm are computed as
    /// ``shifted(by:)`` and ``rowSquaredNorms()`` compute them, so the
    /// result does not depend on the thread count). The single-threaded
    /// versions were a tenth of the wall time of a 10,000-row PRDC run.
    func shiftedWithNorms(by centre: [Float], threads: Int = Parallel.coreCount) -> (Matrix, [Float]) {
        var out = self
        var norms = [Float](repeating: 0, count: rows)
        let d = columns, block = 2048, blocks = (rows + block - 1) / block
        guard blocks > 0 else { return (out, norms) }
        out.storage.withUnsafeMutableBufferPointer { p in
            norms.withUnsafeMutableBufferPointer { np in
                centre.withUnsafeBufferPointer { c in
                    let values = _UnsafeRowBlocks(values: p, norms: np)
                    Parallel.forEach(blocks, threads: max(1, min(threads, blocks))) { b in
                        for i in (b * block)..<Swift.min(rows, (b + 1) * block) {
                            var s: Float = 0
                            for j in 0..<d {
                                let v = values.values[i * d + j] - c[j]
                                values.values[i * d + j] = v
                                s += v * v
                            }
                            values.norms[i] = s
                        }
                    }
                }
            }
        }
        return (out, norms)
    }

    /// ‖row‖² for every row.
    public func rowSquaredNorms() -> [Float] {
        storage.withUnsafeBufferPointer { p in
            (0..<rows).map { i in
                var s: Float = 0
                for j in 0..<columns { let v = p[i * columns + j]; s += v * v }
                return s
            }
        }
    }
}

/// Row blocks written by ``Matrix/shiftedWithNorms(by:threads:)``.
/// Precondition: each block of rows is written by one worker only.
struct _UnsafeRowBlocks: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Float>
    let norms: UnsafeMutableBufferPointer<Float>
}
