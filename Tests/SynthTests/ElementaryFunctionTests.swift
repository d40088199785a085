import Testing
import Foundation
import Glibc
@testable import Synth
@testable import SynthctlCore

/// The project's own e^x, ln x, xʸ and sin/cos of πx against glibc's 80-bit
/// versions (64-bit significands, within an ulp of their own: 2⁻¹¹ of a
/// double's ulp), over the ranges the code uses and beyond. The bounds
/// are the ones the doc comments state.
@Suite struct ElementaryFunctionTests {
    /// |ours − reference| in units of the reference's last place as a double.
    func ulpError(_ ours: Double, _ reference: Float80) -> Double {
        let r = Double(reference)
        guard r != 0 else { return ours == 0 ? 0 : .infinity }
        return Double(abs(Float80(ours) - reference) / Float80(r.ulp))
    }

    /// Seeded uniform doubles in [lo, hi).
    func uniforms(_ count: Int, _ lo: Double, _ hi: Double, seed: UInt64) -> [Double] {
        let s = RandomStream(seed: seed, purpose: .samples)
        return (0..<count).map { lo + (hi - lo) * s.uniform(row: UInt64($0), draw: 0) }
    }

    @Test func expIsWithinTwoUlp() {
        var worst = 0.0
        for x in uniforms(200_000, -708, 709.7, seed: 1) + uniforms(50_000, -1, 1, seed: 2) + [0, 1, -1, 1e-300, -1e-300, 709.7, -708] {
            worst = max(worst, ulpError(polynomialExp(x), expl(Float80(x))))
        }
        #expect(worst <= 2, "worst \(worst) ulp")
    }

    @Test func logIsWithinOneUlp() {
        var worst = 0.0
        var xs = [Double]()
        // Every binade, normal and subnormal, several significands each.
        let s = RandomStream(seed: 3, purpose: .samples)
        for e in -1074...1023 {
            for j in 0..<40 {
                let m = 1 + s.uniform(row: UInt64(e + 1074), draw: UInt32(j))
                let x = Foundation.scalbn(m, e)
                if x > 0 && x.isFinite { xs.append(x) }
            }
        }
        xs += uniforms(100_000, 0.5, 2, seed: 4)  // where ln x is near zero
        xs += [1, 2, 0.5, Double.leastNonzeroMagnitude, Double.leastNormalMagnitude, Double.greatestFiniteMagnitude,
               1.4142135623730951, 1.4142135623730951.nextUp, 0.7071067811865476, 1 - 0x1p-53, 1 + 0x1p-52]
        for x in xs { worst = max(worst, ulpError(polynomialLog(x), logl(Float80(x)))) }
        #expect(worst <= 1, "worst \(worst) ulp")
        #expect(polynomialLog(1) == 0 && polynomialLog(0) == -.infinity && polynomialLog(-1).isNaN)
        #expect(polynomialLog(.infinity) == .infinity && polynomialLog(.nan).isNaN)
    }

    @Test func powIsWithinItsStatedBound() {
        let bases = uniforms(20_000, 1e-3, 1e3, seed: 5), exponents = uniforms(20_000, -4, 4, seed: 6)
        for (x, y) in zip(bases, exponents) {
            let bound = 3 * abs(y * Foundation.log(x)) + 2
            let error = ulpError(polynomialPow(x, y), powl(Float80(x), Float80(y)))
            #expect(error <= bound, "pow(\(x), \(y)): \(error) ulp > \(bound)")
        }
    }

    /// sin(πx) and cos(πx) by an independent route: the argument reduced in
    /// 80-bit arithmetic (exact for a double x), glibc's `sinl`/`cosl` of π·r,
    /// and the quadrant identities.
    func reference(_ x: Double) -> (sin: Float80, cos: Float80) {
        let n = Float80(x * 2).rounded(.toNearestOrEven)
        let r = Float80(x) - n / 2
        let s = sinl(Float80.pi * r), c = cosl(Float80.pi * r)
        switch Int(n.truncatingRemainder(dividingBy: 4) + 4) % 4 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    @Test func sinAndCosOfPiXAreWithinTwoUlp() {
        var xs = uniforms(200_000, -8, 8, seed: 7) + uniforms(20_000, -1e6, 1e6, seed: 8)
        for k in -40...40 { xs.append(Double(k) / 4) }
        for k in 1...50 { for base in [0.0, 0.5, 1, 2.5, -3] { xs += [base + Foundation.scalbn(1, -k), base - Foundation.scalbn(1, -k)] } }
        var worst = 0.0
        for x in xs {
            let (s, c) = sinCosPi(x), ref = reference(x)
            worst = max(worst, ulpError(s, ref.sin), ulpError(c, ref.cos))
        }
        #expect(worst <= 2, "worst \(worst) ulp")
        // Exact at multiples of ½, and periodic beyond 2⁵².
        #expect(sinCosPi(0.5) == (1, 0) && sinCosPi(1).cos == -1 && sinCosPi(1).sin == 0 && sinCosPi(-0.5).sin == -1)
        #expect(sinCosPi(0x1p53).cos == 1 && sinCosPi(0x1p52 + 1).cos == -1 && sinCosPi(.infinity).sin.isNaN)
    }
}
