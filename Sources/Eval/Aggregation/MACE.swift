import Foundation
import Synth
import SynthctlCore

/// MACE (Hovy et al. 2013): worker w either knows the answer (probability
/// κ_w) and gives the true class, or spams (probability s_w = 1 − κ_w) and
/// draws a label from their own strategy ξ_w, whatever the truth:
/// P(l | k) = s_w ξ_w(l) + κ_w [l = k]. The class prior is uniform.
///
/// Each restart starts from its own random draw — κ, s and ξ from
/// Uniform(1, 1 + noise), normalized, as crowd-kit draws them — and runs a
/// fixed number of EM iterations; the restart with the highest log marginal
/// likelihood wins. crowd-kit seeds every restart with the same
/// `random_state`, so its ten restarts are one run ten times; here restart r
/// draws from substream r of the seed.
///
/// E-step (in log space; crowd-kit multiplies probabilities): posteriors
/// p_t, and per answer the expected "knowing" mass p_t(l) κ/(s ξ(l) + κ).
/// M-step, variational (the default, as in MACE and crowd-kit): with K_w and
/// S_w the expected knowing and spamming counts and C_w(l) the expected
/// spamming answers of label l, κ = e^{ψ(K + β)}/e^{ψ(K + S + α + β)},
/// s = e^{ψ(S + α)}/e^{ψ(K + S + α + β)} (Beta(α, β) = Beta(0.5, 0.5)) and
/// ξ(l) = e^{ψ(C(l) + 10)}/e^{ψ(Σ C + 10K)} (Dirichlet(10)). The EM variant
/// normalizes counts plus 0.01/K instead.
///
/// K counts the classes some answer uses (``AnsweredClasses``): a class
/// nobody answered has posterior 0 and strategy 0, and the uniform prior and
/// the strategies' Dirichlet(10) spread over the answered classes only, so
/// the results (restart draws included) are those of the answers without it.
public struct MACE: Sendable {
    public enum Method: String, Sendable { case variational = "vb", em }

    public struct Options: Sendable {
        public var restarts = 10
        public var iterations = 50
        public var method = Method.variational
        public var seed: UInt64 = 0
        /// Initial draws come from Uniform(1, 1 + noise).
        public var noise = 0.5
        public var alpha = 0.5, beta = 0.5
        public init() {}
    }

    /// What one restart fits (the model's parameters, not settings: those
    /// are ``Options``): per worker the probabilities of spamming and of
    /// knowing the answer, and the spamming strategy over classes (workers ×
    /// classes, row-major).
    public struct FittedValues: Sendable, Equatable {
        public var spamming: [Double], knowing: [Double], strategy: [Double]
        public init(spamming: [Double], knowing: [Double], strategy: [Double]) {
            self.spamming = spamming
            self.knowing = knowing
            self.strategy = strategy
        }
    }

    public let posterior: [Double]
    public let labels: [Int32]
    /// The winning restart's fitted values.
    public let fitted: FittedValues
    /// Log marginal likelihood of every restart, and which one won.
    public let restartLogLikelihoods: [Double]
    public let bestRestart: Int
    public let options: Options

    /// Worker w's probability of knowing the answer, normalized
    /// (variational parameters need not sum to one).
    public func competence(ofWorker v: Int) -> Double { fitted.knowing[v] / (fitted.knowing[v] + fitted.spamming[v]) }

    public init(_ answers: AnswerSet, options: Options = Options()) {
        if let answered = AnsweredClasses(answers) {
            self = MACE(expanding: MACE(answered.answers, options: options), answered)
            return
        }
        let starts = (0..<max(1, options.restarts)).map { Self.randomStart(answers, seed: options.seed, restart: $0, noise: options.noise) }
        self.init(answers, starts: starts, options: options)
    }

    /// A fit on the answered classes, reported over all of them (see ``AnsweredClasses``).
    private init(expanding fit: MACE, _ answered: AnsweredClasses) {
        posterior = answered.expand(fit.posterior)
        labels = answered.expand(fit.labels)
        var p = fit.fitted
        p.strategy = answered.expand(p.strategy)
        fitted = p
        restartLogLikelihoods = fit.restartLogLikelihoods
        bestRestart = fit.bestRestart
        options = fit.options
    }

    /// Runs one restart from each of `starts` (for tests that replay another
    /// tool's initial draws), over every class of `answers`, used or not.
    public init(_ answers: AnswerSet, starts: [FittedValues], options: Options = Options()) {
        precondition(!starts.isEmpty)
        self.options = options
        var best: (Double, FittedValues, [Double])? = nil
        var logLikelihoods = [Double](), winner = 0
        for (r, start) in starts.enumerated() {
            var parameters = start
            var (ll, q, counts) = Self.expect(answers, parameters)
            for _ in 0..<options.iterations {
                parameters = Self.maximize(answers, counts, options)
                (ll, q, counts) = Self.expect(answers, parameters)
            }
            logLikelihoods.append(ll)
            if best == nil || ll > best!.0 { best = (ll, parameters, q); winner = r }
        }
        let k = answers.classCount, q = best!.2
        posterior = q
        fitted = best!.1
        restartLogLikelihoods = logLikelihoods
        bestRestart = winner
        labels = (0..<answers.itemCount).map { t in
            var top = 0
            for c in 1..<max(k, 1) where q[t * k + c] > q[t * k + top] { top = c }
            return Int32(top)
        }
    }

    /// Restart `restart`'s initial draws from the seed.
    static func randomStart(_ answers: AnswerSet, seed: UInt64, restart: Int, noise: Double) -> FittedValues {
        let w = answers.workerCount, k = answers.classCount
        let stream = RandomStream(seed: seed, .maceRestarts, index: restart)
        func draw(_ row: Int, _ j: Int) -> Double { 1 + (1 + noise) * stream.uniform(row: UInt64(row), draw: UInt32(j)) }
        var spamming = [Double](), knowing = [Double](), strategy = [Double]()
        for v in 0..<w {
            let s = draw(v, 0), kn = draw(v, 1)
            spamming.append(s / (s + kn)); knowing.append(kn / (s + kn))
            let row = (0..<k).map { draw(v, 2 + $0) }
            let total = row.reduce(0, +)
            strategy += row.map { $0 / total }
        }
        return FittedValues(spamming: spamming, knowing: knowing, strategy: strategy)
    }

    /// Expected counts per worker: knowing, spamming, then spamming per label.
    typealias Counts = [Double]

    /// Posteriors, the log marginal likelihood and the expected counts.
    static func expect(_ answers: AnswerSet, _ p: FittedValues) -> (Double, [Double], Counts) {
        let k = answers.classCount, n = answers.itemCount
        var q = [Double](repeating: 0, count: n * k)
        var counts = Counts(repeating: 0, count: answers.workerCount * (2 + k))
        var ll = 0.0
        let logK = libmLog(Double(k))
        var row = [Double](repeating: 0, count: k)
        for t in 0..<n {
            var base = -logK
            for c in 0..<k { row[c] = 0 }
            for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                let v = Int(answers.worker[a]), l = Int(answers.label[a])
                let spam = p.spamming[v] * p.strategy[v * k + l]
                base += libmLog(spam)
                row[l] += libmLog(spam + p.knowing[v]) - libmLog(spam)
            }
            var top = -Double.infinity
            for c in 0..<k { row[c] += base; top = max(top, row[c]) }
            var sum = 0.0
            for c in 0..<k { row[c] = libmExp(row[c] - top); sum += row[c] }
            ll += top + libmLog(sum)
            for c in 0..<k { q[t * k + c] = row[c] / sum }
            for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                let v = Int(answers.worker[a]), l = Int(answers.label[a])
                let spam = p.spamming[v] * p.strategy[v * k + l]
                let knowing = q[t * k + l] * p.knowing[v] / (spam + p.knowing[v])
                counts[v * (2 + k)] += knowing
                counts[v * (2 + k) + 1] += 1 - knowing
                counts[v * (2 + k) + 2 + l] += 1 - knowing
            }
        }
        return (ll, q, counts)
    }

    static func maximize(_ answers: AnswerSet, _ counts: Counts, _ o: Options) -> FittedValues {
        let k = answers.classCount, w = answers.workerCount
        var spamming = [Double](repeating: 0, count: w), knowing = spamming
        var strategy = [Double](repeating: 0, count: w * k)
        for v in 0..<w {
            let kn = counts[v * (2 + k)], sp = counts[v * (2 + k) + 1]
            let byLabel = counts[(v * (2 + k) + 2)..<((v + 1) * (2 + k))]
            switch o.method {
            case .variational:
                let norm = libmExp(digamma(kn + sp + o.alpha + o.beta))
                spamming[v] = libmExp(digamma(sp + o.alpha)) / norm
                knowing[v] = libmExp(digamma(kn + o.beta)) / norm
                let strategyNorm = libmExp(digamma(byLabel.reduce(0, +) + 10 * Double(k)))
                for (l, c) in byLabel.enumerated() { strategy[v * k + l] = libmExp(digamma(c + 10)) / strategyNorm }
            case .em:
                let smoothing = 0.01 / Double(k)
                spamming[v] = (sp + smoothing) / (kn + sp + 2 * smoothing)
                knowing[v] = (kn + smoothing) / (kn + sp + 2 * smoothing)
                let total = byLabel.reduce(0, +) + Double(k) * smoothing
                for (l, c) in byLabel.enumerated() { strategy[v * k + l] = (c + smoothing) / total }
            }
        }
        return FittedValues(spamming: spamming, knowing: knowing, strategy: strategy)
    }
}
