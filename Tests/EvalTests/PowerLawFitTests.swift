import Testing
import Foundation
@testable import Eval

/// err(n) = c + a·n^(−b) against SciPy's curve_fit on the same points
/// (Tests/Oracles/limits_oracle.py).
@Suite struct PowerLawFitTests {
    struct Case: Decodable {
        let sizes: [Double]; let errors: [Double]; let sigmas: [Double]; let params: [Double]; let standard_errors: [Double]
        let covariance: [[Double]]
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/power_law.json")
        return try! JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }()

    @Test(arguments: 0..<3)
    func matchesScipyCurveFit(index: Int) {
        let c = Self.cases[index]
        let fit = PowerLawFit(sizes: c.sizes, errors: c.errors, sigmas: c.sigmas)
        #expect(fit.converged)
        let got = [fit.plateau, fit.scale, fit.exponent]
        let se = [fit.standardErrors.plateau, fit.standardErrors.scale, fit.standardErrors.exponent]
        for k in 0..<3 {
            #expect(abs(got[k] - c.params[k]) < 1e-5 * max(1, abs(c.params[k])), "param \(k): \(got[k]) vs \(c.params[k])")
            #expect(abs(se[k] - c.standard_errors[k]) < 1e-3 * c.standard_errors[k], "se \(k): \(se[k]) vs \(c.standard_errors[k])")
            // The whole covariance (its off-diagonal terms carry the exchange
            // rate's uncertainty), to the same relative accuracy on the
            // correlation scale.
            for l in 0..<3 {
                let unit = (c.covariance[k][k] * c.covariance[l][l]).squareRoot()
                #expect(abs(fit.covariance[k][l] - c.covariance[k][l]) < 2e-3 * unit, "cov[\(k)][\(l)]: \(fit.covariance[k][l]) vs \(c.covariance[k][l])")
            }
        }
        // The delta method for the fitted error: gᵀ·Cov·g with SciPy's covariance.
        for n in [30.0, 1000, 1e6] {
            let t = pow(n, -c.params[2]), g = [1, t, -c.params[1] * t * log(n)]
            var expected = 0.0
            for k in 0..<3 { for l in 0..<3 { expected += g[k] * c.covariance[k][l] * g[l] } }
            #expect(abs(fit.errorVariance(at: n) - expected) < 5e-3 * expected, "n = \(n)")
        }
    }

    @Test func exactCurveAndItsInverse() {
        let sizes: [Double] = [10, 30, 100, 300, 1000, 3000]
        let fit = PowerLawFit(sizes: sizes, errors: sizes.map { 0.05 + 0.7 * pow($0, -0.6) })
        #expect(abs(fit.plateau - 0.05) < 1e-8 && abs(fit.scale - 0.7) < 1e-6 && abs(fit.exponent - 0.6) < 1e-7)
        #expect(abs(fit.rows(toReach: fit.error(at: 500))! - 500) < 1e-4)
        #expect(fit.rows(toReach: 0.05) == nil && fit.rows(toReach: 0.01) == nil)
    }

    /// A curve whose unconstrained optimum has a negative plateau is refitted
    /// with the plateau at 0, the least an error rate can be.
    @Test func plateauIsHeldAtZeroRatherThanNegative() {
        let sizes: [Double] = [20, 40, 80, 160, 320, 640, 1280]
        let errors = sizes.map { 0.9 * pow($0, -0.05) - 0.6 }  // c = −0.6 fits this exactly
        let fit = PowerLawFit(sizes: sizes, errors: errors)
        #expect(fit.plateauAtZero && fit.plateau == 0 && fit.standardErrors.plateau.isNaN)
        // The free fit's plateau stays on record for the interval: below zero, with a standard error.
        #expect(fit.unconstrainedPlateau.value < 0 && fit.unconstrainedPlateau.standardError.isFinite)
        #expect(fit.covariance[0] == [0, 0, 0] && fit.covariance[1][1] > 0)
        #expect(fit.scale > 0 && fit.exponent > 0 && fit.standardErrors.scale.isFinite)
        let clean = PowerLawFit(sizes: sizes, errors: sizes.map { 0.1 + pow($0, -0.5) })
        #expect(!clean.plateauAtZero && abs(clean.plateau - 0.1) < 1e-8)
    }
}
