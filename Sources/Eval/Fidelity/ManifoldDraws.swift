import Synth
import SynthctlCore

/// Precision, recall, density and coverage (``ManifoldMetrics``) of several
/// subsamples ("draws") of one candidate set against the same real rows and
/// real radii, from one pass over the real × candidate distances instead of
/// one pass per draw.
///
/// Against fixed real balls, what a candidate row contributes does not
/// depend on the draw it is in:
/// - precision and density of a draw are the mean over its rows of "held by
///   some real ball" and of "real balls holding it" / k: a count per
///   candidate row, summed over the draw;
/// - coverage: real row i is covered by a draw when a drawn row lies in
///   i's ball. The pass keeps, per real row, the candidate rows inside its
///   ball (about k per real row on average).
///
/// Only recall needs the draw's own radii (each drawn row's k-NN radius
/// within the draw, always at least its radius within the whole set). The
/// pass keeps every (real row, candidate row) pair within the largest
/// radius the candidate row has in any draw, with its exact distance, and
/// each draw tests its own radius on those pairs.
///
/// Every ball membership is decided as ``BallQuery`` decides it: the exact
/// Double squared distance against the exact squared radius, so each
/// draw's four numbers are those ``ManifoldMetrics`` gives on the draw's
/// rows, as the same count / size expressions (identical bits). The kept
/// pairs are bounded (`pairLimit`); past it the initializer returns nil and
/// the caller measures each draw on its own.
struct ManifoldDraws {
    /// One draw's values, in the order precision, recall, density, coverage.
    struct Values {
        let precision: Double
        let recall: Double
        let density: Double
        let coverage: Double

        init(precision: Double, recall: Double, density: Double, coverage: Double) {
            (self.precision, self.recall, self.density, self.coverage) = (precision, recall, density, coverage)
        }

        /// The four of a draw measured on its own.
        init(_ m: ManifoldMetrics) {
            (precision, recall, density, coverage) = (m.precision, m.recall, m.density, m.coverage)
        }
    }

    /// Per draw, in the order of `draws`.
    let values: [Values]

    /// - Parameters:
    ///   - real, realRadii: the real rows and their k-NN radii (squared).
    ///   - candidate: the set the draws are taken from, same columns.
    ///   - draws: each draw's rows of `candidate` (distinct, in any order)
    ///     and the draw's k-NN radii within itself, in the same order.
    ///   - pairLimit: the most (real, candidate) pairs kept; nil is
    ///     returned beyond it. Default 64 per real or candidate row (about
    ///     1 KiB a row at 16 bytes a pair).
    init?(real: Matrix, realRadii: ManifoldMetrics.Radii, candidate: Matrix,
          draws: [(rows: [Int], radii: ManifoldMetrics.Radii)], boundary: BallQuery.Boundary,
          pairLimit: Int? = nil, threads: Int = Parallel.coreCount) {
        let n = real.rows, m = candidate.rows, k = realRadii.k
        precondition(real.columns == candidate.columns && realRadii.kth.count == n)
        // The largest squared radius each candidate row has in any draw (−∞ in none).
        var largest = [Double](repeating: -.infinity, count: m)
        for draw in draws {
            precondition(draw.radii.k == k && draw.radii.kth.count == draw.rows.count)
            for (at, j) in draw.rows.enumerated() { largest[j] = max(largest[j], draw.radii.kth[at]) }
        }
        let limit = pairLimit ?? 64 * (n + m)
        let pairs = PairwiseDistances(queries: real, references: candidate)
        guard let found = Self.pass(pairs, realRadii: realRadii.kth, largestDrawRadii: largest, boundary: boundary,
                                    limit: limit, threads: threads) else { return nil }
        var inDraw = [Double](repeating: .nan, count: m)  // the row's squared radius in the current draw
        var reached = [Bool](repeating: false, count: n)
        values = draws.map { draw in
            for (at, j) in draw.rows.enumerated() { inDraw[j] = draw.radii.kth[at] }
            defer { for j in draw.rows { inDraw[j] = .nan } }
            let size = Double(draw.rows.count), realCount = Double(n)
            let held = draw.rows.lazy.filter { found.ballCounts[$0] > 0 }.count
            let inBalls = draw.rows.reduce(0) { $0 + Int(found.ballCounts[$1]) }
            for i in reached.indices { reached[i] = false }
            for pair in found.inRealBall where !inDraw[Int(pair.candidate)].isNaN { reached[Int(pair.real)] = true }
            let covered = reached.lazy.filter { $0 }.count
            for i in reached.indices { reached[i] = false }
            for pair in found.nearCandidate {
                let radius = inDraw[Int(pair.candidate)]
                if !radius.isNaN, boundary.holds(pair.squaredDistance, radius) { reached[Int(pair.real)] = true }
            }
            let recalled = reached.lazy.filter { $0 }.count
            return Values(precision: Double(held) / size, recall: Double(recalled) / realCount,
                          density: Double(inBalls) / (Double(k) * size), coverage: Double(covered) / realCount)
        }
    }

    /// What the one pass keeps.
    struct Found {
        /// Per candidate row: how many real balls hold it.
        var ballCounts: [Int32]
        /// (real, candidate) with the candidate inside the real row's ball.
        var inRealBall: [(real: Int32, candidate: Int32)]
        /// (real, candidate, exact squared distance) with the distance at
        /// most the candidate's largest radius in any draw.
        var nearCandidate: [(real: Int32, candidate: Int32, squaredDistance: Double)]
    }

    /// One pass over the tiles; candidate-side counts and the pair lists go
    /// to per-worker scratch, merged in worker order. Nil past `limit` pairs.
    static func pass(_ pairs: PairwiseDistances, realRadii: [Double], largestDrawRadii: [Double],
                     boundary: BallQuery.Boundary, limit: Int, threads: Int) -> Found? {
        let m = pairs.referenceCount, workers = pairs.workerCount(threads: threads)
        let realF = realRadii.map { Float($0) }
        // A candidate pair needs an exact look when its tile entry may lie within the largest draw radius.
        let nearF = (0..<m).map { j in
            largestDrawRadii[j] == -.infinity ? -Float.infinity : floatCeiling(largestDrawRadii[j] + pairs.referenceErrorBound(j))
        }
        // Above it an entry is outside the real row's ball, read from the
        // float entry (``BallQuery/ballSkipThreshold(_:bound:)``).
        let skipF = (0..<pairs.queryCount).map { BallQuery.ballSkipThreshold(realF[$0], bound: pairs.queryErrorBound($0)) }
        let scratch = (0..<workers).map { _ in _ManifoldDrawsScratch(candidates: m) }
        let perWorkerLimit = limit / workers + 1
        pairs.forEachTile(threads: threads) { tile in
            let s = scratch[tile.worker]
            guard !s.overflowed else { return }
            for i in 0..<tile.queryCount {
                let q = tile.queryStart + i, row = tile.row(i)
                let radiusF = realF[q], radius = realRadii[q], skip = skipF[q]
                for j in 0..<tile.referenceCount {
                    let r = tile.referenceStart + j, d = row[j]
                    // Neither held nor near: nothing to record.
                    if d > skip && d > nearF[r] { continue }
                    var exact: Double? = nil
                    let held: Bool
                    if abs(d - radiusF) <= pairs.errorBound(query: q, reference: r) {
                        let e = pairs.exactSquaredDistance(query: q, reference: r)
                        exact = e
                        held = boundary.holds(e, radius)
                    } else {
                        held = boundary.holds(d, radiusF)
                    }
                    if held {
                        s.ballCounts[r] += 1
                        s.inRealBall.append((Int32(q), Int32(r)))
                    }
                    if d <= nearF[r] {
                        let e = exact ?? pairs.exactSquaredDistance(query: q, reference: r)
                        if e <= largestDrawRadii[r] { s.nearCandidate.append((Int32(q), Int32(r), e)) }
                    }
                }
            }
            if s.inRealBall.count + s.nearCandidate.count > perWorkerLimit { s.overflowed = true }
        }
        guard !scratch.contains(where: \.overflowed) else { return nil }
        var found = Found(ballCounts: [Int32](repeating: 0, count: m), inRealBall: [], nearCandidate: [])
        for s in scratch {
            for j in 0..<m { found.ballCounts[j] += s.ballCounts[j] }
            found.inRealBall += s.inRealBall
            found.nearCandidate += s.nearCandidate
        }
        return found
    }
}

/// One worker's share of a ``ManifoldDraws`` pass. Precondition: used by
/// the one worker whose number it carries (``DistanceTile/worker``), so its
/// arrays are never written concurrently.
final class _ManifoldDrawsScratch: @unchecked Sendable {
    var ballCounts: [Int32]
    var inRealBall: [(real: Int32, candidate: Int32)] = []
    var nearCandidate: [(real: Int32, candidate: Int32, squaredDistance: Double)] = []
    var overflowed = false

    init(candidates m: Int) { ballCounts = [Int32](repeating: 0, count: m) }
}
