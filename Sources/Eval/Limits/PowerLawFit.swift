import Foundation
import SynthctlCore

/// err(n) = c + a·n^(−b), fitted by weighted nonlinear least squares
/// (Levenberg–Marquardt), with the parameters' standard errors.
///
/// c is the plateau: the error no amount of this data removes. a and b say
/// how fast the error falls toward it. Each point's weight is 1/σ², σ the
/// standard error of its mean over seeds; the standard errors of (c, a, b)
/// come from (JᵀWJ)⁻¹ scaled by the reduced χ², as SciPy's `curve_fit`
/// reports them by default (`absolute_sigma=False`).
public struct PowerLawFit: Sendable {
    public let plateau: Double
    public let scale: Double
    public let exponent: Double
    /// Standard errors of (plateau, scale, exponent); NaN with fewer than 4 points.
    public let standardErrors: (plateau: Double, scale: Double, exponent: Double)
    /// The covariance of (plateau, scale, exponent), 3 × 3, whose diagonal
    /// gives `standardErrors`; the plateau's row and column are 0 when it is
    /// held at zero, and every entry is NaN with too few points.
    public let covariance: [[Double]]
    /// The plateau and its standard error of the fit that left it free:
    /// equal to `plateau` unless that fit put it below zero and it was held
    /// at 0, when they still say how far above 0 the data allow it to be.
    public private(set) var unconstrainedPlateau: (value: Double, standardError: Double)
    public let chiSquare: Double
    public let iterations: Int
    public let converged: Bool
    /// The unconstrained optimum put the plateau below zero, which an error
    /// rate cannot have (a curve still falling steeply at its last point, or
    /// flat within noise); the fit was redone with the plateau held at 0,
    /// whose standard error is then NaN.
    public let plateauAtZero: Bool

    public func error(at n: Double) -> Double { plateau + scale * libmPow(n, -exponent) }

    /// The variance of the fitted error at n, by the delta method: gᵀ·Cov·g
    /// with g = ∂err/∂(c, a, b) = (1, n^(−b), −a·n^(−b)·ln n).
    public func errorVariance(at n: Double) -> Double {
        let t = libmPow(n, -exponent), g = [1, t, -scale * t * libmLog(n)]
        var v = 0.0
        for i in 0..<3 { for j in 0..<3 { v += g[i] * covariance[i][j] * g[j] } }
        return v
    }

    /// The n at which the fitted error reaches `target`, or nil when the
    /// target is at or below the plateau (no amount of data reaches it).
    public func rows(toReach target: Double) -> Double? {
        guard target > plateau, scale > 0, exponent > 0 else { return nil }
        return libmPow((target - plateau) / scale, -1 / exponent)
    }

    /// - Parameters:
    ///   - sizes: the n of each point (> 0).
    ///   - errors: the mean error at each n.
    ///   - sigmas: the standard error of each mean (> 0), or nil for equal weights.
    ///   - start: (c, a, b) to start from; by default c = 0.9·min(err) and
    ///     (a, b) from a straight line through log(err − c) against log n.
    public init(sizes: [Double], errors: [Double], sigmas: [Double]? = nil, start: (Double, Double, Double)? = nil,
                maxIterations: Int = 500) {
        let free = Self(sizes: sizes, errors: errors, sigmas: sigmas, start: start, maxIterations: maxIterations, holdPlateauAtZero: false)
        if free.plateau >= 0 || !free.plateau.isFinite {
            self = free
        } else {
            self = Self(sizes: sizes, errors: errors, sigmas: sigmas, start: (0, max(free.scale, 1e-6), max(free.exponent, 1e-3)),
                        maxIterations: maxIterations, holdPlateauAtZero: true)
            unconstrainedPlateau = free.unconstrainedPlateau
        }
    }

    init(sizes: [Double], errors: [Double], sigmas: [Double]?, start: (Double, Double, Double)?,
         maxIterations: Int, holdPlateauAtZero: Bool) {
        precondition(sizes.count == errors.count && sizes.count >= 3)
        let m = sizes.count
        let w = (sigmas ?? [Double](repeating: 1, count: m)).map { 1 / max($0 * $0, 1e-300) }
        var p: [Double]
        if let start { p = [start.0, start.1, start.2] } else {
            let c0 = 0.9 * (errors.min() ?? 0)
            let xs = sizes.map { libmLog($0) }, ys = errors.map { libmLog(max($0 - c0, 1e-12)) }
            let mx = xs.reduce(0, +) / Double(m), my = ys.reduce(0, +) / Double(m)
            var sxy = 0.0, sxx = 0.0
            for i in 0..<m { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) * (xs[i] - mx) }
            let slope = sxx > 0 ? sxy / sxx : -0.5
            p = [c0, libmExp(my - slope * mx), max(-slope, 1e-3)]
        }
        func residuals(_ p: [Double]) -> [Double] { (0..<m).map { errors[$0] - (p[0] + p[1] * libmPow(sizes[$0], -p[2])) } }
        func cost(_ r: [Double]) -> Double { (0..<m).reduce(0) { $0 + w[$1] * r[$1] * r[$1] } }
        func jacobian(_ p: [Double]) -> [[Double]] {
            (0..<m).map { i in
                let t = libmPow(sizes[i], -p[2])
                return [holdPlateauAtZero ? 0 : 1, t, -p[1] * t * libmLog(sizes[i])]
            }
        }
        var r = residuals(p), current = cost(r), lambda = 1e-3
        var iterations = 0, converged = false
        while iterations < maxIterations {
            iterations += 1
            let j = jacobian(p)
            var jtj = [[Double]](repeating: [0, 0, 0], count: 3), jtr = [0.0, 0.0, 0.0]
            for i in 0..<m { for a in 0..<3 {
                jtr[a] += w[i] * j[i][a] * r[i]
                for b in 0..<3 { jtj[a][b] += w[i] * j[i][a] * j[i][b] }
            } }
            if holdPlateauAtZero { jtj[0][0] = 1 }  // the held parameter: a unit row keeps the system solvable, its step 0
            var improved = false
            while lambda < 1e12 {
                var damped = jtj
                for a in 0..<3 { damped[a][a] *= 1 + lambda }
                guard let step = Self.solve3(damped, jtr) else { lambda *= 10; continue }
                let trial = [p[0] + step[0], p[1] + step[1], p[2] + step[2]]
                let tr = residuals(trial), tc = cost(tr)
                if tc.isFinite && tc <= current {
                    let relative = (current - tc) / max(current, 1e-300)
                    let stepSize = (0..<3).reduce(0.0) { max($0, abs(step[$1]) / max(abs(p[$1]), 1e-12)) }
                    p = trial; r = tr; current = tc
                    lambda = max(lambda / 10, 1e-12)
                    improved = true
                    if relative < 1e-14 || stepSize < 1e-12 { converged = true }
                    break
                }
                lambda *= 10
            }
            if !improved { converged = true; break }
            if converged { break }
        }
        plateau = p[0]; scale = p[1]; exponent = p[2]
        plateauAtZero = holdPlateauAtZero
        chiSquare = current
        self.iterations = iterations
        self.converged = converged
        // Covariance (JᵀWJ)⁻¹ · χ²/(m − 3).
        let j = jacobian(p)
        var jtj = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<m { for a in 0..<3 { for b in 0..<3 { jtj[a][b] += w[i] * j[i][a] * j[i][b] } } }
        if holdPlateauAtZero { jtj[0][0] = 1 }
        let freeParameters = holdPlateauAtZero ? 2 : 3
        if m > freeParameters, let inverse = Self.invert3(jtj) {
            let s2 = current / Double(m - freeParameters)
            var cov = inverse.map { $0.map { $0 * s2 } }
            if holdPlateauAtZero { for i in 0..<3 { cov[0][i] = 0; cov[i][0] = 0 } }
            covariance = cov
            standardErrors = (holdPlateauAtZero ? .nan : cov[0][0].squareRoot(), cov[1][1].squareRoot(), cov[2][2].squareRoot())
        } else {
            covariance = [[Double]](repeating: [.nan, .nan, .nan], count: 3)
            standardErrors = (.nan, .nan, .nan)
        }
        unconstrainedPlateau = (plateau, standardErrors.plateau)
    }

    static func invert3(_ a: [[Double]]) -> [[Double]]? {
        let det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        guard det.isFinite, abs(det) > 1e-300 else { return nil }
        var inv = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 { for j in 0..<3 {
            let r = [0, 1, 2].filter { $0 != j }, c = [0, 1, 2].filter { $0 != i }
            let minor = a[r[0]][c[0]] * a[r[1]][c[1]] - a[r[0]][c[1]] * a[r[1]][c[0]]
            inv[i][j] = ((i + j) % 2 == 0 ? 1 : -1) * minor / det
        } }
        return inv
    }

    static func solve3(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        guard let inv = invert3(a) else { return nil }
        return (0..<3).map { i in (0..<3).reduce(0) { $0 + inv[i][$1] * b[$1] } }
    }
}
