import Foundation
import Synth

/// Multinomial logistic regression with an L2 penalty, fitted by L-BFGS,
/// its matrix products on BLAS (`sgemm`, float32 data) and its sums in Double.
///
/// The objective is scikit-learn's `LogisticRegression` (multinomial, lbfgs):
/// the mean cross-entropy plus ‖W‖² / (2·C·n), the intercepts unpenalized.
/// Features are always centred on the training rows' means before fitting:
/// with an unpenalized intercept that changes nothing but the intercept,
/// and it keeps float32 products from cancelling on features with large
/// offsets. With `standardize` on (the default) they are also divided by
/// their standard deviation, so the penalty weighs every feature alike and
/// L-BFGS needs far fewer iterations; off, the fit is scikit-learn's on raw
/// features.
public struct LogisticRegression: Sendable {
    public struct Options: Sendable {
        /// scikit-learn's C: larger means a weaker penalty.
        public var inverseRegularization = 1.0
        public var maxIterations = 100
        /// Stop when no gradient component exceeds this (SciPy's `gtol`).
        public var gradientTolerance = 1e-4
        public var standardize = true
        public init() {}
    }

    public let features: Int
    public let classes: Int
    /// Per-feature centre and scale applied before the weights.
    public let mean: [Float]
    public let scale: [Float]
    /// D × K weights on centred (and scaled) features.
    public let weights: [Float]
    public let intercepts: [Float]
    public let iterations: Int
    public let converged: Bool
    /// The final value of the objective.
    public let objective: Double

    /// Fits to the rows of `x` with labels in 0..<classes.
    public init(features x: Matrix, labels: [Int32], classes k: Int, options: Options = Options()) {
        precondition(labels.count == x.rows && x.rows > 0 && k >= 2)
        let n = x.rows, d = x.columns
        var sum = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { xp in
            for i in 0..<n { for j in 0..<d { let v = Double(xp[i * d + j]); sum[j] += v; squares[j] += v * v } }
        }
        let centre = sum.map { $0 / Double(n) }
        let spread = (0..<d).map { j -> Double in
            guard options.standardize else { return 1 }
            let variance = max(squares[j] / Double(n) - centre[j] * centre[j], 0)
            return variance > 1e-24 ? variance.squareRoot() : 1
        }
        mean = centre.map(Float.init)
        scale = spread.map(Float.init)
        let prepared = Self.prepare(x, mean: mean, scale: scale)
        let problem = _LogisticObjective(x: prepared, labels: labels, classes: k,
                                         penalty: 1 / (options.inverseRegularization * Double(n)))
        let solver = LBFGS(maxIterations: options.maxIterations, gradientTolerance: options.gradientTolerance)
        let result = solver.minimize(from: [Double](repeating: 0, count: (d + 1) * k)) { theta, gradient in
            problem.evaluate(theta, gradient: &gradient)
        }
        features = d
        classes = k
        weights = result.x[0..<(d * k)].map(Float.init)
        intercepts = result.x[(d * k)...].map(Float.init)
        iterations = result.iterations
        converged = result.converged
        objective = result.value
    }

    /// (x − mean) / scale, as a new matrix.
    static func prepare(_ x: Matrix, mean: [Float], scale: [Float]) -> Matrix {
        var out = x
        let d = x.columns
        out.storage.withUnsafeMutableBufferPointer { p in
            for i in 0..<x.rows { for j in 0..<d { p[i * d + j] = (p[i * d + j] - mean[j]) / scale[j] } }
        }
        return out
    }

    /// The most probable class of each row (the lowest id on ties).
    public func predict(_ x: Matrix) -> [Int32] {
        let p = probabilities(x), k = classes
        return (0..<x.rows).map { i in
            var best = 0
            for c in 1..<k where p[i * k + c] > p[i * k + best] { best = c }
            return Int32(best)
        }
    }

    /// Predicted class probabilities, N × K row-major.
    public func probabilities(_ x: Matrix) -> [Double] {
        precondition(x.columns == features)
        let n = x.rows, k = classes
        var logits = [Float](repeating: 0, count: n * k)
        _LogisticObjective.logits(Self.prepare(x, mean: mean, scale: scale), weights, intercepts, classes: k, into: &logits)
        var out = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            var top = -Double.infinity
            for c in 0..<k { top = max(top, Double(logits[i * k + c])) }
            var total = 0.0
            for c in 0..<k { let e = Foundation.exp(Double(logits[i * k + c]) - top); out[i * k + c] = e; total += e }
            for c in 0..<k { out[i * k + c] /= total }
        }
        return out
    }
}

/// The penalized mean cross-entropy and its gradient, for L-BFGS.
/// Parameters θ = (W: D×K row-major, b: K) on prepared features.
struct _LogisticObjective {
    let x: Matrix
    let labels: [Int32]
    let classes: Int
    /// 1 / (C·n): the weight of ‖W‖²/2.
    let penalty: Double

    static func logits(_ x: Matrix, _ w: [Float], _ b: [Float], classes k: Int, into z: inout [Float]) {
        let n = x.rows, d = x.columns
        x.storage.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                z.withUnsafeMutableBufferPointer { zp in
                    for i in 0..<n { for c in 0..<k { zp[i * k + c] = b[c] } }
                    BLAS.gemm(m: n, n: k, k: d, a: xp.baseAddress!, lda: d, b: wp.baseAddress!, ldb: k,
                              beta: 1, c: zp.baseAddress!, ldc: k)
                }
            }
        }
    }

    func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
        let n = x.rows, d = x.columns, k = classes
        let w = theta[0..<(d * k)].map(Float.init), b = theta[(d * k)...].map(Float.init)
        var z = [Float](repeating: 0, count: n * k)
        Self.logits(x, w, b, classes: k, into: &z)
        // z becomes the residual (p − onehot) / n, in place.
        var loss = 0.0
        var residualSum = [Double](repeating: 0, count: k)
        let inverseN = 1 / Double(n)
        z.withUnsafeMutableBufferPointer { zp in
            var row = [Double](repeating: 0, count: k)
            for i in 0..<n {
                var top = -Double.infinity
                for c in 0..<k { row[c] = Double(zp[i * k + c]); top = max(top, row[c]) }
                var total = 0.0
                for c in 0..<k { row[c] = Foundation.exp(row[c] - top); total += row[c] }
                let y = Int(labels[i])
                loss += Foundation.log(total) + top - Double(zp[i * k + y])
                for c in 0..<k {
                    let r = (row[c] / total - (c == y ? 1 : 0)) * inverseN
                    zp[i * k + c] = Float(r)
                    residualSum[c] += r
                }
            }
        }
        var g = [Float](repeating: 0, count: d * k)
        x.storage.withUnsafeBufferPointer { xp in
            z.withUnsafeBufferPointer { rp in
                g.withUnsafeMutableBufferPointer { gp in
                    BLAS.gemm(m: d, n: k, k: n, a: xp.baseAddress!, lda: d, transposeA: true,
                              b: rp.baseAddress!, ldb: k, c: gp.baseAddress!, ldc: k)
                }
            }
        }
        var norm = 0.0
        for j in 0..<(d * k) {
            norm += theta[j] * theta[j]
            gradient[j] = Double(g[j]) + penalty * theta[j]
        }
        for c in 0..<k { gradient[d * k + c] = residualSum[c] }
        return loss * inverseN + 0.5 * penalty * norm
    }
}
