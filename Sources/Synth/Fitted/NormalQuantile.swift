import Foundation

/// Φ⁻¹(p), the standard normal quantile, for fitting (never for sampling,
/// whose bytes must not depend on the C library): Abramowitz & Stegun
/// 26.2.23 to start (error below 4.5e-4), then Newton steps on
/// Φ(x) = ½·erfc(−x/√2) until they stop moving.
public func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
    let q = min(p, 1 - p)
    let t = (-2 * log(q)).squareRoot()
    var x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
    if p < 0.5 { x = -x }
    for _ in 0..<6 {
        let cdf = 0.5 * erfc(-x / 2.0.squareRoot())
        let density = exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        guard density > 0 else { break }
        let step = (cdf - p) / density
        x -= step
        if abs(step) < 1e-15 * max(1, abs(x)) { break }
    }
    return x
}
