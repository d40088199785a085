import Foundation
import Synth
import SynthctlCore

/// The binary logistic regression's objective and its gradient, for L-BFGS:
/// scikit-learn's `HalfBinomialLoss` with its L2 term,
///
///     f(w, b) = (1/n)·Σᵢ [log(1 + e^{zᵢ}) − tᵢ·zᵢ] + λ/2·‖w‖²,  zᵢ = w·xᵢ + b,
///
/// tᵢ ∈ {0, 1} and λ = 1/(C·n) (`sklearn.linear_model._logistic`, lbfgs).
/// Parameters θ = (w: D, b) on prepared features (N × D).
struct _BinaryLogisticObjective {
    let x: Matrix
    /// 0 or 1 per row.
    let targets: [Int32]
    /// 1 / (C·n): the weight of ‖w‖²/2.
    let penalty: Double

    func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
        let n = x.rows, d = x.columns
        let w = theta[0..<d].map(Float.init), b = [Float(theta[d])]
        var z = [Float](repeating: 0, count: n)
        _LogisticObjective.logits(x, w, b, classes: 1, into: &z)
        // z becomes the residual (σ(z) − t) / n, in place.
        var loss = 0.0, residualSum = 0.0
        let inverseN = 1 / Double(n)
        z.withUnsafeMutableBufferPointer { zp in
            for i in 0..<n {
                let v = Double(zp[i]), t = Double(targets[i])
                // log(1 + e^v) without overflow, and σ(v) from the same
                // exponential; log1p(e) as ln(1 + e) corrected for the
                // rounding of 1 + e (Goldberg 1991, theorem 4).
                let e = polynomialExp(-abs(v))
                let onePlus = 1 + e
                let log1p = onePlus == 1 ? e : polynomialLog(onePlus) * e / (onePlus - 1)
                loss += max(v, 0) + log1p - t * v
                let sigma = v >= 0 ? 1 / (1 + e) : e / (1 + e)
                let r = (sigma - t) * inverseN
                zp[i] = Float(r)
                residualSum += r
            }
        }
        let penaltyTerm = _LogisticObjective.addWeightGradient(x, residuals: z, classes: 1, theta: theta, penalty: penalty,
                                                               into: &gradient)
        gradient[d] = residualSum
        return loss * inverseN + penaltyTerm
    }
}
