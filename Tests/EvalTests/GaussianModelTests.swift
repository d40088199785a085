import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// synthctl fit's class-conditional Gaussian: shrinkage against
/// scikit-learn (Tests/Oracles/covariance_oracle.py), the fitted and the
/// sampled moments against the truth with tolerances from the sample size,
/// and the model file's checks.
@Suite struct GaussianModelTests {
    struct Case: Decodable {
        let x: [[Float]]
        let ledoit_wolf_shrinkage: Double
        let ledoit_wolf_covariance: [[Double]]
        let fixed_025_covariance: [[Double]]
    }

    static let cases: [String: Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shrinkage.json")
        return try! JSONDecoder().decode([String: Case].self, from: Data(contentsOf: url))
    }()

    /// The covariance form of the shrinkage (toward μ·I, as the copula
    /// shrinks its normal scores; the Gaussian model shrinks the
    /// correlation instead: ``UnitFreeFitTests``).
    @Test(arguments: cases.keys.sorted())
    func shrinkageMatchesScikitLearn(name: String) throws {
        let c = try #require(Self.cases[name])
        let x = Matrix(c.x), d = x.columns, n = x.rows
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(x[i, j]) } }
        for j in 0..<d { mean[j] /= Double(n) }
        let centred = (0..<n).flatMap { i in (0..<d).map { Double(x[i, $0]) - mean[$0] } }
        for (shrinkage, expected) in [(CovarianceShrinkage.ledoitWolf, c.ledoit_wolf_covariance), (.fixed(0.25), c.fixed_025_covariance)] {
            let (cov, lambda) = shrinkage.shrunkCovariance(ofCentred: centred, rows: n, dimensions: d)
            if shrinkage == .ledoitWolf { #expect(abs(lambda - c.ledoit_wolf_shrinkage) < 1e-9) }
            for i in 0..<d { for j in 0..<d {
                #expect(abs(cov[i * d + j] - expected[i][j]) < 1e-6 * max(1, abs(expected[i][j])), "\(name) \(shrinkage) [\(i)][\(j)]")
            } }
        }
    }

    /// Two rows: Ledoit–Wolf's β̂ is 0 in exact arithmetic (Σᵢ‖xᵢ‖⁴/n and
    /// ‖S‖²_F are both r⁴) and rounding left it a few ulps below, λ ≈
    /// −1e-16 ("shrinkage -2.42191e-16" in fit's message). λ is a convex
    /// weight, clamped to [0, 1]: exactly 0 here, as scikit-learn's
    /// `LedoitWolf().fit(rows).shrinkage_` is on each of these inputs.
    @Test func ledoitWolfShrinkageIsNeverNegative() {
        let cases: [[[Float]]] = [[[0.841, 0.188], [0.331, 0.411]],
                                  [[0.243, 1.801, -0.764, -1.079], [-0.563, 0.969, -0.235, 1.324]],
                                  [[0.739, -0.723, -0.073], [0.446, 0.339, -1.314]]]
        for rows in cases {
            let d = rows[0].count
            var centred = [Double]()
            for r in rows { for j in 0..<d { centred.append(Double(r[j]) - (Double(rows[0][j]) + Double(rows[1][j])) / 2) } }
            let (_, lambda) = CovarianceShrinkage.ledoitWolf.shrunkCovariance(ofCentred: centred, rows: 2, dimensions: d)
            #expect(lambda == 0, "\(rows): \(lambda)")
        }
    }

    /// Two classes with known means and covariances Σ = AAᵀ. The fit (λ = 0)
    /// must recover them, and rows sampled from the fit must have them, each
    /// within 5 standard errors: σ_ii/√n for a mean, √((Σ_ii Σ_jj + Σ_ij²)/n)
    /// for a covariance entry.
    @Test func fitRecoversAndSamplingReproducesTheMoments() throws {
        let d = 3, n = 20_000
        let a: [[[Double]]] = [[[1, 0, 0], [0.5, 1, 0], [0.2, -0.3, 0.5]], [[2, 0, 0], [-1, 0.5, 0], [0, 0, 1]]]
        let mu: [[Double]] = [[0, 1, 2], [-3, 0, 5]]
        func sigma(_ c: Int) -> [[Double]] {
            (0..<d).map { i in (0..<d).map { j in (0..<d).reduce(0) { $0 + a[c][i][$1] * a[c][j][$1] } } }
        }
        let stream = RandomStream(seed: 3, purpose: .samples)
        var x = Matrix(rows: 2 * n, columns: d)
        var labels = [Int32]()
        for r in 0..<(2 * n) {
            let c = r % 2
            let z = (0..<d).map { stream.normal(row: UInt64(r), draw: UInt32($0)) }
            for i in 0..<d { x[r, i] = Float(mu[c][i] + (0..<d).reduce(0) { $0 + a[c][i][$1] * z[$1] }) }
            labels.append(Int32(c))
        }
        let model = try GaussianClassModel(fitting: x, labels: labels, classNames: ["p", "q"], featureNames: ["u", "v", "w"],
                                           shrinkage: .fixed(0), source: "test")
        func check(means: [[Double]], covariances: [[Double]], rows: Int, _ what: String) {
            for c in 0..<2 {
                let s = sigma(c)
                for i in 0..<d {
                    #expect(abs(means[c][i] - mu[c][i]) < 5 * s[i][i].squareRoot() / Double(rows).squareRoot(), "\(what) mean \(c) \(i)")
                    for j in 0..<d {
                        let se = ((s[i][i] * s[j][j] + s[i][j] * s[i][j]) / Double(rows)).squareRoot()
                        #expect(abs(covariances[c][i * d + j] - s[i][j]) < 5 * se, "\(what) cov \(c) [\(i)][\(j)]")
                    }
                }
            }
        }
        check(means: model.classes.map(\.mean), covariances: [model.covariance(ofClass: 0), model.covariance(ofClass: 1)], rows: n, "fit")
        #expect(model.classes.map(\.weight) == [0.5, 0.5])

        // Sample 2n rows through the generator, as `synthctl gen --model` does.
        guard case .object(var spec) = model.json else { Issue.record("model JSON is not an object"); return }
        spec["type"] = .string("gaussian_model")
        let plan = try DatasetPlan(spec: .object(["rows": .int(2 * n), "seed": .int(9), "generator": .object(spec)]), source: "test")
        var features = [Float](repeating: 0, count: 2 * n * d), sampled = [Int32](repeating: 0, count: 2 * n)
        plan.generator.fill(rows: 0..<(2 * n), features: &features, labels: &sampled)
        #expect(sampled.filter { $0 == 0 }.count == n)
        let moments = (0..<2).map { c in
            Moments(Matrix(rows: n, columns: d, storage: sampled.indices.filter { sampled[$0] == Int32(c) }.flatMap { features[($0 * d)..<(($0 + 1) * d)] }))
        }
        check(means: moments.map(\.mean), covariances: moments.map(\.covariance), rows: n, "sample")
        // The file round-trips exactly.
        #expect(try GaussianClassModel(json: model.json, source: "again") == model)
    }

    @Test func badModelsAndFitsAreRefused() throws {
        let x = Matrix([[0, 1], [1, 0], [2, 2], [5, 5]])
        do {
            _ = try GaussianClassModel(fitting: x, labels: [0, 0, 0, 1], classNames: ["a", "b"], featureNames: ["u", "v"], source: "t.csv")
            Issue.record("a one-row class was fitted")
        } catch { #expect("\(error)" == "t.csv: class \"b\": expected at least 2 rows to fit a covariance, found 1") }
        // Two rows in two dimensions: a singular covariance unless shrunk.
        do {
            _ = try GaussianClassModel(fitting: x, labels: [0, 0, 1, 1], classNames: ["a", "b"], featureNames: ["u", "v"],
                                       shrinkage: .fixed(0), source: "t.csv")
            Issue.record("a singular covariance was factored")
        } catch { #expect("\(error)" == "t.csv: class \"a\": expected a positive definite covariance, found a singular one (2 rows in 2 dimensions, shrinkage 0)") }
        // Every feature constant within a class: no shrinkage helps, and the
        // library names no option (the command adds a hint where it has one).
        do {
            _ = try GaussianClassModel(fitting: Matrix([[1, 2], [1, 2], [3, 3], [4, 5]]), labels: [0, 0, 1, 1], classNames: ["a", "b"],
                                       featureNames: ["u", "v"], shrinkage: .fixed(0.5), source: "t.csv")
            Issue.record("a zero covariance was factored")
        } catch {
            #expect((error as? SingularCovarianceError)?.cause == .noVariance)
            #expect("\(error)" == "t.csv: class \"a\": expected a feature that varies within the class, found every one constant (2 rows): its covariance is 0, and no shrinkage makes it positive definite")
        }
        let good = try GaussianClassModel(fitting: x, labels: [0, 0, 1, 1], classNames: ["a", "b"], featureNames: ["u", "v"],
                                          shrinkage: .fixed(0.1), source: "t.csv")
        // The shape these edits rely on: an object whose "classes" is an array of objects.
        let o = try #require({ if case .object(let o) = good.json { o } else { nil } }(), "model JSON is not an object")
        let classes = try #require({ if case .array(let c)? = o["classes"] { c } else { nil } }(), "model JSON has no classes array")
        let first = try #require({ if case .object(let f)? = classes.first { f } else { nil } }(), "classes[0] is not an object")
        func message(_ change: (inout [String: JSONValue]) -> Void) -> String {
            var copy = o
            change(&copy)
            do { _ = try GaussianClassModel(json: .object(copy), source: "m.json"); return "read" } catch { return "\(error)" }
        }
        #expect(message { $0["format_version"] = .int(2) } == "m.json: format_version: expected 1 (a model with every number inline), found 2")
        #expect(message { $0["format_version"] = .int(7) } == "m.json: format_version: expected 1, 2 or 3 (this synthctl's model formats), found 7")
        #expect(message { $0["model"] = .string("gmm") } == "m.json: model: expected \"gaussian\", found \"gmm\"")
        #expect(message { $0["shrinkage"] = .double(1.5) } == "m.json: shrinkage: expected \"ledoit-wolf\" or a number in [0, 1], found 1.5")
        #expect(message { o in
            var classes = classes, first = first
            first["cholesky"] = .array([.array([.int(-1)]), .array([.int(0), .int(1)])])
            classes[0] = .object(first)
            o["classes"] = .array(classes)
        } == "m.json: classes[0].cholesky[0][0]: expected a positive diagonal entry, found -1")
        #expect(message { o in
            var classes = classes, first = first
            first["mean"] = .array([.int(1)])
            classes[0] = .object(first)
            o["classes"] = .array(classes)
        } == "m.json: classes[0].mean: expected 2 finite numbers, found [1]")
    }
}
