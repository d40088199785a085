/// Φ⁻¹(p), the standard normal quantile, by Wichura's algorithm AS 241
/// (PPND16; Applied Statistics 37, 1988, 477–484: R's `qnorm`): a rational
/// function of degree 7/7 in p − ½ for |p − ½| ≤ 0.425, and in
/// r = √(−ln min(p, 1 − p)) beyond (one for r ≤ 5, one above), whose
/// approximation error Wichura gives as about 1 part in 10¹⁶.
///
/// Why not libm: the copula's normal scores are written into model files,
/// and libm's `log` (or `erfc`, which an inversion by Newton steps would
/// need) may differ in its last bit between C libraries. Here the only
/// library function is synthctl's own `polynomialLog` (within 1 ulp);
/// everything else is IEEE arithmetic in a fixed order, so the scores are
/// the same on every machine.
///
/// Accuracy: within 8 ulp of the true quantile at each of the 6,009
/// probabilities `CopulaModelTests` checks against mpmath at 50 digits
/// (Tests/Oracles/normal_quantile_oracle.py: both tails down to 1e-300, the
/// copula's grids, the algorithm's region boundaries); the worst there is
/// 5.8 ulp, at p = 1e-179. The function is the same on every machine, so
/// that holds everywhere. The a-priori bound is looser, about 32 ulp:
/// Wichura's 1e-16 (under 1 ulp), γ₁₄ (14 roundings) for each Horner
/// evaluation, the division and the product by q, and the rounding of r
/// (in the tails, the logarithm's 1 ulp enters r at half that size).
public func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
    let q = p - 0.5
    if abs(q) <= 0.425 {
        let r = 0.180625 - q * q
        var a = 2.5090809287301226727e+3
        a = a * r + 3.3430575583588128105e+4
        a = a * r + 6.7265770927008700853e+4
        a = a * r + 4.5921953931549871457e+4
        a = a * r + 1.3731693765509461125e+4
        a = a * r + 1.9715909503065514427e+3
        a = a * r + 1.3314166789178437745e+2
        a = a * r + 3.3871328727963666080e+0
        var b = 5.2264952788528545610e+3
        b = b * r + 2.8729085735721942674e+4
        b = b * r + 3.9307895800092710610e+4
        b = b * r + 2.1213794301586595867e+4
        b = b * r + 5.3941960214247511077e+3
        b = b * r + 6.8718700749205790830e+2
        b = b * r + 4.2313330701600911252e+1
        b = b * r + 1
        return q * a / b
    }
    // 1 − p is exact for p ≥ ½ (Sterbenz), so the upper tail keeps its digits.
    var r = (-polynomialLog(q < 0 ? p : 1 - p)).squareRoot()
    let value: Double
    if r <= 5 {
        r -= 1.6
        var c = 7.74545014278341407640e-4
        c = c * r + 2.27238449892691845833e-2
        c = c * r + 2.41780725177450611770e-1
        c = c * r + 1.27045825245236838258e+0
        c = c * r + 3.64784832476320460504e+0
        c = c * r + 5.76949722146069140550e+0
        c = c * r + 4.63033784615654529590e+0
        c = c * r + 1.42343711074968357734e+0
        var d = 1.05075007164441684324e-9
        d = d * r + 5.47593808499534494600e-4
        d = d * r + 1.51986665636164571966e-2
        d = d * r + 1.48103976427480074590e-1
        d = d * r + 6.89767334985100004550e-1
        d = d * r + 1.67638483018380384940e+0
        d = d * r + 2.05319162663775882187e+0
        d = d * r + 1
        value = c / d
    } else {
        r -= 5
        var c = 2.01033439929228813265e-7
        c = c * r + 2.71155556874348757815e-5
        c = c * r + 1.24266094738807843860e-3
        c = c * r + 2.65321895265761230930e-2
        c = c * r + 2.96560571828504891230e-1
        c = c * r + 1.78482653991729133580e+0
        c = c * r + 5.46378491116411436990e+0
        c = c * r + 6.65790464350110377720e+0
        var d = 2.04426310338993978564e-15
        d = d * r + 1.42151175831644588870e-7
        d = d * r + 1.84631831751005468180e-5
        d = d * r + 7.86869131145613259100e-4
        d = d * r + 1.48753612908506148525e-2
        d = d * r + 1.36929880922735805310e-1
        d = d * r + 5.99832206555887937690e-1
        d = d * r + 1
        value = c / d
    }
    return q < 0 ? -value : value
}
