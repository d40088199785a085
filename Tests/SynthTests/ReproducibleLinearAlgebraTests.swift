import Testing
@testable import Synth
@testable import SynthctlCore

/// The fixed-order linear algebra of model fitting: the products equal a
/// plain scalar loop in their documented order bit for bit (so no
/// vectorization or machine can change them), and the factorizations meet
/// the backward-error bounds of their algorithms (Higham, Accuracy and
/// Stability of Numerical Algorithms, 2002: theorem 10.3 for Cholesky,
/// 8.10 for triangular inversion; Householder tridiagonalization and QL
/// are backward stable with a constant below n², γ_k = k·u/(1 − k·u)).
@Suite struct ReproducibleLinearAlgebraTests {
    let u = Double.ulpOfOne / 2
    func gamma(_ k: Int) -> Double { Double(k) * u / (1 - Double(k) * u) }

    func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> [Double] {
        let s = RandomStream(seed: seed, purpose: .structure)
        return (0..<(rows * columns)).map { s.normal(row: UInt64($0), draw: 0) }
    }

    /// B·Bᵀ/d + shift·I: symmetric positive definite.
    func spd(_ n: Int, seed: UInt64, shift: Double = 0.1) -> [Double] {
        let b = randomMatrix(n, n, seed: seed)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = 0.0
            for k in 0..<n { s += b[i * n + k] * b[j * n + k] }
            a[i * n + j] = s / Double(n) + (i == j ? shift : 0)
        } }
        return a
    }

    @Test(arguments: [(1, 1), (7, 5), (8, 8), (9, 17), (300, 13), (33, 1)])
    func gramIsTheScalarSumInRowOrder(shape: (Int, Int)) {
        let (n, d) = shape
        let x = randomMatrix(n, d, seed: 1)
        var reference = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in i..<d {
            var s = 0.0
            for r in 0..<n { s = s + x[r * d + i] * x[r * d + j] }
            reference[i * d + j] = s
            reference[j * d + i] = s
        } }
        #expect(ReproducibleDoubleProducts.gram(x, rows: n, columns: d) == reference)
    }

    /// The documented order of ``_UnsafeReproducibleDoubleDot``: lane l of
    /// eight sums t ≡ l (mod 8) over whole multiples of 8, reduced by halves,
    /// then the remaining t in order.
    func referenceDot(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
        let a = Array(a), b = Array(b), n = a.count
        var lanes = [Double](repeating: 0, count: 8)
        var t = 0
        while t + 8 <= n { for l in 0..<8 { lanes[l] = lanes[l] + a[t + l] * b[t + l] }; t += 8 }
        let h4 = (0..<4).map { lanes[$0] + lanes[$0 + 4] }
        let h2 = (0..<2).map { h4[$0] + h4[$0 + 2] }
        var s = h2[0] + h2[1]
        while t < n { s = s + a[t] * b[t]; t += 1 }
        return s
    }

    @Test(arguments: [(1, 1), (3, 9), (4, 16), (7, 25), (13, 8), (6, 40)])
    func triangularProductIsTheDocumentedDotOrder(shape: (Int, Int)) {
        let (n, d) = shape
        let x = randomMatrix(n, d, seed: 2)
        var l = randomMatrix(d, d, seed: 3)
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { l[i * d + j] = 0 } }
        let y = ReproducibleDoubleProducts.timesTransposedLower(x, rows: n, lower: l, order: d)
        for i in 0..<n { for j in 0..<d {
            #expect(y[i * d + j] == referenceDot(x[(i * d)...(i * d + j)], l[(j * d)...(j * d + j)]), "row \(i), column \(j)")
        } }
    }

    @Test(arguments: [1, 2, 5, 16, 40])
    func choleskyMeetsItsBackwardErrorBound(n: Int) throws {
        let a = spd(n, seed: UInt64(n))
        let l = try ReproducibleCholesky.factor(a, order: n)
        for i in 0..<n {
            #expect(l[i * n + i] > 0)
            for j in 0..<n {
                if j > i { #expect(l[i * n + j] == 0) }
                // |A − L·Lᵀ| ≤ γ_{n+1}·|L|·|Lᵀ| entrywise (Higham, theorem 10.3).
                var product = 0.0, magnitude = 0.0
                for k in 0..<n { product += l[i * n + k] * l[j * n + k]; magnitude += abs(l[i * n + k] * l[j * n + k]) }
                #expect(abs(a[i * n + j] - product) <= gamma(n + 1) * magnitude, "entry (\(i), \(j))")
            }
        }
        // L·L⁻¹ = I within γ_n·|L|·|L⁻¹| (Higham, §8.3).
        let x = ReproducibleCholesky.inverse(ofLower: l, order: n)
        for i in 0..<n { for j in 0..<n {
            var product = 0.0, magnitude = 0.0
            for k in 0..<n { product += l[i * n + k] * x[k * n + j]; magnitude += abs(l[i * n + k] * x[k * n + j]) }
            #expect(abs(product - (i == j ? 1 : 0)) <= gamma(n) * magnitude, "entry (\(i), \(j))")
        } }
    }

    @Test func choleskyRefusesWhatIsNotPositiveDefinite() {
        #expect(throws: LinearAlgebraError(routine: "cholesky", info: 2)) {
            _ = try ReproducibleCholesky.factor([1, 2, 2, 1], order: 2)
        }
        #expect(throws: LinearAlgebraError(routine: "cholesky", info: 1)) {
            _ = try ReproducibleCholesky.factor([0, 0, 0, 1], order: 2)
        }
        #expect(throws: LinearAlgebraError(routine: "cholesky", info: 1)) {
            _ = try ReproducibleCholesky.factor([.nan], order: 1)
        }
        #expect(LinearAlgebraError(routine: "cholesky", info: 2).description == "matrix is not positive definite (leading minor 2 fails, cholesky)")
    }

    @Test(arguments: [1, 2, 3, 10, 48])
    func eigendecompositionIsBackwardStableAndAgreesWithLAPACK(n: Int) throws {
        // Symmetric, indefinite, with a repeated eigenvalue when n > 2.
        var a = spd(n, seed: UInt64(100 + n), shift: -0.5)
        if n > 2 { for i in 0..<n { for j in 0..<n { a[i * n + j] = i < 2 && j < 2 ? (i == j ? 3 : 0) : (i < 2 || j < 2 ? 0 : a[i * n + j]) } } }
        let (values, v) = try ReproducibleSymmetricEigen.decompose(a, order: n)
        var norm = 0.0
        for x in a { norm += x * x }
        norm = norm.squareRoot()
        let bound = gamma(n * n + 8) * norm  // ‖A·V − V·Λ‖ and ‖VᵀV − I‖·‖A‖, entrywise
        for i in 0..<n { for j in 0..<n {
            var av = 0.0, vtv = 0.0
            for k in 0..<n { av += a[i * n + k] * v[k * n + j]; vtv += v[k * n + i] * v[k * n + j] }
            #expect(abs(av - v[i * n + j] * values[j]) <= bound, "residual (\(i), \(j))")
            #expect(abs(vtv - (i == j ? 1 : 0)) <= gamma(n * n + 8), "orthogonality (\(i), \(j))")
        } }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
        // Both are backward stable: by Weyl's theorem each eigenvalue is within the two backward errors.
        let lapack = try LAPACK.symmetricEigen(a, order: n).values
        for (x, y) in zip(values, lapack) { #expect(abs(x - y) <= 2 * bound) }
        #expect(try ReproducibleSymmetricEigen.decompose(a, order: n, vectors: false).values == values)
    }
}
