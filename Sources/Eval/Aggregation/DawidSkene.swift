import Foundation
import Synth
import SynthctlCore

/// Dawid–Skene (1979): each worker answers through their own confusion
/// matrix θ_w[true, observed]; the true classes have prior π. Fitted by EM in
/// log space.
///
/// - Start: the soft majority vote (each item's vote shares), as crowd-kit
///   does; gold items, when given, are fixed to their truth throughout.
/// - M-step: π = mean posterior; θ_w[k, l] ∝ α + Σ over w's answers l of the
///   posterior of k (α = `smoothing`, 0 by default), floored at 1e-10.
/// - E-step: log q_t(k) = log π_k + Σ_{answers (w, l) of t} log θ_w[k, l].
/// - Stop when the exact marginal log-likelihood
///   ℓ = Σ_t log Σ_k π_k Π θ_w[k, l] changes by less than `tolerance`·|ℓ|
///   (converged), or after `maxIterations` (not converged: the report says
///   so, with the last relative change, and more iterations may move labels).
///
/// crowd-kit stops on a quantity that adds the log prior once per answer
/// instead of once per item; it then stops after 2–3 iterations on some sets
/// (bluebird: 0.889 accuracy instead of 0.898 at convergence). ℓ here is the
/// objective EM actually increases, so it never goes down between iterations
/// (without gold clamping), and the report gives its final value and the
/// iteration count.
///
/// `oneCoin` is the one-coin variant (Zhang et al. 2016): a single skill
/// s_w per worker, θ_w[k, k] = s_w and θ_w[k, l] = (1 − s_w)/(K − 1) for l ≠ k,
/// with s_w the mean posterior of the answers w gave.
///
/// EM runs on the classes some answer uses (``AnsweredClasses``): a class
/// nobody answered has prior 0, posterior 0 on every item, a row of zeros
/// in θ, and K counts only the answered classes, so the results are those
/// of the same answers without it. (Floored at 1e-10 like the others, its
/// θ rows came out uniform and it won items no annotator had given it.)
public struct DawidSkene: Sendable {
    public struct Options: Sendable {
        /// EM iterations at most (`--max-iterations`).
        public var maxIterations = 100
        /// Relative change of ℓ below which EM has converged (`--tolerance`).
        public var tolerance = 1e-6
        public var smoothing = 0.0
        public var oneCoin = false
        /// Told as each EM iteration finishes, out of ``maxIterations``
        /// (never a result).
        public var progress = WorkProgress.silent
        public init() {}
    }

    /// Posterior over classes, items × classes.
    public let posterior: [Double]
    /// argmax of the posterior per item (lowest class on exact ties).
    public let labels: [Int32]
    public let prior: [Double]
    /// θ: workers × true class × observed class, rows summing to one.
    public let confusion: [Double]
    public let iterations: Int
    public let logLikelihood: Double
    public let converged: Bool
    /// |Δℓ| / |ℓ| at the last iteration (infinite after one iteration): the
    /// number to compare with the tolerance when EM did not converge.
    public let lastRelativeChange: Double

    /// Why the last relative change is undefined after one iteration.
    public static let firstIterationChange = "only one iteration ran, and the first has no previous log-likelihood to compare with (the start is a majority vote, not a fit)"

    /// ``lastRelativeChange`` as a reported value: undefined after a single
    /// iteration, whose change from the start (log-likelihood −∞) is infinite.
    public var relativeChange: MetricValue {
        lastRelativeChange.isFinite ? .defined(lastRelativeChange) : .undefined(Self.firstIterationChange)
    }
    public let classCount: Int
    public let options: Options

    /// - Parameter majority: the majority vote of `answers`, when the caller
    ///   already has it (its vote shares are the start).
    /// - Parameter threads: items are split into fixed chunks, each with its
    ///   own accumulators summed in chunk order, so results are identical for
    ///   any thread count.
    /// - Parameter gold: items whose class is known, clamped to it; a gold
    ///   class that no answer uses cannot be clamped to (it is out of EM),
    ///   and such an item is treated as one without gold.
    public init(_ answers: AnswerSet, gold: GoldLabels? = nil, options: Options = Options(), majority: MajorityVote? = nil,
                threads: Int = Parallel.coreCount) {
        if let answered = AnsweredClasses(answers) {
            self = DawidSkene(expanding: DawidSkene(answered.answers, gold: answered.restrict(gold), options: options, threads: threads),
                              answered)
            return
        }
        let k = answers.classCount, w = answers.workerCount, n = answers.itemCount
        self.options = options
        classCount = k
        var q = (majority ?? MajorityVote(answers)).shares
        let truth = gold?.truth ?? []
        for (t, c) in truth.enumerated() where c >= 0 {
            for l in 0..<k { q[t * k + l] = l == Int(c) ? 1 : 0 }
        }
        let chunks = Self.chunks(items: n, accumulatorSize: w * k * k + k)
        let steps = _UnsafeDawidSkeneSteps(answers: answers, classes: k, truth: truth, oneCoin: options.oneCoin)
        // Sufficient statistics of the current posteriors, per chunk:
        // Σ posteriors (the prior, k) then Σ per worker (observed × true).
        var statistics = [Double](repeating: 0, count: chunks.count * steps.accumulatorSize)
        statistics.withUnsafeMutableBufferPointer { s in
            q.withUnsafeMutableBufferPointer { q in
                Parallel.forEach(chunks.count, threads: threads) { c in
                    steps.accumulate(items: chunks[c], posterior: q, into: s.baseAddress! + c * steps.accumulatorSize)
                }
            }
        }
        var prior = [Double](repeating: 0, count: k)
        var logTheta = [Double](repeating: 0, count: w * k * k)  // [worker][observed][true]
        var ll = -Double.infinity, iterations = 0, converged = false, relativeChange = Double.infinity
        var chunkLL = [Double](repeating: 0, count: chunks.count)
        while iterations < options.maxIterations {
            iterations += 1
            defer { options.progress.step(options.oneCoin ? "one-coin Dawid–Skene iterations" : "Dawid–Skene iterations", of: options.maxIterations) }
            // M-step from the statistics, then a fused E-step that also
            // gathers the next statistics.
            steps.maximize(statistics: statistics, chunks: chunks.count, items: n, smoothing: options.smoothing,
                           prior: &prior, logTheta: &logTheta)
            let logPrior = prior.map { libmLog($0) }
            logTheta.withUnsafeBufferPointer { logTheta in
                q.withUnsafeMutableBufferPointer { q in
                    statistics.withUnsafeMutableBufferPointer { s in
                        chunkLL.withUnsafeMutableBufferPointer { chunkLL in
                            Parallel.forEach(chunks.count, threads: threads) { c in
                                chunkLL[c] = steps.expect(items: chunks[c], logPrior: logPrior, logTheta: logTheta, posterior: q,
                                                          statistics: s.baseAddress! + c * steps.accumulatorSize)
                            }
                        }
                    }
                }
            }
            let newLL = chunkLL.reduce(0, +)
            let change = abs(newLL - ll)
            ll = newLL
            // No change at all is a fixed point, even where ℓ = 0 (one class: every answer certain).
            relativeChange = change == 0 ? 0 : change / abs(ll)
            if change < options.tolerance * abs(ll) || change == 0 { converged = true; break }
        }
        lastRelativeChange = relativeChange
        posterior = q
        labels = (0..<n).map { t in
            var best = 0
            for c in 1..<max(k, 1) where q[t * k + c] > q[t * k + best] { best = c }
            return Int32(best)
        }
        self.prior = prior
        // Report θ as [worker][true][observed].
        var byTrue = [Double](repeating: 0, count: w * k * k)
        for v in 0..<w { for l in 0..<k { for c in 0..<k { byTrue[(v * k + c) * k + l] = libmExp(logTheta[(v * k + l) * k + c]) } } }
        confusion = byTrue
        self.iterations = iterations
        logLikelihood = ll
        self.converged = converged
    }

    /// A fit on the answered classes, reported over all of them (see ``AnsweredClasses``).
    private init(expanding fit: DawidSkene, _ answered: AnsweredClasses) {
        posterior = answered.expand(fit.posterior)
        labels = answered.expand(fit.labels)
        prior = answered.expand(fit.prior)
        confusion = answered.expandSquare(fit.confusion)
        iterations = fit.iterations
        logLikelihood = fit.logLikelihood
        converged = fit.converged
        lastRelativeChange = fit.lastRelativeChange
        classCount = answered.fullCount
        options = fit.options
    }

    /// One-coin only: worker v's skill s_v, θ_v[c, c] of every answered
    /// class c (all equal; an unanswered class's row is 0).
    public func skill(ofWorker v: Int) -> Double {
        let c = prior.firstIndex { $0 > 0 } ?? 0
        return confusion[(v * classCount + c) * classCount + c]
    }

    /// Fixed item ranges: at most 16, at least 4,096 items each, and at most
    /// 32 Mi doubles of accumulators in all. They depend only on the data's
    /// size, so every sum is the same for any thread count.
    static func chunks(items: Int, accumulatorSize: Int) -> [Range<Int>] {
        let pieces = max(1, min(16, items / 4096, (1 << 25) / max(1, accumulatorSize)))
        return (0..<pieces).map { p in (p * items / pieces)..<((p + 1) * items / pieces) }
    }

    /// Worker v's estimated accuracy, Σ_k π_k θ_v[k, k].
    public func accuracy(ofWorker v: Int) -> Double {
        (0..<classCount).reduce(0) { $0 + prior[$1] * confusion[(v * classCount + $1) * classCount + $1] }
    }
}

/// The inner loops of ``DawidSkene``, on raw buffers.
struct _UnsafeDawidSkeneSteps {
    let answers: AnswerSet
    let classes: Int
    /// Gold class per item or −1 (empty when there is no gold).
    let truth: [Int32]
    let oneCoin: Bool
    /// Per answer (item order), the offset of its (worker, observed) row of
    /// k in log θ and in the statistics: (worker · k + label) · k, or for
    /// one-coin 2 · worker (agreeing mass, count) with the label kept apart.
    let block: [Int32]
    /// The same rows' offsets in rows of ``vectorWidth`` (padded) for the
    /// vector E-step, when that is wider than k; empty otherwise.
    let vectorBlock: [Int32]

    /// Lanes of the SIMD vector that holds a row of k classes in the E-step
    /// (2, 4 or 8), or 0 when the scalar loops do (more than 8 classes).
    static func vectorWidth(classes k: Int) -> Int { k <= 2 ? 2 : k <= 4 ? 4 : k <= 8 ? 8 : 0 }

    init(answers: AnswerSet, classes k: Int, truth: [Int32], oneCoin: Bool) {
        self.answers = answers
        classes = k
        self.truth = truth
        self.oneCoin = oneCoin
        block = (0..<answers.answerCount).map { a in Int32((Int(answers.worker[a]) * k + Int(answers.label[a])) * k) }
        let width = Self.vectorWidth(classes: k)
        vectorBlock = oneCoin || width <= k ? [] : block.map { $0 / Int32(k) * Int32(width) }
    }

    /// Items per tile of the E-step.
    static let tile = 256

    /// Doubles per chunk of statistics: k for the prior, then workers × k × k
    /// (for one-coin: workers × 2, the agreeing mass and the answer count,
    /// padded to the same size; with one class, k × k = 1 is less than 2).
    var accumulatorSize: Int { classes + answers.workerCount * max(classes * classes, 2) }

    /// Adds item t's posterior to the statistics. Precondition: `s` is this
    /// chunk's own accumulator block.
    @inline(__always)
    func add(item t: Int, row: UnsafePointer<Double>, to s: UnsafeMutablePointer<Double>) {
        let k = classes
        for c in 0..<k { s[c] += row[c] }
        let answered = answers.itemStart[t]..<answers.itemStart[t + 1]
        if oneCoin {
            for a in answered {
                let v = Int(answers.worker[a]), l = Int(answers.label[a])
                s[k + 2 * v] += row[l]
                s[k + 2 * v + 1] += 1
            }
            return
        }
        block.withUnsafeBufferPointer { block in
            for a in answered {
                let out = s + k + Int(block[a])
                for c in 0..<k { out[c] += row[c] }
            }
        }
    }

    /// The statistics of the posteriors of `items`. Precondition: `s` is this
    /// chunk's accumulator block, which no other caller touches.
    func accumulate(items: Range<Int>, posterior q: UnsafeMutableBufferPointer<Double>, into s: UnsafeMutablePointer<Double>) {
        s.update(repeating: 0, count: accumulatorSize)
        for t in items { add(item: t, row: q.baseAddress! + t * classes, to: s) }
    }

    /// π and log θ from the chunks' statistics, summed in chunk order.
    func maximize(statistics: [Double], chunks: Int, items n: Int, smoothing: Double,
                  prior: inout [Double], logTheta: inout [Double]) {
        let k = classes, size = accumulatorSize, w = answers.workerCount
        var total = [Double](repeating: 0, count: size)
        for c in 0..<chunks { for i in 0..<size { total[i] += statistics[c * size + i] } }
        for c in 0..<k { prior[c] = max(total[c] / Double(n), 1e-10) }
        if oneCoin {
            for v in 0..<w {
                let s = min(max(total[k + 2 * v] / total[k + 2 * v + 1], 1e-10), 1 - 1e-10)
                let logSkill = libmLog(s), logOther = libmLog(max(k > 1 ? (1 - s) / Double(k - 1) : 0, 1e-10))
                for l in 0..<k { for c in 0..<k { logTheta[(v * k + l) * k + c] = l == c ? logSkill : logOther } }
            }
            return
        }
        for v in 0..<w {
            for c in 0..<k {
                var sum = 0.0
                for l in 0..<k {
                    let x = max(total[k + (v * k + l) * k + c] + smoothing, 1e-10)
                    logTheta[(v * k + l) * k + c] = x
                    sum += x
                }
                let logSum = libmLog(sum)
                for l in 0..<k { logTheta[(v * k + l) * k + c] = libmLog(logTheta[(v * k + l) * k + c]) - logSum }
            }
        }
    }

    /// The posteriors of `items` (written into their rows of `posterior`,
    /// gold items clamped), their statistics (into `s`), and their part of the
    /// log-likelihood, Σ_t log Σ_k π_k Π θ_w[k, l]. Precondition: no other
    /// caller writes these rows or `s`.
    ///
    /// With at most 8 classes (and not one-coin) a row of classes is one
    /// SIMD vector of 2, 4 or 8 lanes (``expect(items:logPrior:logTheta:posterior:statistics:as:)``),
    /// unless `classVectors` is false (tests compare the two paths).
    func expect(items: Range<Int>, logPrior: [Double], logTheta: UnsafeBufferPointer<Double>,
                posterior q: UnsafeMutableBufferPointer<Double>, statistics s: UnsafeMutablePointer<Double>,
                classVectors: Bool = true) -> Double {
        let k = classes
        s.update(repeating: 0, count: accumulatorSize)
        if classVectors && !oneCoin {
            switch Self.vectorWidth(classes: k) {
            case 2: return expect(items: items, logPrior: logPrior, logTheta: logTheta, posterior: q, statistics: s, as: SIMD2<Double>.self)
            case 4: return expect(items: items, logPrior: logPrior, logTheta: logTheta, posterior: q, statistics: s, as: SIMD4<Double>.self)
            case 8: return expect(items: items, logPrior: logPrior, logTheta: logTheta, posterior: q, statistics: s, as: SIMD8<Double>.self)
            default: break
            }
        }
        var ll = ItemLogLikelihoods()
        var tops = [Double](repeating: 0, count: Self.tile)
        // Tiles of items: log-posteriors first, then one flat exponential
        // over the tile (AVX2 or AVX-512 where the CPU has them, the same
        // bits: ``_UnsafeExpKernel``), then normalization and statistics.
        for tileStart in stride(from: items.lowerBound, to: items.upperBound, by: Self.tile) {
            let tileEnd = min(tileStart + Self.tile, items.upperBound)
            for t in tileStart..<tileEnd {
                let row = q.baseAddress! + t * k
                for c in 0..<k { row[c] = logPrior[c] }
                for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                    let from = logTheta.baseAddress! + Int(block[a])
                    for c in 0..<k { row[c] += from[c] }
                }
                var top = row[0]
                for c in 1..<k { top = max(top, row[c]) }
                for c in 0..<k { row[c] -= top }
                tops[t - tileStart] = top
            }
            let flat = q.baseAddress! + tileStart * k
            _UnsafeExpKernel.expInPlace(flat, count: (tileEnd - tileStart) * k)
            for t in tileStart..<tileEnd {
                let row = q.baseAddress! + t * k
                var sum = 0.0
                for c in 0..<k { sum += row[c] }
                ll.add(top: tops[t - tileStart], sum: sum)
                let scale = 1 / sum
                for c in 0..<k { row[c] *= scale }
                if !truth.isEmpty, truth[t] >= 0 {
                    for c in 0..<k { row[c] = c == Int(truth[t]) ? 1 : 0 }
                }
                add(item: t, row: row, to: s)
            }
        }
        return ll.total
    }

    /// ``expect(items:logPrior:logTheta:posterior:statistics:classVectors:)``
    /// with each row of classes one vector `V` of `V.scalarCount` ≥ k lanes
    /// (lanes past k padding): the loops over classes with a run-time k were
    /// the E-step's cost (0.0175 → 0.0091 s for 100,000 items × 5 answers ×
    /// 4 classes, 10 iterations, on 2 threads), and Swift compiles for SSE2,
    /// so a vector of 4 is two instructions, not four times a loop's
    /// bookkeeping. The same bits as the scalar path: every lane does the
    /// scalar path's operations in its order (sums over answers lane by
    /// lane; the largest and the row's sum taken over the first k lanes in
    /// class order, as there).
    ///
    /// With padding (k < `V.scalarCount`), log θ is copied into rows of
    /// `V.scalarCount` (padding 0) and the statistics gathered in such rows
    /// and copied into `s` at the end; a tile's rows are worked on in a
    /// scratch of such rows and only their k classes written to `q`.
    /// Precondition: k ≤ `V.scalarCount`, not one-coin; `s` is zeroed.
    private func expect<V: SIMD>(items: Range<Int>, logPrior: [Double], logTheta: UnsafeBufferPointer<Double>,
                                 posterior q: UnsafeMutableBufferPointer<Double>, statistics s: UnsafeMutablePointer<Double>,
                                 as _: V.Type) -> Double where V.Scalar == Double {
        let k = classes, width = V.scalarCount
        precondition(k <= width && !oneCoin, "one vector per row of classes")
        let padded = k < width
        var prior = V()
        for c in 0..<k { prior[c] = logPrior[c] }
        // Log θ's rows, and the statistics' (the prior, then a row per worker and observed class), `width` apart.
        let thetaRows = padded ? Self.paddedRows(logTheta, rows: answers.workerCount * k, classes: k, width: width) : []
        var paddedStatistics = [Double](repeating: 0, count: padded ? width * (1 + answers.workerCount * k) : 0)
        var ll = ItemLogLikelihoods()
        // A tile's rows: `width` apart; in `q` itself when there is no padding.
        var scratch = [Double](repeating: 0, count: padded ? Self.tile * width : 0)
        var tops = [Double](repeating: 0, count: Self.tile)
        let rowBytes = MemoryLayout<Double>.stride * width
        thetaRows.withUnsafeBufferPointer { thetaRows in
            paddedStatistics.withUnsafeMutableBufferPointer { paddedStatistics in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let theta = UnsafeRawPointer(padded ? thetaRows.baseAddress! : logTheta.baseAddress!)
                    let statistics = UnsafeMutableRawPointer(padded ? paddedStatistics.baseAddress! : s)
                    answers.itemStart.withUnsafeBufferPointer { itemStart in
                        (padded ? vectorBlock : block).withUnsafeBufferPointer { block in
                            tops.withUnsafeMutableBufferPointer { tops in
                                for tileStart in stride(from: items.lowerBound, to: items.upperBound, by: Self.tile) {
                                    let tileEnd = min(tileStart + Self.tile, items.upperBound)
                                    // Row t of the tile: at (t − first) · width in the scratch, or row t of q.
                                    let first = padded ? tileStart : 0
                                    let rows = padded ? UnsafeMutableRawPointer(scratch.baseAddress!) : UnsafeMutableRawPointer(q.baseAddress!)
                                    for t in tileStart..<tileEnd {
                                        var row = prior
                                        for a in itemStart[t]..<itemStart[t + 1] {
                                            row += theta.loadUnaligned(fromByteOffset: Int(block[a]) &* 8, as: V.self)
                                        }
                                        var top = row[0]
                                        for c in 1..<k { top = max(top, row[c]) }
                                        row -= V(repeating: top)
                                        rows.storeBytes(of: row, toByteOffset: (t - first) &* rowBytes, as: V.self)
                                        tops[t - tileStart] = top
                                    }
                                    let exponents = padded ? scratch.baseAddress! : q.baseAddress! + tileStart * k
                                    _UnsafeExpKernel.expInPlace(exponents, count: (tileEnd - tileStart) * width)
                                    for t in tileStart..<tileEnd {
                                        var row = rows.loadUnaligned(fromByteOffset: (t - first) &* rowBytes, as: V.self)
                                        var sum = 0.0
                                        for c in 0..<k { sum += row[c] }
                                        ll.add(top: tops[t - tileStart], sum: sum)
                                        row *= V(repeating: 1 / sum)
                                        if !truth.isEmpty, truth[t] >= 0 {
                                            row = V()
                                            row[Int(truth[t])] = 1
                                        }
                                        if padded {
                                            for c in 0..<k { q[t * k + c] = row[c] }
                                        } else {
                                            rows.storeBytes(of: row, toByteOffset: t &* rowBytes, as: V.self)
                                        }
                                        // The statistics: the prior's row, then each answer's (worker, observed) row.
                                        statistics.storeBytes(of: statistics.loadUnaligned(as: V.self) + row, as: V.self)
                                        for a in itemStart[t]..<itemStart[t + 1] {
                                            let offset = (width &+ Int(block[a])) &* 8
                                            statistics.storeBytes(of: statistics.loadUnaligned(fromByteOffset: offset, as: V.self) + row,
                                                                  toByteOffset: offset, as: V.self)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if padded {
            // Into the statistics' own layout: k for the prior, then rows of k.
            for r in 0..<(1 + answers.workerCount * k) {
                for c in 0..<k { s[r * k + c] = paddedStatistics[r * width + c] }
            }
        }
        return ll.total
    }

    /// `rows` rows of `classes` doubles, each followed by zeros up to `width`.
    private static func paddedRows(_ values: UnsafeBufferPointer<Double>, rows: Int, classes k: Int, width: Int) -> [Double] {
        var out = [Double](repeating: 0, count: rows * width)
        for r in 0..<rows { for c in 0..<k { out[r * width + c] = values[r * k + c] } }
        return out
    }
    /// Σ_t log Σ_k exp(r_t,k) over the items of an E-step, from each item's
    /// largest log-posterior term (`top`) and the sum of its exponentials
    /// after subtracting it (`sum`): the tops added up, and Σ_t log(sum_t)
    /// as the log of one product. A million libm `log` calls (an item each,
    /// every iteration) were a quarter of the E-step's time. Each sum_t is
    /// in [1, k] (its largest term is exp(0)), so the product only grows; at
    /// 2⁵¹² its binary exponent moves to `productExponent` (exact), which
    /// keeps it far from overflow for any class count below 2⁵¹¹. The
    /// product's rounding is at most one half-ulp a factor: relative 1e-11
    /// after 100,000 items, 1e-11 in ℓ, against a stopping test at 1e-6·|ℓ|.
    struct ItemLogLikelihoods {
        private var tops = 0.0, product = 1.0, productExponent = 0

        @inline(__always)
        mutating func add(top: Double, sum: Double) {
            tops += top
            product *= sum
            if product >= 0x1p512 {
                productExponent += Int(product.exponent)
                product = product.significand
            }
        }

        var total: Double { tops + (libmLog(product) + Double(productExponent) * _UnsafeDawidSkeneSteps.logOfTwo) }
    }

    /// ln 2, rounded to the nearest Double.
    static let logOfTwo = 0.6931471805599453
}
