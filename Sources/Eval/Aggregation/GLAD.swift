import Foundation
import Synth
import SynthctlCore

/// GLAD (Whitehill et al. 2009): worker w has ability α_w, item t difficulty
/// through β_t = e^{b_t}; w answers item t correctly with probability
/// σ(α_w β_t) and otherwise picks one of the K − 1 wrong classes uniformly.
///
/// Fitted as crowd-kit does — uniform class prior, α = b = 1 at the start,
/// N(1, 1) priors on every α_w and b_t — but by EM to convergence of the
/// exact objective: the log posterior
/// ℓ = Σ_t log Σ_k π_k Π_{answers (w, l) of t} P(l | k) − ½Σ(α_w − 1)² − ½Σ(b_t − 1)²
/// (constants dropped), which never decreases from one iteration to the next
/// because each M-step increases Q. The M-step maximizes
/// Q = Σ_answers [p_t(l) log σ + (1 − p_t(l))(log(1 − σ) − log(K − 1))] + priors
/// with L-BFGS (crowd-kit: 25 conjugate-gradient steps to 1e-2), whose
/// gradients are Σ_{answers of w} (p_t(l) − σ) β_t − (α_w − 1) and
/// Σ_{answers of t} (p_t(l) − σ) α_w β_t − (b_t − 1).
///
/// K counts the classes some answer uses (``AnsweredClasses``): a class
/// nobody answered gets posterior 0 and does not dilute a wrong answer's
/// 1/(K − 1), so the results are those of the answers without it.
public struct GLAD: Sendable {
    public struct Options: Sendable {
        public var maxIterations = 500
        /// Stop when ℓ changes by less than this times |ℓ|. GLAD's EM creeps
        /// (the item difficulties move slowly), so the default is tighter
        /// than Dawid–Skene's.
        public var tolerance = 1e-10
        /// L-BFGS iterations per M-step (warm-started from the last one).
        public var mStepIterations = 50
        public init() {}
    }

    /// Posterior over classes, items × classes.
    public let posterior: [Double]
    public let labels: [Int32]
    /// Worker abilities α_w (negative: adversarial).
    public let abilities: [Double]
    /// Item difficulties b_t (larger β = e^b: easier item).
    public let difficulties: [Double]
    public let iterations: Int
    public let logPosterior: Double
    public let converged: Bool
    /// |Δℓ| / |ℓ| at the last iteration (0 with fewer than two classes).
    public let lastRelativeChange: Double
    public let options: Options

    /// log(1 + eˣ) without overflow.
    static func softplus(_ x: Double) -> Double { max(x, 0) + libmLog1p(libmExp(-abs(x))) }

    /// The log posterior ℓ at given abilities and difficulties (to compare
    /// optima: another tool's parameters can be scored here).
    public static func logPosterior(_ answers: AnswerSet, abilities: [Double], difficulties: [Double]) -> Double {
        expect(answers, abilities: abilities, difficulties: difficulties, truth: []).0
    }

    /// ℓ and the posteriors (gold items clamped) at (α, b).
    static func expect(_ answers: AnswerSet, abilities alpha: [Double], difficulties b: [Double], truth: [Int32]) -> (Double, [Double]) {
        let k = answers.classCount, n = answers.itemCount
        let logWrong = libmLog(Double(max(k - 1, 1)))
        var q = [Double](repeating: 0, count: n * k)
        var total = 0.0
        var row = [Double](repeating: 0, count: k)
        for t in 0..<n {
            let beta = libmExp(b[t])
            var base = 0.0
            for c in 0..<k { row[c] = 0 }
            for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                let x = alpha[Int(answers.worker[a])] * beta
                let logRight = -softplus(-x), logOther = -softplus(x) - logWrong
                base += logOther
                row[Int(answers.label[a])] += logRight - logOther
            }
            var top = -Double.infinity
            for c in 0..<k { row[c] += base - libmLog(Double(k)); top = max(top, row[c]) }
            var sum = 0.0
            for c in 0..<k { row[c] = libmExp(row[c] - top); sum += row[c] }
            total += top + libmLog(sum)
            for c in 0..<k { q[t * k + c] = row[c] / sum }
            if !truth.isEmpty, truth[t] >= 0 { for c in 0..<k { q[t * k + c] = c == Int(truth[t]) ? 1 : 0 } }
        }
        for v in alpha.indices { total -= 0.5 * (alpha[v] - 1) * (alpha[v] - 1) }
        for t in b.indices { total -= 0.5 * (b[t] - 1) * (b[t] - 1) }
        return (total, q)
    }

    public init(_ answers: AnswerSet, gold: GoldLabels? = nil, options: Options = Options()) {
        if let answered = AnsweredClasses(answers) {
            let fit = GLAD(answered.answers, gold: answered.restrict(gold), options: options)
            posterior = answered.expand(fit.posterior)
            labels = answered.expand(fit.labels)
            abilities = fit.abilities
            difficulties = fit.difficulties
            iterations = fit.iterations
            logPosterior = fit.logPosterior
            converged = fit.converged
            lastRelativeChange = fit.lastRelativeChange
            self.options = options
            return
        }
        let k = answers.classCount, w = answers.workerCount, n = answers.itemCount
        self.options = options
        var alpha = [Double](repeating: 1, count: w), b = [Double](repeating: 1, count: n)
        var q = [Double](repeating: 1 / Double(max(k, 1)), count: n * k)
        let logWrong = libmLog(Double(max(k - 1, 1)))
        let truth = gold?.truth ?? []
        var ll = -Double.infinity, iterations = 0, converged = false, relativeChange = 0.0
        // P_a = p_t(l_a), the posterior mass of the answer's own label.
        var own = [Double](repeating: 0, count: answers.answerCount)
        func expect() -> Double {
            let (total, posterior) = Self.expect(answers, abilities: alpha, difficulties: b, truth: truth)
            q = posterior
            for a in 0..<answers.answerCount { own[a] = q[Int(answers.item[a]) * k + Int(answers.label[a])] }
            return total
        }
        /// −Q and its gradient at x = (α, b).
        func negativeQ(_ x: [Double], _ gradient: inout [Double]) -> Double {
            for i in gradient.indices { gradient[i] = 0 }
            var value = 0.0
            for a in 0..<answers.answerCount {
                let v = Int(answers.worker[a]), t = Int(answers.item[a])
                let beta = libmExp(x[w + t]), z = x[v] * beta
                let p = own[a]
                value += p * -Self.softplus(-z) + (1 - p) * (-Self.softplus(z) - logWrong)
                let sigma = 1 / (1 + libmExp(-z))
                gradient[v] -= (p - sigma) * beta
                gradient[w + t] -= (p - sigma) * x[v] * beta
            }
            for v in 0..<w { value -= 0.5 * (x[v] - 1) * (x[v] - 1); gradient[v] += x[v] - 1 }
            for t in 0..<n { value -= 0.5 * (x[w + t] - 1) * (x[w + t] - 1); gradient[w + t] += x[w + t] - 1 }
            return -value
        }
        if k >= 2 {
            ll = expect()
            var optimizer = LBFGS()
            optimizer.maxIterations = options.mStepIterations
            optimizer.gradientTolerance = 1e-8
            while iterations < options.maxIterations {
                iterations += 1
                let fit = optimizer.minimize(from: alpha + b, negativeQ)
                alpha = Array(fit.x[..<w])
                b = Array(fit.x[w...])
                let newLL = expect()
                let change = abs(newLL - ll)
                ll = newLL
                // No change at all is a fixed point, even where ℓ = 0 (one class: every answer certain).
                relativeChange = change == 0 ? 0 : change / abs(ll)
                if change < options.tolerance * abs(ll) || change == 0 { converged = true; break }
            }
        } else {
            converged = true
        }
        posterior = q
        labels = (0..<n).map { t in
            var best = 0
            for c in 1..<max(k, 1) where q[t * k + c] > q[t * k + best] { best = c }
            return Int32(best)
        }
        abilities = alpha
        difficulties = b
        self.iterations = iterations
        logPosterior = ll
        self.converged = converged
        lastRelativeChange = relativeChange
    }
}
