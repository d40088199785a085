import Foundation
import Synth

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
///   ℓ = Σ_t log Σ_k π_k Π θ_w[k, l] changes by less than `tolerance`·|ℓ|,
///   or after `maxIterations`.
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
public struct DawidSkene: Sendable {
    public struct Options: Sendable {
        public var maxIterations = 100
        public var tolerance = 1e-6
        public var smoothing = 0.0
        public var oneCoin = false
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
    public let classCount: Int
    public let options: Options

    /// - Parameter majority: the majority vote of `answers`, when the caller
    ///   already has it (its vote shares are the start).
    public init(_ answers: AnswerSet, gold: GoldLabels? = nil, options: Options = Options(), majority: MajorityVote? = nil) {
        let k = answers.classCount, w = answers.workerCount, n = answers.itemCount
        self.options = options
        classCount = k
        var q = (majority ?? MajorityVote(answers)).shares
        func clampGold() {
            guard let gold else { return }
            for (t, truth) in gold.truth.enumerated() where truth >= 0 {
                for c in 0..<k { q[t * k + c] = c == Int(truth) ? 1 : 0 }
            }
        }
        clampGold()
        var prior = [Double](repeating: 0, count: k)
        var theta = [Double](repeating: 0, count: w * k * k)  // stored [w][observed][true]
        var logTheta = theta
        var ll = -Double.infinity, iterations = 0, converged = false
        var logRow = [Double](repeating: 0, count: k)
        while iterations < options.maxIterations {
            iterations += 1
            // M-step.
            for c in 0..<k { prior[c] = 0 }
            for t in 0..<n { for c in 0..<k { prior[c] += q[t * k + c] } }
            for c in 0..<k { prior[c] = max(prior[c] / Double(n), 1e-10) }
            if options.oneCoin {
                var skillSum = [Double](repeating: 0, count: w), answered = [Double](repeating: 0, count: w)
                for a in 0..<answers.answerCount {
                    let who = Int(answers.worker[a])
                    skillSum[who] += q[Int(answers.item[a]) * k + Int(answers.label[a])]
                    answered[who] += 1
                }
                for v in 0..<w {
                    let s = min(max(skillSum[v] / answered[v], 1e-10), 1 - 1e-10)
                    let other = k > 1 ? (1 - s) / Double(k - 1) : 0
                    for l in 0..<k { for c in 0..<k { theta[(v * k + l) * k + c] = l == c ? s : max(other, 1e-10) } }
                }
            } else {
                for i in theta.indices { theta[i] = options.smoothing }
                for a in 0..<answers.answerCount {
                    let base = (Int(answers.worker[a]) * k + Int(answers.label[a])) * k, row = Int(answers.item[a]) * k
                    for c in 0..<k { theta[base + c] += q[row + c] }
                }
                for v in 0..<w {
                    for c in 0..<k {
                        var total = 0.0
                        for l in 0..<k { theta[(v * k + l) * k + c] = max(theta[(v * k + l) * k + c], 1e-10); total += theta[(v * k + l) * k + c] }
                        for l in 0..<k { theta[(v * k + l) * k + c] /= total }
                    }
                }
            }
            for i in theta.indices { logTheta[i] = log(theta[i]) }
            // E-step and the log-likelihood.
            var newLL = 0.0
            let logPrior = prior.map { log($0) }
            for t in 0..<n {
                for c in 0..<k { logRow[c] = logPrior[c] }
                for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                    let base = (Int(answers.worker[a]) * k + Int(answers.label[a])) * k
                    for c in 0..<k { logRow[c] += logTheta[base + c] }
                }
                let top = logRow.max()!
                var sum = 0.0
                for c in 0..<k { logRow[c] = exp(logRow[c] - top); sum += logRow[c] }
                newLL += top + log(sum)
                for c in 0..<k { q[t * k + c] = logRow[c] / sum }
            }
            clampGold()
            let change = abs(newLL - ll)
            ll = newLL
            if change < options.tolerance * abs(ll) { converged = true; break }
        }
        posterior = q
        labels = (0..<n).map { t in
            var best = 0
            for c in 1..<max(k, 1) where q[t * k + c] > q[t * k + best] { best = c }
            return Int32(best)
        }
        self.prior = prior
        // Report θ as [worker][true][observed].
        var byTrue = [Double](repeating: 0, count: w * k * k)
        for v in 0..<w { for l in 0..<k { for c in 0..<k { byTrue[(v * k + c) * k + l] = theta[(v * k + l) * k + c] } } }
        confusion = byTrue
        self.iterations = iterations
        logLikelihood = ll
        self.converged = converged
    }

    /// Worker v's estimated accuracy, Σ_k π_k θ_v[k, k].
    public func accuracy(ofWorker v: Int) -> Double {
        (0..<classCount).reduce(0) { $0 + prior[$1] * confusion[(v * classCount + $1) * classCount + $1] }
    }
}
