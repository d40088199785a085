import Foundation
import Synth

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
                // log(1 + e^v) without overflow, and σ(v) from the same exponential.
                let e = Foundation.exp(-abs(v))
                loss += max(v, 0) + Foundation.log1p(e) - t * v
                let sigma = v >= 0 ? 1 / (1 + e) : e / (1 + e)
                let r = (sigma - t) * inverseN
                zp[i] = Float(r)
                residualSum += r
            }
        }
        var g = [Float](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { xp in
            z.withUnsafeBufferPointer { rp in
                g.withUnsafeMutableBufferPointer { gp in
                    BLAS.gemm(m: d, n: 1, k: n, a: xp.baseAddress!, lda: d, transposeA: true,
                              b: rp.baseAddress!, ldb: 1, c: gp.baseAddress!, ldc: 1)
                }
            }
        }
        var norm = 0.0
        for j in 0..<d {
            norm += theta[j] * theta[j]
            gradient[j] = Double(g[j]) + penalty * theta[j]
        }
        gradient[d] = residualSum
        return loss * inverseN + 0.5 * penalty * norm
    }
}
