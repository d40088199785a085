import Foundation
import Synth
import SynthctlCore

/// Logistic regression with an L2 penalty, fitted by L-BFGS, its matrix
/// products in a fixed order (``ReproducibleThinProducts``, float32 data)
/// and its sums in Double, so that the fit, and every prediction made from
/// it, is the same on every CPU (sgemm's rounding depends on the kernel
/// OpenBLAS picks, and L-BFGS stops a tolerance away from the optimum at a
/// point that depends on it).
///
/// The objective is scikit-learn's `LogisticRegression` (lbfgs): the mean
/// log-loss plus ‖w‖² / (2·C·n), the intercepts unpenalized. Like
/// scikit-learn, the model's classes are the ones its training labels
/// contain (`classes_`), not every id below `classes`:
/// - two classes: the binary form, one weight vector and one intercept,
///   P(second class) = σ(w·x + b). A softmax over two weight vectors would
///   be the same model with the penalty halved (its optimum has
///   w₁ = −w₀ = w/2, so ‖W‖² = ‖w‖²/2): scikit-learn's fit at 2·C;
/// - three or more: multinomial, one weight vector and intercept per class;
/// - one: nothing to learn; that class gets probability 1 (the limit the
///   unpenalized intercept runs to; scikit-learn refuses to fit).
/// Class ids below `classes` that the labels do not contain get probability
/// 0, as scikit-learn's `cross_val_predict` gives a class a fold never saw.
///
/// Features are always centred on the training rows' means before fitting:
/// with an unpenalized intercept that changes nothing but the intercept,
/// and it keeps float32 products from cancelling on features with large
/// offsets. With `standardize` on (the default) they are also divided by
/// their standard deviation (population, as scikit-learn's `StandardScaler`;
/// a constant feature keeps scale 1), so the penalty weighs every feature
/// alike and L-BFGS needs far fewer iterations; off, the fit is
/// scikit-learn's on raw features.
public struct LogisticRegression: Sendable {
    public struct Options: Sendable {
        /// scikit-learn's C: larger means a weaker penalty. Meaningful in
        /// ``inverseRegularizationRange``; outside it the fit is not
        /// computed (see there).
        public var inverseRegularization = 1.0

        /// The C for which the fit means what it says: [1e-8, 1e16].
        ///
        /// The penalty's weight is λ = 1/(C·n), the curvature of the
        /// objective along the weights, while the unpenalized intercepts
        /// have the data's curvature, at most ¼. L-BFGS stops when an
        /// iteration lowers the objective by less than 64ε ≈ 1.4e-14 of it,
        /// and its steps are limited by the largest curvature: with λ
        /// beyond about 1e11 they lower the intercepts' part by less than
        /// that and it stops before fitting them (C = 1e-15 on 1,600 rows
        /// stopped after one or two iterations, every probability uniform,
        /// nothing flagged; C = 1e-320 makes λ infinite). C ≥ 1e-8 ≈ √ε
        /// keeps λ ≤ 1e8/n, three orders inside that for any n ≥ 1, and the
        /// fit converges to the intercept-only model such a penalty asks
        /// for. Above 1e16 ≈ 2/ε, λ is below ε, double precision relative
        /// to a loss of order one, for every n: the penalty no longer
        /// changes the objective, and a larger C is the same fit.
        public static let inverseRegularizationRange: ClosedRange<Double> = 1e-8...1e16
        public var maxIterations = 100
        /// Stop when no gradient component exceeds this (SciPy's `gtol`).
        public var gradientTolerance = 1e-4
        public var standardize = true
        public init() {}
    }

    public let featureCount: Int
    /// Width of the probabilities: class ids 0..<classes.
    public let classes: Int
    /// The class ids the training labels contain, ascending (scikit-learn's `classes_`).
    public let fittedClasses: [Int32]
    /// Per-feature centre and scale applied before the weights.
    public let mean: [Float]
    public let scale: [Float]
    /// Weights on centred (and scaled) features, D × M row-major: M = 1 for
    /// two fitted classes (the logit of `fittedClasses[1]`, scikit-learn's
    /// `coef_[0]`), M = `fittedClasses.count` for three or more, none for one.
    public let weights: [Float]
    /// One per weight column.
    public let intercepts: [Float]
    public let iterations: Int
    public let converged: Bool
    /// The final value of the objective (0 with one fitted class).
    public let objective: Double

    /// Fits to the rows of `x` with labels in 0..<classes.
    public init(features x: Matrix, labels: [Int32], classes k: Int, options: Options = Options()) {
        precondition(labels.count == x.rows && x.rows > 0 && k >= 1)
        precondition(Options.inverseRegularizationRange.contains(options.inverseRegularization),
                     "C outside \(Options.inverseRegularizationRange)")
        let n = x.rows, d = x.columns
        // Two passes in Double: the centred sum of squares does not cancel
        // on features with large offsets, and is exactly 0 on a constant one.
        var sum = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { xp in
            for i in 0..<n { for j in 0..<d { sum[j] += Double(xp[i * d + j]) } }
        }
        let centre = sum.map { $0 / Double(n) }
        if options.standardize {
            x.storage.withUnsafeBufferPointer { xp in
                for i in 0..<n { for j in 0..<d { let v = Double(xp[i * d + j]) - centre[j]; squares[j] += v * v } }
            }
        }
        let spread = (0..<d).map { j -> Double in
            let deviation = (squares[j] / Double(n)).squareRoot()
            return options.standardize && deviation > 0 ? deviation : 1
        }
        mean = centre.map(Float.init)
        scale = spread.map(Float.init)
        featureCount = d
        classes = k
        var present = [Bool](repeating: false, count: k)
        for label in labels { precondition(label >= 0 && Int(label) < k); present[Int(label)] = true }
        fittedClasses = (0..<k).filter { present[$0] }.map(Int32.init)
        let m = fittedClasses.count
        guard m >= 2 else {
            weights = []; intercepts = []; iterations = 0; converged = true; objective = 0
            return
        }
        var position = [Int32](repeating: -1, count: k)
        for (i, c) in fittedClasses.enumerated() { position[Int(c)] = Int32(i) }
        let y = labels.map { position[Int($0)] }
        let prepared = Self.prepare(x, mean: mean, scale: scale)
        let penalty = 1 / (options.inverseRegularization * Double(n))
        let columns = m == 2 ? 1 : m
        let solver = LBFGS(maxIterations: options.maxIterations, gradientTolerance: options.gradientTolerance)
        let start = [Double](repeating: 0, count: (d + 1) * columns)
        let result: LBFGS.Result
        if m == 2 {
            let problem = _BinaryLogisticObjective(x: prepared, targets: y, penalty: penalty)
            result = solver.minimize(from: start) { theta, gradient in problem.evaluate(theta, gradient: &gradient) }
        } else {
            let problem = _LogisticObjective(x: prepared, labels: y, classes: m, penalty: penalty)
            result = solver.minimize(from: start) { theta, gradient in problem.evaluate(theta, gradient: &gradient) }
        }
        weights = result.x[0..<(d * columns)].map(Float.init)
        intercepts = result.x[(d * columns)...].map(Float.init)
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
            for c in 1..<max(k, 1) where p[i * k + c] > p[i * k + best] { best = c }
            return Int32(best)
        }
    }

    /// Predicted class probabilities, N × `classes` row-major; 0 for the
    /// classes the training labels did not contain.
    public func probabilities(_ x: Matrix) -> [Double] {
        precondition(x.columns == featureCount)
        let n = x.rows, k = classes, m = fittedClasses.count
        var out = [Double](repeating: 0, count: n * k)
        guard m >= 2 else {
            for i in 0..<n { out[i * k + Int(fittedClasses[0])] = 1 }
            return out
        }
        let columns = m == 2 ? 1 : m
        var logits = [Float](repeating: 0, count: n * columns)
        _LogisticObjective.logits(Self.prepare(x, mean: mean, scale: scale), weights, intercepts, classes: columns, into: &logits)
        var row = [Double](repeating: 0, count: m)
        for i in 0..<n {
            // Binary: a softmax over (0, z) is (σ(−z), σ(z)), computed without overflow.
            if m == 2 { row[0] = 0; row[1] = Double(logits[i]) } else { for c in 0..<m { row[c] = Double(logits[i * m + c]) } }
            var top = -Double.infinity
            for c in 0..<m { top = max(top, row[c]) }
            var total = 0.0
            for c in 0..<m { row[c] = polynomialExp(row[c] - top); total += row[c] }
            for c in 0..<m { out[i * k + Int(fittedClasses[c])] = row[c] / total }
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

    /// z = x·W + b for W given D × K row-major (θ's layout).
    static func logits(_ x: Matrix, _ w: [Float], _ b: [Float], classes k: Int, into z: inout [Float]) {
        let d = x.columns
        var byClass = [Float](repeating: 0, count: k * d)
        for j in 0..<d { for c in 0..<k { byClass[c * d + j] = w[j * k + c] } }
        z = ReproducibleThinProducts.logits(x, weights: byClass, intercepts: b, classes: k)
    }

    /// gradient[j·K + c] = Σᵢ x[i, j]·r[i·K + c] + penalty·θ[j·K + c]
    /// for the weights (θ's layout); returns penalty·‖W‖²/2.
    static func addWeightGradient(_ x: Matrix, residuals r: [Float], classes k: Int, theta: [Double], penalty: Double,
                                  into gradient: inout [Double]) -> Double {
        let d = x.columns
        let g = ReproducibleThinProducts.transposedProduct(r, x, classes: k)
        var norm = 0.0
        for j in 0..<d {
            for c in 0..<k {
                let t = theta[j * k + c]
                norm += t * t
                gradient[j * k + c] = g[c * d + j] + penalty * t
            }
        }
        return 0.5 * penalty * norm
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
                for c in 0..<k { row[c] = polynomialExp(row[c] - top); total += row[c] }
                let y = Int(labels[i])
                loss += polynomialLog(total) + top - Double(zp[i * k + y])
                for c in 0..<k {
                    let r = (row[c] / total - (c == y ? 1 : 0)) * inverseN
                    zp[i * k + c] = Float(r)
                    residualSum[c] += r
                }
            }
        }
        let penaltyTerm = Self.addWeightGradient(x, residuals: z, classes: k, theta: theta, penalty: penalty, into: &gradient)
        for c in 0..<k { gradient[d * k + c] = residualSum[c] }
        return loss * inverseN + penaltyTerm
    }
}
