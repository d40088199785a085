/// The latent quantities confident learning estimates from a confident
/// joint: the prior of the true labels, the noise matrix P(given | true)
/// and the inverse noise matrix P(true | given).
///
/// Follows cleanlab 2.9's `estimate_latent` with `py_method="cnt"` and, by
/// default, the fixed-point refinement that
/// `estimate_py_and_noise_matrices_from_probabilities` applies (3 outer × 5
/// inner rounds between the prior and the inverse noise matrix). Matrices
/// are indexed [row][column] as cleanlab prints them: `noiseMatrix[given][true]`
/// (columns sum to one) and `inverseNoiseMatrix[true][given]` (columns sum
/// to one).
public struct NoiseEstimates: Sendable {
    public let prior: [Double]
    public let noiseMatrix: [[Double]]
    public let inverseNoiseMatrix: [[Double]]

    static let tiny = 1e-100

    public init(confidentJoint cj: [[Int]], labelCounts: [Int], converge: Bool = true) {
        let k = cj.count
        let n = Double(labelCounts.reduce(0, +))
        let ps = labelCounts.map { Double($0) / n }
        let givenTotals = (0..<k).map { j in Double(cj[j].reduce(0, +)) }
        let trueTotals = (0..<k).map { c in Double((0..<k).reduce(0) { $0 + cj[$1][c] }) }
        var noise = (0..<k).map { j in (0..<k).map { c in Double(cj[j][c]) / max(trueTotals[c], Self.tiny) } }
        var inverse = (0..<k).map { a in (0..<k).map { b in Double(cj[b][a]) / max(givenTotals[b], Self.tiny) } }
        var py = Self.prior(ps: ps, noise: noise, inverse: inverse)
        noise = Self.clipNoiseRates(noise)
        inverse = Self.clipNoiseRates(inverse)
        if converge {
            for _ in 0..<3 {
                for _ in 0..<5 {
                    inverse = Self.inverse(prior: py, noise: noise, ps: ps)
                    py = Self.prior(ps: ps, noise: noise, inverse: inverse)
                }
                noise = Self.noise(ps: ps, inverse: inverse, prior: py)
            }
            py = Self.clip(py, low: 1e-5, high: 1, sum: 1)
            noise = Self.clipNoiseRates(noise)
            inverse = Self.clipNoiseRates(inverse)
        }
        prior = py
        noiseMatrix = noise
        inverseNoiseMatrix = inverse
    }

    /// py ∝ diag(inverse) / diag(noise) · ps ("cnt"), clipped to [1e-6, 1], summing to one.
    static func prior(ps: [Double], noise: [[Double]], inverse: [[Double]]) -> [Double] {
        let raw = ps.indices.map { c in inverse[c][c] / max(noise[c][c], tiny) * ps[c] }
        return clip(raw, low: 1e-6, high: 1, sum: 1)
    }

    /// P(true | given) from the prior and P(given | true).
    static func inverse(prior py: [Double], noise: [[Double]], ps: [Double]) -> [[Double]] {
        let k = py.count
        return clipNoiseRates((0..<k).map { a in (0..<k).map { b in noise[b][a] * py[a] / max(ps[b], tiny) } })
    }

    /// P(given | true) from P(true | given) and the priors.
    static func noise(ps: [Double], inverse: [[Double]], prior py: [Double]) -> [[Double]] {
        let k = py.count
        return clipNoiseRates((0..<k).map { j in (0..<k).map { c in inverse[c][j] * ps[j] / max(py[c], tiny) } })
    }

    /// Off-diagonal rates clipped to [0, 0.9999], the diagonal kept, then
    /// every column renormalized to sum to one (cleanlab's `clip_noise_rates`).
    static func clipNoiseRates(_ m: [[Double]]) -> [[Double]] {
        let k = m.count
        var out = m
        for r in 0..<k { for c in 0..<k where r != c { out[r][c] = min(max(m[r][c], 0), 0.9999) } }
        let sums = (0..<k).map { max(NumPySummation.columnSum(out, $0), tiny) }
        for r in 0..<k { for c in 0..<k { out[r][c] /= sums[c] } }
        return out
    }

    /// Values clipped to [low, high], then rescaled to sum to `sum` (cleanlab's `clip_values`).
    static func clip(_ x: [Double], low: Double, high: Double, sum: Double) -> [Double] {
        let clipped = x.map { min(max($0, low), high) }
        let total = max(NumPySummation.pairwise(clipped), tiny)
        return clipped.map { $0 * sum / total }
    }
}
