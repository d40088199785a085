import Testing
@testable import Synth
@testable import SynthctlCore

@Suite struct ReproducibleProductTests {
    /// A scalar loop in the documented order: the kernel must match it bit for bit.
    func reference(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, c: [Float]?) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s = s + a[i * k + p] * b[p * n + j] }
                if let c { s = s + c[i * n + j] }
                out[i * n + j] = s
            }
        }
        return out
    }

    @Test(arguments: [(1, 1, 1), (3, 7, 5), (4, 8, 16), (9, 19, 3), (13, 24, 0), (6, 40, 33)])
    func matchesTheScalarOrderExactly(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let stream = RandomStream(seed: 9, purpose: .structure)
        let a = (0..<(m * k)).map { Float(stream.normal(row: UInt64($0), draw: 0)) }
        let b = (0..<(k * n)).map { Float(stream.normal(row: UInt64($0), draw: 1)) }
        let c0 = (0..<(m * n)).map { Float(stream.normal(row: UInt64($0), draw: 2)) }
        for accumulate in [false, true] {
            var c = c0
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        _UnsafeReproducibleProductKernel.run(
                            m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress ?? ap.baseAddress!, ldb: n,
                            c: cp.baseAddress!, ldc: n, accumulate: accumulate)
                    }
                }
            }
            #expect(c == reference(a, b, m: m, n: n, k: k, c: accumulate ? c0 : nil))
        }
    }

    @Test func agreesWithBLASToRounding() {
        let stream = RandomStream(seed: 3, purpose: .structure)
        var a = Matrix(rows: 37, columns: 21), b = Matrix(rows: 21, columns: 45)
        for i in a.storage.indices { a.storage[i] = Float(stream.normal(row: UInt64(i), draw: 0)) }
        for i in b.storage.indices { b.storage[i] = Float(stream.normal(row: UInt64(i), draw: 1)) }
        let exact = ReproducibleProduct.multiply(a, b), blas = BLAS.multiply(a, b)
        // Sums of 21 products of standard normals: rounding error well below 1e-4.
        for (x, y) in zip(exact.storage, blas.storage) { #expect(abs(x - y) <= 1e-4 * max(1, abs(y))) }
    }
}

/// The thin products of an iterative linear model (``ReproducibleThinProducts``)
/// must follow their documented orders bit for bit, whatever the class
/// count (odd counts leave one class to the single dot product), the
/// width (multiples of 16 and tails) and the thread count.
@Suite struct ReproducibleThinProductTests {
    /// ``_UnsafeReproducibleDot/dot(_:_:count:)``'s order in scalar steps:
    /// sixteen lane sums, reduced by halves, then the tail in order.
    func dot(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        let a = Array(a), b = Array(b), d = a.count, whole = d / 16 * 16
        var lanes = [Float](repeating: 0, count: 16)
        for j in 0..<whole { lanes[j % 16] = lanes[j % 16] + a[j] * b[j] }
        var width = 16
        while width > 1 {
            width /= 2
            for l in 0..<width { lanes[l] = lanes[l] + lanes[l + width] }
        }
        var s = lanes[0]
        for j in whole..<d { s = s + a[j] * b[j] }
        return s
    }

    @Test(arguments: [(1, 1), (2, 16), (3, 17), (5, 33), (10, 128), (7, 130)])
    func logitsFollowTheDotOrder(shape: (Int, Int)) {
        let (k, d) = shape, n = 2_100  // three blocks of rows, the last partial
        let stream = RandomStream(seed: 17, purpose: .structure)
        var x = Matrix(rows: n, columns: d)
        for i in x.storage.indices { x.storage[i] = Float(stream.normal(row: UInt64(i), draw: 0)) }
        let w = (0..<(k * d)).map { Float(stream.normal(row: UInt64($0), draw: 1)) }
        let b = (0..<k).map { Float(stream.normal(row: UInt64($0), draw: 2)) }
        var want = [Float](repeating: 0, count: n * k)
        for i in 0..<n {
            for c in 0..<k { want[i * k + c] = b[c] + dot(x.storage[(i * d)..<((i + 1) * d)], w[(c * d)..<((c + 1) * d)]) }
        }
        for threads in [1, 2, 3] {
            let z = ReproducibleThinProducts.logits(x, weights: w, intercepts: b, classes: k, threads: threads)
            #expect(z.map(\.bitPattern) == want.map(\.bitPattern), "k \(k), d \(d), \(threads) threads")
        }
    }
}

@Suite struct KernelSelectionTests {
    @Test func fallsBackOnlyFromGenericKernels() {
        let avx512: Set<String> = ["fma", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
        #expect(BLAS.betterKernelCore(core: "Prescott", cpuFlags: avx512) == "SkylakeX")
        #expect(BLAS.betterKernelCore(core: "Prescott", cpuFlags: ["fma", "avx2", "sse4_2"]) == "Haswell")
        #expect(BLAS.betterKernelCore(core: "Prescott", cpuFlags: ["sse4_2"]) == nil)
        // A kernel OpenBLAS chose knowingly is never second-guessed.
        #expect(BLAS.betterKernelCore(core: "Zen", cpuFlags: avx512) == nil)
        #expect(BLAS.betterKernelCore(core: "SkylakeX", cpuFlags: ["avx2", "fma"]) == nil)
    }

    #if arch(x86_64) && os(Linux)
    @Test func readsThisMachinesFlags() {
        // Every x86-64 CPU has SSE2.
        #expect(BLAS.cpuFlags().contains("sse2"))
    }
    #endif
}

/// The fixed-order orthogonal factor: Q is orthogonal and QᵀG is upper
/// triangular with a positive diagonal (the QR factorization with diag(R) >
/// 0, which is unique), each to the rounding a backward-stable
/// Householder QR leaves (a small multiple of n·u·‖G‖).
@Suite struct ReproducibleOrthogonalTests {
    @Test(arguments: [1, 2, 7, 64, 130])
    func qIsTheOrthogonalFactorWithAPositiveDiagonal(n: Int) {
        let s = RandomStream(seed: 9, purpose: .samples)
        let g = (0..<(n * n)).map { s.normal(row: UInt64($0 / n), draw: UInt32($0 % n)) }
        let q = ReproducibleOrthogonal.qFactor(g, order: n)
        let u = Double.ulpOfOne / 2
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let tolerance = 20 * Double(n) * u
        for i in 0..<n {
            for j in 0..<n {
                let qtq = (0..<n).reduce(0.0) { $0 + q[$1 * n + i] * q[$1 * n + j] }
                #expect(abs(qtq - (i == j ? 1 : 0)) <= tolerance, "QᵀQ[\(i), \(j)] = \(qtq)")
                let r = (0..<n).reduce(0.0) { $0 + q[$1 * n + i] * g[$1 * n + j] }
                if i > j { #expect(abs(r) <= tolerance * norm, "R[\(i), \(j)] = \(r)") }
                if i == j { #expect(r > 0) }
            }
        }
        #expect(ReproducibleOrthogonal.qFactor(g, order: n) == q)
    }
}
