/// Limited-memory BFGS for smooth, unconstrained minimization in Double.
///
/// The two-loop recursion over the last `memory` steps gives a quasi-Newton
/// direction; a backtracking line search (Armijo condition, c₁ = 1e-4)
/// takes the step. The objectives synthctl minimizes are strictly convex (an
/// L2 penalty is always on), so every accepted step has positive curvature
/// and backtracking is enough. Stopping rules are SciPy's L-BFGS-B
/// defaults, which scikit-learn's `lbfgs` solver uses: the largest gradient
/// component at most `gradientTolerance`, or a relative decrease of the
/// objective below 64 machine epsilons, or `maxIterations`.
struct LBFGS {
    var memory = 10
    var maxIterations = 100
    var gradientTolerance = 1e-4

    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// - Parameter objective: returns f(x) and writes ∇f(x) into its second argument.
    func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var f = objective(x, &g)
        var steps = [[Double]](), changes = [[Double]](), rhos = [Double]()
        var iteration = 0
        var converged = false
        var trial = [Double](repeating: 0, count: n), trialGradient = g
        while iteration < maxIterations {
            if g.reduce(0, { max($0, abs($1)) }) <= gradientTolerance { converged = true; break }
            iteration += 1
            // Two-loop recursion: direction = −H·g.
            var q = g
            var alphas = [Double](repeating: 0, count: steps.count)
            for i in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[i] = rhos[i] * dot(steps[i], q)
                axpy(-alphas[i], changes[i], &q)
            }
            if let s = steps.last, let y = changes.last {
                let scale = dot(s, y) / dot(y, y)
                for j in 0..<n { q[j] *= scale }
            } else {
                let norm = dot(g, g).squareRoot()
                for j in 0..<n { q[j] /= max(norm, 1) }
            }
            for i in 0..<steps.count {
                let beta = rhos[i] * dot(changes[i], q)
                axpy(alphas[i] - beta, steps[i], &q)
            }
            var slope = -dot(g, q)
            if slope >= 0 {  // not a descent direction (numerical trouble): restart from steepest descent
                steps.removeAll(); changes.removeAll(); rhos.removeAll()
                q = g
                slope = -dot(g, g)
            }
            var t = 1.0, accepted = false, fTrial = f
            for _ in 0..<50 {
                for j in 0..<n { trial[j] = x[j] - t * q[j] }
                fTrial = objective(trial, &trialGradient)
                if fTrial.isFinite && fTrial <= f + 1e-4 * t * slope { accepted = true; break }
                t *= 0.5
            }
            guard accepted else { break }
            var s = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
            for j in 0..<n { s[j] = trial[j] - x[j]; y[j] = trialGradient[j] - g[j] }
            let sy = dot(s, y)
            if sy > 1e-12 * dot(y, y) {
                steps.append(s); changes.append(y); rhos.append(1 / sy)
                if steps.count > memory { steps.removeFirst(); changes.removeFirst(); rhos.removeFirst() }
            }
            let decrease = (f - fTrial) / max(abs(f), abs(fTrial), 1)
            swap(&x, &trial)
            swap(&g, &trialGradient)
            f = fTrial
            if decrease <= 64 * Double.ulpOfOne { converged = true; break }
        }
        return Result(x: x, value: f, iterations: iteration, converged: converged)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in a.indices { s += a[i] * b[i] }
        return s
    }

    private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for i in x.indices { y[i] += alpha * x[i] }
    }
}
