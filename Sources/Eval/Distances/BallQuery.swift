import Synth
import SynthctlCore

/// For every query row: how many reference balls hold it, whether some
/// reference lies inside the query's own ball, and its nearest reference.
///
/// This is the one pass the k-NN manifold metrics need (precision,
/// density, recall, coverage, authenticity) and the distance to the
/// closest record: each is a per-query reduction over all references, so
/// the pass runs on tiles with O(N + M) memory.
///
/// Ball membership is decided exactly. A tile entry within
/// ``PairwiseDistances/errorBound(query:reference:)`` of a radius is
/// recomputed in Double from the original rows, so the answer is the one
/// exact arithmetic gives; duplicated rows, at distance zero, are decided
/// as such and not by rounding noise.
public enum BallQuery {
    /// Which comparison defines "inside".
    public enum Boundary: String, Sendable, Codable {
        /// d < r, as prdc computes: a point on the sphere is outside, so a
        /// zero radius (a row with k exact duplicates) holds nothing.
        case open
        /// d ≤ r: a point on the sphere is inside, so exact copies count.
        case closed

        @inline(__always)
        func holds(_ d: Double, _ r: Double) -> Bool { self == .open ? d < r : d <= r }
        @inline(__always)
        func holds(_ d: Float, _ r: Float) -> Bool { self == .open ? d < r : d <= r }
    }

    public struct Result: Sendable {
        /// How many references r have the query inside their ball (radius²
        /// `referenceRadii[r]`); zero when no reference radii were given.
        public let ballCounts: [Int32]
        /// Whether some reference lies inside the query's own ball (radius²
        /// `queryRadii[q]`); false when no query radii were given.
        public let reachesReference: [Bool]
        /// The nearest reference by exact squared distance (lowest index
        /// among exact ties) and that distance; −1 and +∞ when there is none.
        public let nearest: [Int32]
        public let nearestSquaredDistance: [Double]
        /// How many references lie at exactly that distance (1 without ties).
        public let nearestTies: [Int32]
    }

    /// - Parameters:
    ///   - referenceRadii: squared radius of each reference's ball, or nil.
    ///   - queryRadii: squared radius of each query's ball, or nil.
    ///   - excludingSelf: queries and references are the same rows; a row
    ///     is neither in its own ball nor its own nearest.
    public static func run(_ pairs: PairwiseDistances, referenceRadii: [Double]? = nil, queryRadii: [Double]? = nil,
                           boundary: Boundary, excludingSelf: Bool = false,
                           threads: Int = Parallel.coreCount) -> Result {
        let nq = pairs.queryCount
        precondition(referenceRadii == nil || referenceRadii!.count == pairs.referenceCount)
        precondition(queryRadii == nil || queryRadii!.count == nq)
        var counts = [Int32](repeating: 0, count: nq)
        var reaches = [Bool](repeating: false, count: nq)
        var nearest = (0..<nq).map { NearestRow(bound: pairs.queryErrorBound($0)) }
        let refRadiiF = referenceRadii?.map { Float($0) } ?? []
        let queryRadiiF = queryRadii?.map { Float($0) } ?? []
        // Above these a tile entry decides nothing about a ball (see
        // ``ballSkipThreshold``); −∞ where there are no balls. An entry
        // above them and above the query's nearest cutoff changes no
        // output and is passed over (``_UnsafeTileScan``).
        let referenceSkip = referenceRadii == nil ? [Float](repeating: -.infinity, count: pairs.referenceCount)
            : (0..<pairs.referenceCount).map { Self.ballSkipThreshold(refRadiiF[$0], bound: pairs.referenceErrorBound($0)) }
        let querySkip = queryRadii == nil ? [Float](repeating: -.infinity, count: nq)
            : (0..<nq).map { Self.ballSkipThreshold(queryRadiiF[$0], bound: pairs.queryErrorBound($0)) }
        counts.withUnsafeMutableBufferPointer { cp in
            reaches.withUnsafeMutableBufferPointer { hp in
                nearest.withUnsafeMutableBufferPointer { np in
                    referenceSkip.withUnsafeBufferPointer { sp in
                        let out = _UnsafeBallOutputs(counts: cp, reaches: hp, nearest: np)
                        pairs.forEachTile(threads: threads) { tile in
                            let thresholds = sp.baseAddress! + tile.referenceStart
                            for i in 0..<tile.queryCount {
                                let q = tile.queryStart + i, row = tile.row(i)
                                var count: Int32 = 0
                                var nearestRow = out.nearest[q]
                                var reached = out.reaches[q]
                                let qr = queryRadii == nil ? -Float.infinity : queryRadiiF[q]
                                var rowThreshold: Float { max(nearestRow.cutoff, reached ? -.infinity : querySkip[q]) }
                                var j = _UnsafeTileScan.next(row, thresholds, rowThreshold: rowThreshold, from: 0, count: tile.referenceCount)
                                while j < tile.referenceCount {
                                    let r = tile.referenceStart + j
                                    let d = row[j]
                                    if !(excludingSelf && r == q) {
                                        var exact: Double? = nil
                                        if d <= nearestRow.cutoff {
                                            let e = pairs.exactSquaredDistance(query: q, reference: r)
                                            exact = e
                                            nearestRow.offer(Int32(r), e)
                                        }
                                        if let referenceRadii {
                                            let rr = refRadiiF[r]
                                            if abs(d - rr) <= pairs.errorBound(query: q, reference: r) {
                                                let e = exact ?? pairs.exactSquaredDistance(query: q, reference: r)
                                                exact = e
                                                if boundary.holds(e, referenceRadii[r]) { count += 1 }
                                            } else if boundary.holds(d, rr) { count += 1 }
                                        }
                                        if !reached, let queryRadii {
                                            if abs(d - qr) <= pairs.errorBound(query: q, reference: r) {
                                                reached = boundary.holds(exact ?? pairs.exactSquaredDistance(query: q, reference: r), queryRadii[q])
                                            } else { reached = boundary.holds(d, qr) }
                                        }
                                    }
                                    j = _UnsafeTileScan.next(row, thresholds, rowThreshold: rowThreshold, from: j + 1, count: tile.referenceCount)
                                }
                                out.counts[q] += count
                                out.nearest[q] = nearestRow
                                out.reaches[q] = reached
                            }
                        }
                    }
                }
            }
        }
        return Result(ballCounts: counts, reachesReference: reaches, nearest: nearest.map(\.index),
                      nearestSquaredDistance: nearest.map(\.distance), nearestTies: nearest.map(\.ties))
    }
}

/// The nearest row found so far, by (exact squared distance, index), how
/// many rows lie at exactly that distance, and the float threshold above
/// which a tile entry can neither beat nor tie it: the exact distance plus
/// the largest tile error for this row (`bound`). Every row at the nearest
/// distance passes that threshold, so the tie count is exact.
struct NearestRow {
    private(set) var index: Int32 = -1
    private(set) var distance: Double = .infinity
    private(set) var ties: Int32 = 0
    private(set) var cutoff: Float = .infinity
    let bound: Double

    init(bound: Double) { self.bound = bound }

    /// Keeps the candidate if it is nearer, or as near with a lower index;
    /// counts it as a tie when it is as near.
    @inline(__always)
    mutating func offer(_ candidate: Int32, _ exact: Double) {
        if exact == distance {
            ties += 1
            if candidate < index { index = candidate }
            return
        }
        guard exact < distance else { return }
        index = candidate
        distance = exact
        ties = 1
        cutoff = floatCeiling(exact + bound)
    }

    /// Folds in what another worker found for the same row.
    mutating func merge(_ other: NearestRow) {
        guard other.index >= 0 else { return }
        if other.distance == distance {
            ties += other.ties
            index = min(index, other.index)
        } else if other.distance < distance {
            self = other
        }
    }
}

/// Per-query outputs of a ball query. Precondition: a query's slots are
/// written only by the worker that owns its query block.
struct _UnsafeBallOutputs: @unchecked Sendable {
    let counts: UnsafeMutableBufferPointer<Int32>
    let reaches: UnsafeMutableBufferPointer<Bool>
    let nearest: UnsafeMutableBufferPointer<NearestRow>
}

extension BallQuery {
    /// Both directions of one cross pass, for when queries and references
    /// both carry balls (real rows with their k-NN radii, synthetic rows
    /// with theirs): the distance between q and r is computed once and
    /// serves q's reductions and r's. Saves the second of two passes over
    /// the same N × M distances.
    public struct TwoWayResult: Sendable {
        /// Query q lies in some reference's ball.
        public let queryInSomeReferenceBall: [Bool]
        /// Query q's own ball holds some reference.
        public let queryBallHoldsSomeReference: [Bool]
        /// How many query balls hold reference r.
        public let referenceInQueryBalls: [Int32]
        /// Reference r's nearest query by exact squared distance (lowest
        /// index among exact ties), that distance, and how many queries lie
        /// at exactly that distance.
        public let nearestQuery: [Int32]
        public let nearestQuerySquaredDistance: [Double]
        public let nearestQueryTies: [Int32]
    }

    /// Reference-side reductions go to per-worker scratch (M entries per
    /// worker) merged in worker order, so memory stays O((N + M)·workers)
    /// and the result does not depend on the thread count: counts add, and
    /// the nearest is the smallest float distance, lowest index on ties.
    public static func twoWay(_ pairs: PairwiseDistances, queryRadii: [Double], referenceRadii: [Double],
                              boundary: Boundary, threads: Int = Parallel.coreCount) -> TwoWayResult {
        let nq = pairs.queryCount, nr = pairs.referenceCount
        precondition(queryRadii.count == nq && referenceRadii.count == nr)
        let workers = pairs.workerCount(threads: threads)
        var inSome = [Bool](repeating: false, count: nq), holds = [Bool](repeating: false, count: nq)
        var counts = [Int32](repeating: 0, count: workers * nr)
        var nearest = [NearestRow](repeating: NearestRow(bound: 0), count: workers * nr)
        for w in 0..<workers { for r in 0..<nr { nearest[w * nr + r] = NearestRow(bound: pairs.referenceErrorBound(r)) } }
        let qF = queryRadii.map { Float($0) }, rF = referenceRadii.map { Float($0) }
        // Above these a tile entry decides nothing about the balls: it is
        // beyond the radius by more than any pair's error bound, so both
        // tests below read "outside" from the float entry without an exact
        // look (``ballSkipThreshold``). A pair above both, and above the
        // reference's nearest cutoff, changes no output and is skipped.
        let querySkip = (0..<nq).map { Self.ballSkipThreshold(qF[$0], bound: pairs.queryErrorBound($0)) }
        let referenceSkip = (0..<nr).map { Self.ballSkipThreshold(rF[$0], bound: pairs.referenceErrorBound($0)) }
        // Per worker and reference, max(reference skip, nearest cutoff),
        // kept contiguous so a row's entries are passed over eight at a
        // time (``_UnsafeTileScan``); updated whenever a cutoff falls.
        var referenceThresholds = [Float](repeating: 0, count: workers * nr)
        for w in 0..<workers { for r in 0..<nr { referenceThresholds[w * nr + r] = max(referenceSkip[r], nearest[w * nr + r].cutoff) } }
        inSome.withUnsafeMutableBufferPointer { ip in
            holds.withUnsafeMutableBufferPointer { hp in
                counts.withUnsafeMutableBufferPointer { cp in
                    nearest.withUnsafeMutableBufferPointer { np in
                    referenceThresholds.withUnsafeMutableBufferPointer { tp in
                            do {
                                let out = _UnsafeTwoWayOutputs(inSome: ip, holds: hp, counts: cp, nearest: np)
                                pairs.forEachTile(threads: threads) { tile in
                                    let base = tile.worker * nr
                                    let thresholds = UnsafePointer(tp.baseAddress! + base + tile.referenceStart)
                                    for i in 0..<tile.queryCount {
                                        let q = tile.queryStart + i, row = tile.row(i)
                                        let qr = qF[q], qrExact = queryRadii[q], qSkip = querySkip[q]
                                        var inside = out.inSome[q], holdsAny = out.holds[q]
                                        // Entries above the query's skip, the reference's skip
                                        // and its nearest cutoff change no output.
                                        var j = _UnsafeTileScan.next(row, thresholds, rowThreshold: qSkip, from: 0, count: tile.referenceCount)
                                        while j < tile.referenceCount {
                                            let r = tile.referenceStart + j, d = row[j]
                                            defer { j = _UnsafeTileScan.next(row, thresholds, rowThreshold: qSkip, from: j + 1, count: tile.referenceCount) }
                                            var exact: Double? = nil
                                            if d <= out.nearest[base + r].cutoff {
                                                let e = pairs.exactSquaredDistance(query: q, reference: r)
                                                exact = e
                                                out.nearest[base + r].offer(Int32(q), e)
                                                tp[base + r] = max(referenceSkip[r], out.nearest[base + r].cutoff)
                                            }
                                            // q's own ball holding r: coverage for q, density for r.
                                            let heldByQuery: Bool
                                            if abs(d - qr) <= pairs.errorBound(query: q, reference: r) {
                                                let e = exact ?? pairs.exactSquaredDistance(query: q, reference: r)
                                                exact = e
                                                heldByQuery = boundary.holds(e, qrExact)
                                            } else {
                                                heldByQuery = boundary.holds(d, qr)
                                            }
                                            if heldByQuery { out.counts[base + r] += 1; holdsAny = true }
                                            // r's ball holding q: recall for q.
                                            if !inside {
                                                let rr = rF[r]
                                                if abs(d - rr) <= pairs.errorBound(query: q, reference: r) {
                                                    inside = boundary.holds(exact ?? pairs.exactSquaredDistance(query: q, reference: r), referenceRadii[r])
                                                } else {
                                                    inside = boundary.holds(d, rr)
                                                }
                                            }
                                        }
                                        out.inSome[q] = inside
                                        out.holds[q] = holdsAny
                                    }
                                }
                            }
                    }
                    }
                }
            }
        }
        var total = [Int32](repeating: 0, count: nr)
        var best = (0..<nr).map { NearestRow(bound: pairs.referenceErrorBound($0)) }
        for w in 0..<workers {
            for r in 0..<nr {
                total[r] += counts[w * nr + r]
                best[r].merge(nearest[w * nr + r])
            }
        }
        return TwoWayResult(queryInSomeReferenceBall: inSome, queryBallHoldsSomeReference: holds,
                            referenceInQueryBalls: total, nearestQuery: best.map(\.index),
                            nearestQuerySquaredDistance: best.map(\.distance), nearestQueryTies: best.map(\.ties))
    }
}

extension BallQuery {
    /// A float above which a tile entry lies outside a ball of squared
    /// radius `radius` (as a float) for every pair whose
    /// ``PairwiseDistances/errorBound(query:reference:)`` is at most
    /// `bound`, and is read so by the float comparison: radius + 2·bound,
    /// rounded up. Twice the bound covers the float rounding of the bound
    /// itself (a few ulps of it), so an entry above the threshold is
    /// farther than the per-pair bound from the radius, where a pass
    /// decides with the float entry, and above the radius. Skipping such
    /// entries leaves every decision as it was. +∞ radii never skip.
    @inline(__always)
    static func ballSkipThreshold(_ radius: Float, bound: Double) -> Float {
        floatCeiling(Double(radius) + 2 * bound)
    }
}

/// Outputs of a two-way pass. Preconditions: query slots are written by
/// the worker owning the query's block; reference slots at offset
/// worker × M only by that worker.
struct _UnsafeTwoWayOutputs: @unchecked Sendable {
    let inSome: UnsafeMutableBufferPointer<Bool>
    let holds: UnsafeMutableBufferPointer<Bool>
    let counts: UnsafeMutableBufferPointer<Int32>
    let nearest: UnsafeMutableBufferPointer<NearestRow>
}
