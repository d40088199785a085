import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The logistic regression against scikit-learn's optimum on the same data
/// (Tests/Oracles/logistic_oracle.py), and the cross-validation contracts.
@Suite struct LogisticRegressionTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/logistic")

    static func data() throws -> (Matrix, [Int32]) {
        let x = try NpyArray(path: dir.appendingPathComponent("features.npy").path)
        let y = try NpyArray(path: dir.appendingPathComponent("labels.npy").path)
        return (Matrix(rows: x.rows, columns: x.columns, storage: x.values.map(Float.init)), y.values.map { Int32($0) })
    }

    @Test(arguments: ["1.0", "0.05"], [false, true])
    func reachesScikitLearnsOptimum(c: String, standardize: Bool) throws {
        let (x, y) = try Self.data()
        struct Reference: Decodable {
            let raw: [[Double]], standardized: [[Double]], objective_raw: Double, objective_standardized: Double
        }
        let expected = try JSONDecoder().decode([String: Reference].self,
                                                from: Data(contentsOf: Self.dir.appendingPathComponent("expected.json")))
        var options = LogisticRegression.Options()
        options.inverseRegularization = Double(c)!
        options.standardize = standardize
        options.gradientTolerance = 1e-6
        options.maxIterations = 5000
        let model = LogisticRegression(features: x, labels: y, classes: 3, options: options)
        #expect(model.converged)
        let p = model.probabilities(x)
        let r = try #require(expected[c])
        let reference = (standardize ? r.standardized : r.raw).flatMap { $0 }
        #expect(abs(model.objective - (standardize ? r.objective_standardized : r.objective_raw)) < 1e-7)
        let worst = zip(p, reference).map { abs($0 - $1) }.max()!
        #expect(worst < (standardize ? 2e-4 : 1e-3), "largest probability difference \(worst), \(model.iterations) iterations, objective \(model.objective)")
    }

    /// Two classes: the binary form (one weight vector, sigmoid) against
    /// scikit-learn's binary fit at the same C (Tests/Oracles/logistic_oracle.py).
    /// A softmax over two weight vectors would be scikit-learn's fit at 2·C,
    /// which the gradient check below rejects: its gradient of the C-objective
    /// is λ/2·w ≈ 1e-3, two orders above what the stopping rule allows.
    ///
    /// The tolerances follow from the stopping rule. In exact arithmetic the
    /// solver stops with max |∇f| ≤ gtol; float32 products and the float32
    /// prepared features move the true gradient from the computed one by at
    /// most δ (the worst-case rounding bound, γ_n = n·u/(1 − n·u) for an n-term
    /// float32 sum, u = 2⁻²⁴). The objective is strongly convex: with μ the
    /// smallest eigenvalue of its Hessian at the optimum (from the oracle), and
    /// σ′(z + Δ) ≥ e^{−|Δ|}·σ′(z), it is e^{−Δ}·μ-convex on the ball of radius
    /// r around the optimum, Δ = r·maxᵢ‖(xᵢ, 1)‖; so ‖θ − θ*‖ ≤ r = 2‖∇f(θ)‖/μ
    /// whenever Δ ≤ ln 2 (checked). The probabilities then differ by at most
    /// ¼·‖(xᵢ, 1)‖·(r + r_sklearn) (σ is ¼-Lipschitz), plus the float32
    /// evaluation of the logits.
    @Test(arguments: ["1.0", "0.1", "10.0"], ["standardized", "raw"])
    func binaryMatchesScikitLearn(c: String, form: String) throws {
        let x = try NpyArray(path: Self.dir.appendingPathComponent("binary_features.npy").path)
        let labels = try NpyArray(path: Self.dir.appendingPathComponent("binary_labels.npy").path).values.map { Int32($0) }
        let data = Matrix(rows: x.rows, columns: x.columns, storage: x.values.map(Float.init))
        struct Reference: Decodable {
            let C: Double, standardize: Bool, mean: [Double], scale: [Double], coef: [Double], intercept: Double
            let probabilities: [Double], objective: Double, mu: Double
        }
        let all = try JSONDecoder().decode([String: Reference].self,
                                           from: Data(contentsOf: Self.dir.appendingPathComponent("binary.json")))
        let r = try #require(all["\(c)/\(form)"])
        var options = LogisticRegression.Options()
        options.inverseRegularization = r.C
        options.standardize = r.standardize
        options.gradientTolerance = 1e-5
        options.maxIterations = 5000
        let model = LogisticRegression(features: data, labels: labels, classes: 2, options: options)
        #expect(model.converged && model.fittedClasses == [0, 1])
        let n = data.rows, d = data.columns, u = Double(Float.ulpOfOne) / 2
        #expect(model.weights.count == d && model.intercepts.count == 1)

        // Everything below in Double, in the model's own parametrization: features
        // (x − mean32)/scale32 exactly; scikit-learn's θ moved into it.
        let m32 = model.mean.map(Double.init), s32 = model.scale.map(Double.init)
        let z = (0..<n).map { i in (0..<d).map { j in (Double(data[i, j]) - m32[j]) / s32[j] } }
        let theta = model.weights.map(Double.init) + [Double(model.intercepts[0])]
        let reference: [Double] = {
            // z·w64 + b64 with z64 = (x − m64)/s64 equals z32·w32 + b32 when
            // w32 = w64·s32/s64 and b32 = b64 − Σ w64·(m64 − m32)/s64.
            let w = (0..<d).map { r.coef[$0] * s32[$0] / r.scale[$0] }
            let b = r.intercept - (0..<d).reduce(0.0) { $0 + r.coef[$1] * (r.mean[$1] - m32[$1]) / r.scale[$1] }
            return w + [b]
        }()
        let lambda = 1 / (r.C * Double(n))
        func logit(_ t: [Double], _ i: Int) -> Double { (0..<d).reduce(t[d]) { $0 + t[$1] * z[i][$1] } }
        func sigma(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        func gradient(_ t: [Double]) -> [Double] {
            var g = [Double](repeating: 0, count: d + 1)
            for i in 0..<n {
                let residual = (sigma(logit(t, i)) - Double(labels[i])) / Double(n)
                for j in 0..<d { g[j] += residual * z[i][j] }
                g[d] += residual
            }
            for j in 0..<d { g[j] += lambda * t[j] }
            return g
        }
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

        // 1. The true gradient at the model is within the stopping rule plus float32 rounding.
        let prepared = LogisticRegression.prepare(data, mean: model.mean, scale: model.scale)
        let e = (0..<n).map { i in (0..<d).map { j in abs(Double(prepared[i, j]) - z[i][j]) } }
        let gammaD = Double(d + 1) * u / (1 - Double(d + 1) * u), gammaN = Double(n) * u / (1 - Double(n) * u)
        let logitError = (0..<n).map { i in
            gammaD * ((0..<d).reduce(abs(theta[d])) { $0 + abs(Double(prepared[i, $1]) * theta[$1]) })
                + (0..<d).reduce(0.0) { $0 + e[i][$1] * abs(theta[$1]) }
        }
        let delta = (0..<(d + 1)).map { j -> Double in
            var s = 0.0
            for i in 0..<n {
                let feature = j < d ? abs(z[i][j]) : 1, rounding = j < d ? e[i][j] : 0
                s += rounding + feature * 0.25 * logitError[i] + (gammaN + u) * (j < d ? abs(Double(prepared[i, j])) : 1)
            }
            return s / Double(n) + lambda * u * abs(theta[j])
        }
        let g = gradient(theta)
        for j in 0...d {
            #expect(abs(g[j]) <= options.gradientTolerance + delta[j], "∂f/∂θ[\(j)] = \(g[j]), allowed \(options.gradientTolerance) + \(delta[j])")
        }

        // 2. Coefficients: within r + r_sklearn of each other.
        let widest = (0..<n).map { i in (z[i].reduce(1) { $0 + $1 * $1 }).squareRoot() }.max()!
        let radius = 2 * norm(g) / r.mu, referenceRadius = 2 * norm(gradient(reference)) / r.mu
        #expect(radius * widest <= log(2.0) && referenceRadius * widest <= log(2.0))
        let distance = norm(zip(theta, reference).map { $0 - $1 })
        #expect(distance <= radius + referenceRadius, "‖θ − θ_sklearn‖ = \(distance), bound \(radius) + \(referenceRadius)")

        // 3. Probabilities, as the model computes them (float32 logits).
        let p = model.probabilities(data)
        var worst = 0.0
        for i in 0..<n {
            let tolerance = 0.25 * (z[i].reduce(1) { $0 + $1 * $1 }).squareRoot() * (radius + referenceRadius)
                + 0.25 * logitError[i] + 1e-12
            let difference = abs(p[i * 2 + 1] - r.probabilities[i])
            worst = max(worst, difference / tolerance)
            #expect(abs(p[i * 2] + p[i * 2 + 1] - 1) < 1e-12)
        }
        #expect(worst <= 1, "largest probability difference is \(worst) of its bound")
        // and the objective: convexity gives f(θ) − f* ≤ ∇f(θ)·(θ − θ*), and the
        // float32 logits move each log-loss term by at most their error.
        let objectiveTolerance = (norm(g) + norm(gradient(reference))) * (radius + referenceRadius)
            + logitError.reduce(0, +) / Double(n) + 1e-12
        #expect(abs(model.objective - r.objective) <= objectiveTolerance)
    }

    /// scikit-learn's classes_ are the labels present: a class id that no
    /// training label uses gets probability 0, and two present classes out of
    /// three fit the binary form, not a softmax with an empty class.
    /// At the smallest C allowed (1e-8) the penalty asks for the
    /// intercept-only model, and L-BFGS reaches it: each class's mean
    /// probability is its share of the labels within the gradient tolerance
    /// (1e-4, the intercepts' gradient is that difference) plus what weights
    /// of at most C·n per standardized feature can add to a logit
    /// (C·n·Σⱼ max|xⱼ|, a few 1e-5 here). Below the range (1e-15 on 1,600
    /// rows) it stopped after one or two iterations with every probability
    /// uniform: the range is why that cannot be asked for.
    @Test(arguments: [2, 3]) func theSmallestCFitsTheIntercepts(classes k: Int) throws {
        let (x, labels) = try Self.data()
        let y = labels.map { $0 % Int32(k) }
        var options = LogisticRegression.Options()
        options.inverseRegularization = LogisticRegression.Options.inverseRegularizationRange.lowerBound
        let model = LogisticRegression(features: x, labels: y, classes: k, options: options)
        #expect(model.iterations >= 3, "\(model.iterations) iterations")
        let p = model.probabilities(x), n = x.rows
        var largest = [Float](repeating: 0, count: x.columns)
        for i in 0..<n { for j in 0..<x.columns { largest[j] = max(largest[j], abs((x[i, j] - model.mean[j]) / model.scale[j])) } }
        let weightEffect = options.inverseRegularization * Double(n) * largest.reduce(0) { $0 + Double($1) }
        for c in 0..<k {
            let share = Double(y.lazy.filter { $0 == Int32(c) }.count) / Double(n)
            let mean = (0..<n).reduce(0.0) { $0 + p[$1 * k + c] } / Double(n)
            #expect(abs(mean - share) <= options.gradientTolerance + weightEffect, "class \(c): \(mean) against \(share)")
        }
    }

    @Test func classesNotInTheLabelsGetZeroProbability() throws {
        let x = try NpyArray(path: Self.dir.appendingPathComponent("binary_features.npy").path)
        let data = Matrix(rows: x.rows, columns: x.columns, storage: x.values.map(Float.init))
        let labels = try NpyArray(path: Self.dir.appendingPathComponent("binary_labels.npy").path).values.map { Int32($0) }
        let binary = LogisticRegression(features: data, labels: labels, classes: 2)
        let spread = LogisticRegression(features: data, labels: labels.map { $0 * 2 }, classes: 3)
        #expect(spread.fittedClasses == [0, 2] && spread.weights == binary.weights && spread.intercepts == binary.intercepts)
        let p = spread.probabilities(data), q = binary.probabilities(data)
        for i in 0..<data.rows {
            #expect(p[i * 3 + 1] == 0 && p[i * 3] == q[i * 2] && p[i * 3 + 2] == q[i * 2 + 1])
        }
        // One class: nothing to fit; it gets probability 1.
        let one = LogisticRegression(features: data, labels: [Int32](repeating: 1, count: data.rows), classes: 3)
        #expect(one.fittedClasses == [1] && one.weights.isEmpty && one.predict(data).allSatisfy { $0 == 1 })
        #expect(one.probabilities(data).enumerated().allSatisfy { $0.element == ($0.offset % 3 == 1 ? 1 : 0) })
    }

    @Test func foldsAreStratifiedSeededAndCoverEveryRow() {
        let labels = (0..<1000).map { Int32($0 % 7 == 0 ? 2 : $0 % 3 == 0 ? 1 : 0) }
        let a = CrossValidation.folds(labels: labels, classes: 3, count: 5, seed: 1)
        #expect(a == CrossValidation.folds(labels: labels, classes: 3, count: 5, seed: 1))
        #expect(a != CrossValidation.folds(labels: labels, classes: 3, count: 5, seed: 2))
        for c in Int32(0)..<3 {
            let counts = (0..<5).map { f in labels.indices.filter { labels[$0] == c && a[$0] == f }.count }
            #expect(counts.max()! - counts.min()! <= 1, "class \(c): \(counts)")
        }
    }

    @Test func crossValidatedProbabilitiesAreOutOfSample() throws {
        let (x, y) = try Self.data()
        let (p, fits) = CrossValidation.logisticProbabilities(features: x, labels: y, classes: 3, folds: 5, seed: 0)
        #expect(fits.iterations.count == 5)
        for i in 0..<p.rows { #expect(abs((0..<3).map { p[i, $0] }.reduce(0, +) - 1) < 1e-9) }
        // In-sample fit is at least as confident in the given labels as out-of-sample on average.
        let inSample = LogisticRegression(features: x, labels: y, classes: 3).probabilities(x)
        let mean = { (q: (Int) -> Double) in (0..<x.rows).map(q).reduce(0, +) / Double(x.rows) }
        #expect(mean { inSample[$0 * 3 + Int(y[$0])] } > mean { p[$0, Int(y[$0])] })
    }
}

/// The tiled k-nearest-neighbour search against scikit-learn's brute-force
/// NearestNeighbors on the same rows (Tests/Oracles/logistic_oracle.py).
@Suite struct NearestNeighborTests {
    struct Neighbors: Decodable { let indices: [[Int]]; let distances: [[Double]] }

    @Test func matchesScikitLearn() throws {
        let (x, _) = try LogisticRegressionTests.data()
        let expected = try JSONDecoder().decode(Neighbors.self, from: Data(contentsOf:
            LogisticRegressionTests.dir.appendingPathComponent("neighbors.json")))
        let queries = x.gatheringRows(Array(0..<100))
        let d = x.columns
        func row(_ i: Int) -> [Double] { (0..<d).map { Double(x[i, $0]) } }
        func squaredNorm(_ i: Int) -> Double { row(i).reduce(0) { $0 + $1 * $1 } }
        for threads in [1, 2] {
            let r = NearestNeighbors.search(queries: queries, references: x, k: 6, threads: threads)
            for q in 0..<100 {
                let found = (0..<6).map { Int(r.indices[q * 6 + $0]) }
                // Brute force in Double, ties to the lower index: the search is exact.
                let all = (0..<x.rows).map { j in (zip(row(q), row(j)).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }, j) }
                let best = all.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(6)
                #expect(found == best.map(\.1), "row \(q)")
                for (j, b) in best.enumerated() {
                    #expect(abs(r.squaredDistance(query: q, rank: j) - b.0) <= 1e-12 * max(b.0, 1e-300), "row \(q) rank \(j)")
                }
                // scikit-learn's float64 ‖q‖² + ‖r‖² − 2q·r is off by at most
                // about (d + 2)·u·(‖q‖² + ‖r‖²) in squared distance (doubled
                // here for headroom); within that, the same rows in the same order.
                for j in 0..<6 {
                    let theirs = expected.distances[q][j] * expected.distances[q][j]
                    let bound = 2 * Double(d + 2) * Double.ulpOfOne / 2 * (squaredNorm(q) + squaredNorm(expected.indices[q][j]))
                    #expect(abs(r.squaredDistance(query: q, rank: j) - theirs) <= bound, "row \(q) rank \(j)")
                    if found[j] != expected.indices[q][j] {
                        let mine = r.squaredDistance(query: q, rank: j)
                        let swapped = all[expected.indices[q][j]].0
                        #expect(abs(mine - swapped) <= bound, "row \(q): \(found) vs \(expected.indices[q])")
                    }
                }
            }
        }
    }

    @Test func excludedPairsNeverAppearAndThreadsDoNotMatter() {
        let x = Matrix(rows: 700, columns: 5, storage: (0..<3500).map { Float(($0 * 7919) % 1013) / 1013 })
        let a = NearestNeighbors.search(queries: x, references: x, k: 4, threads: 1, excluded: { ($0 - $1) % 3 == 0 })
        let b = NearestNeighbors.search(queries: x, references: x, k: 4, threads: 2, excluded: { ($0 - $1) % 3 == 0 })
        #expect(a.indices == b.indices && a.squaredDistances == b.squaredDistances)
        for q in 0..<700 { for j in 0..<4 { #expect((q - Int(a.indices[q * 4 + j])) % 3 != 0) } }
    }
}
