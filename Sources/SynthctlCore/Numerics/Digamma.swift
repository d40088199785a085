import Foundation

/// ψ(x) = d/dx log Γ(x) for x > 0, for MACE's variational M-step.
///
/// The recurrence ψ(x) = ψ(x + 1) − 1/x lifts x to at least 6, where the
/// asymptotic series log x − 1/(2x) − Σ B₂ₙ/(2n x²ⁿ) to x⁻¹² is accurate to
/// about 1e-15.
package func digamma(_ x: Double) -> Double {
    precondition(x > 0, "digamma is used on positive counts plus priors")
    var x = x, shift = 0.0
    while x < 6 {
        shift -= 1 / x
        x += 1
    }
    let inverse = 1 / x, inverse2 = inverse * inverse
    let series = inverse2 * (1.0 / 12 - inverse2 * (1.0 / 120 - inverse2 * (1.0 / 252 - inverse2 * (1.0 / 240 - inverse2 * (1.0 / 132)))))
    return shift + libmLog(x) - 0.5 * inverse - series
}
