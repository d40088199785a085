import Testing
import Foundation
@testable import Synth
@testable import Eval
@testable import SynthctlCore

/// `fit` on a table whose columns are in different units (thousandths to
/// thousands), three classes, one of 40 rows (issue 16, "The default fit
/// wrecks such tables"): the Gaussian model shrinks each class's
/// correlation (its Ledoit–Wolf λ against scikit-learn's `ledoit_wolf` on
/// the standardized columns, Tests/Oracles/correlation_shrinkage_oracle.py),
/// sampled within-class spreads and correlations are the human ones, and
/// neither it nor the mixture depends on a column's unit.
@Suite struct UnitFreeFitTests {
    struct Expected: Decodable {
        let ledoit_wolf_shrinkage: Double
        let shrunk_correlation: [[Double]]
        let standard_deviations: [Double]
    }
    struct Table: Decodable {
        let feature_names: [String]
        let class_names: [String]
        let x: [[Float]]
        let labels: [Int32]
        let classes: [String: Expected]
    }

    static let table: Table = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/correlation_shrinkage.json")
        return try! JSONDecoder().decode(Table.self, from: Data(contentsOf: url))
    }()

    /// Rows of class c, row-major, in Double.
    static func rows(_ x: [Float], _ labels: [Int32], class c: Int, d: Int) -> [[Double]] {
        labels.indices.filter { labels[$0] == Int32(c) }.map { i in (0..<d).map { Double(x[i * d + $0]) } }
    }

    /// Maximum-likelihood means, standard deviations and correlations of rows.
    static func moments(_ rows: [[Double]]) -> (mean: [Double], sd: [Double], correlation: [[Double]]) {
        let n = Double(rows.count), d = rows[0].count
        let mean = (0..<d).map { j in rows.reduce(0) { $0 + $1[j] } / n }
        let cov = (0..<d).map { a in (0..<d).map { b in rows.reduce(0) { $0 + ($1[a] - mean[a]) * ($1[b] - mean[b]) } / n } }
        let sd = (0..<d).map { cov[$0][$0].squareRoot() }
        return (mean, sd, (0..<d).map { a in (0..<d).map { b in cov[a][b] / (sd[a] * sd[b]) } })
    }

    static func sample<G: DatasetGenerator>(_ generator: G, rows n: Int, d: Int) -> (x: [Float], labels: [Int32]) {
        var x = [Float](repeating: 0, count: n * d), labels = [Int32](repeating: 0, count: n)
        generator.fill(rows: 0..<n, features: &x, labels: &labels)
        return (x, labels)
    }

    var human: Matrix { Matrix(Self.table.x) }

    @Test func ledoitWolfOnTheCorrelationMatchesScikitLearn() throws {
        let t = Self.table, d = t.feature_names.count
        let model = try GaussianClassModel(fitting: human, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names, source: "t")
        #expect(model.shrinkageTarget == .correlation)
        for (c, name) in t.class_names.enumerated() {
            let e = try #require(t.classes[name])
            #expect(abs(model.classes[c].shrinkage - e.ledoit_wolf_shrinkage) < 1e-9, "\(name) λ")
            let cov = model.covariance(ofClass: c)
            for i in 0..<d {
                // The variance is the class's own: only the off-diagonal is shrunk.
                #expect(abs(cov[i * d + i] / (e.standard_deviations[i] * e.standard_deviations[i]) - 1) < 1e-9, "\(name) variance \(i)")
                for j in 0..<d {
                    let r = cov[i * d + j] / (e.standard_deviations[i] * e.standard_deviations[j])
                    #expect(abs(r - e.shrunk_correlation[i][j]) < 1e-9, "\(name) R̂[\(i)][\(j)]")
                }
            }
        }
    }

    /// Why: shrinking the raw covariance toward μ·I (μ the average raw
    /// variance, set by the column in thousands) gives the column in
    /// thousandths a spread hundreds of times its own in the 40-row class.
    @Test func shrinkageTowardTheAverageVarianceWreckedSmallUnits() throws {
        let t = Self.table, d = t.feature_names.count
        let rare = Self.rows(t.x.flatMap { $0 }, t.labels, class: 2, d: d)
        let m = Self.moments(rare)
        let centred = rare.flatMap { r in (0..<d).map { r[$0] - m.mean[$0] } }
        let (old, _) = CovarianceShrinkage.ledoitWolf.shrunkCovariance(ofCentred: centred, rows: rare.count, dimensions: d)
        #expect(old[0].squareRoot() / m.sd[0] > 100, "rate: \(old[0].squareRoot() / m.sd[0])× the human spread")
        let new = try GaussianClassModel(fitting: human, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names, source: "t")
        #expect(abs(new.covariance(ofClass: 2)[0].squareRoot() / m.sd[0] - 1) < 1e-9)
    }

    /// 20,000 sampled rows: the smallest class (40 of 540 rows) gets about
    /// 1,481. The fitted variances are the human ones exactly, so a sampled
    /// standard deviation differs only by sampling error, σ/√(2m) for m
    /// rows (a relative 1.8 % at m = 1,481): within 5 of those, which is
    /// inside the issue's 10 % for every class. A sampled correlation r
    /// differs from the fitted (1 − λ)·ρ by sampling error (1 − ρ²)/√m,
    /// and from the human ρ by λ·|ρ| more.
    @Test(arguments: ["gaussian", "mixture"])
    func sampledSpreadsAndCorrelationsAreTheHumanOnes(model kind: String) throws {
        let t = Self.table, d = t.feature_names.count, n = 20_000
        let sampled: (x: [Float], labels: [Int32])
        var lambdas = [Double](repeating: 0, count: t.class_names.count)
        if kind == "gaussian" {
            let model = try GaussianClassModel(fitting: human, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names, source: "t")
            lambdas = model.classes.map(\.shrinkage)
            sampled = Self.sample(GaussianModelGenerator(model: model, rows: n, seed: 5), rows: n, d: d)
        } else {
            let model = try GaussianMixtureModel(fitting: human, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names,
                                                 components: 2, seed: 3, source: "t")
            #expect(model.regularizationScale == .columnVariance)
            sampled = Self.sample(MixtureModelGenerator(model: model, rows: n, seed: 5), rows: n, d: d)
        }
        for (c, name) in t.class_names.enumerated() {
            let h = Self.moments(Self.rows(t.x.flatMap { $0 }, t.labels, class: c, d: d))
            let rows = Self.rows(sampled.x, sampled.labels, class: c, d: d)
            let s = Self.moments(rows), m = Double(rows.count)
            for j in 0..<d {
                let ratio = s.sd[j] / h.sd[j]
                #expect(abs(ratio - 1) < 5 / (2 * m).squareRoot() && abs(ratio - 1) < 0.1, "\(kind) \(name) \(t.feature_names[j]): sd ratio \(ratio)")
                for k in 0..<d where k != j {
                    let rho = h.correlation[j][k]
                    let tolerance = 5 * (1 - rho * rho) / m.squareRoot() + lambdas[c] * abs(rho)
                    #expect(abs(s.correlation[j][k] - rho) < tolerance, "\(kind) \(name) r[\(j)][\(k)] \(s.correlation[j][k]) vs \(rho)")
                }
            }
        }
    }

    /// Fitting with one column in other units (1000·x, as float32 stores
    /// it) gives the same samples up to that scale. The only differences
    /// are rounding: the float32 inputs (a relative 2⁻²⁴), the fit's
    /// Double arithmetic (far smaller), and the float32 outputs (2⁻²⁴ of a
    /// value). A sampled value is μ_j + Σ L_jk·z_k, below |μ_j| + 8·s_j in
    /// magnitude; its error, a few ulps of float32 on each input, output
    /// and the condition number of R̂ (below 100 here) on the factor,
    /// stays under 1e-4 of that magnitude.
    @Test(arguments: ["gaussian", "mixture"])
    func samplesDoNotDependOnAColumnsUnit(model kind: String) throws {
        let t = Self.table, d = t.feature_names.count, n = 2000, scaled = 4
        var thousandfold = human
        for i in 0..<thousandfold.rows { thousandfold[i, scaled] = 1000 * thousandfold[i, scaled] }
        func draw(_ x: Matrix) throws -> (x: [Float], labels: [Int32]) {
            if kind == "gaussian" {
                let model = try GaussianClassModel(fitting: x, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names, source: "t")
                return Self.sample(GaussianModelGenerator(model: model, rows: n, seed: 8), rows: n, d: d)
            }
            let model = try GaussianMixtureModel(fitting: x, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names,
                                                 components: 2, seed: 3, source: "t")
            return Self.sample(MixtureModelGenerator(model: model, rows: n, seed: 8), rows: n, d: d)
        }
        let (a, b) = (try draw(human), try draw(thousandfold))
        #expect(a.labels == b.labels)
        let h = t.class_names.indices.map { Self.moments(Self.rows(t.x.flatMap { $0 }, t.labels, class: $0, d: d)) }
        var worst = 0.0
        for i in 0..<n { for j in 0..<d {
            let factor: Double = j == scaled ? 1000 : 1
            let c = Int(a.labels[i]), magnitude = abs(h[c].mean[j]) + 8 * h[c].sd[j]
            worst = max(worst, abs(Double(b.x[i * d + j]) / factor - Double(a.x[i * d + j])) / magnitude)
        } }
        #expect(worst < 1e-4, "\(kind): largest relative difference \(worst)")
    }

    /// A column constant within a class stays constant there (its factor
    /// row is 0), and the model file with that zero row reads back, in
    /// both forms, for both models.
    @Test func aConstantColumnStaysConstant() throws {
        let t = Self.table, d = t.feature_names.count
        var x = human
        for i in 0..<x.rows where t.labels[i] == 2 { x[i, 1] = 0.25 }
        let g = try GaussianClassModel(fitting: x, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names, source: "t")
        #expect((0...1).allSatisfy { g.classes[2].cholesky[1 * d + $0] == 0 } && g.classes[2].mean[1] == 0.25)
        #expect(try GaussianClassModel(json: g.json, source: "again") == g)
        let mix = try GaussianMixtureModel(fitting: x, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names,
                                           components: 2, seed: 3, source: "t")
        #expect(try GaussianMixtureModel(json: mix.json, source: "again") == mix)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("synthctl-unitfree-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.json").path
        let files = FittedModelFile.files(of: g, tensorFile: "m.safetensors", schema: nil)
        try Data(files.tensors).write(to: dir.appendingPathComponent("m.safetensors"))
        try Data(files.json).write(to: URL(fileURLWithPath: path))
        let (loaded, _) = try FittedModelFile.load(GaussianClassModel.self, path: path, sha256: nil, tensorsSHA256: nil)
        #expect(loaded == g)
        let fromGaussian = Self.sample(GaussianModelGenerator(model: loaded, rows: 3000, seed: 1), rows: 3000, d: d)
        let fromMixture = Self.sample(MixtureModelGenerator(model: mix, rows: 3000, seed: 1), rows: 3000, d: d)
        for s in [fromGaussian, fromMixture] {
            let rare = Self.rows(s.x, s.labels, class: 2, d: d)
            #expect(!rare.isEmpty && rare.allSatisfy { $0[1] == 0.25 })
            #expect(Set(Self.rows(s.x, s.labels, class: 0, d: d).map { $0[1] }).count > 100)  // varying elsewhere
        }
    }

    /// A model file written before `shrinkage_target` (shrunk toward μ·I)
    /// still loads, says so, and samples the same bytes: sampling reads
    /// only the means and factors. Its JSON writes back without the field.
    @Test func anOlderModelFileSamplesAsBefore() throws {
        let t = Self.table, d = t.feature_names.count
        let g = try GaussianClassModel(fitting: human, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names, source: "t")
        guard case .object(var o) = g.json else { Issue.record("model JSON is not an object"); return }
        #expect(o["shrinkage_target"] == .string("correlation"))
        o["shrinkage_target"] = nil
        let old = try GaussianClassModel(json: .object(o), source: "old.json")
        #expect(old.shrinkageTarget == .averageVariance && old.classes == g.classes)
        #expect(old.json == .object(o))
        #expect(Self.sample(GaussianModelGenerator(model: old, rows: 500, seed: 2), rows: 500, d: d).x
                == Self.sample(GaussianModelGenerator(model: g, rows: 500, seed: 2), rows: 500, d: d).x)
        o["shrinkage_target"] = .string("covariance")
        #expect(throws: InputError.self) { _ = try GaussianClassModel(json: .object(o), source: "old.json") }
        let mix = try GaussianMixtureModel(fitting: human, labels: t.labels, classNames: t.class_names, featureNames: t.feature_names,
                                           components: 2, seed: 3, source: "t")
        guard case .object(var p) = mix.json else { Issue.record("model JSON is not an object"); return }
        p["regularization"] = nil
        let oldMix = try GaussianMixtureModel(json: .object(p), source: "old.json")
        #expect(oldMix.regularizationScale == .averageVariance && oldMix.classes == mix.classes && oldMix.json == .object(p))
        // An unknown meaning is refused in one line naming the field, for both models.
        do { _ = try GaussianClassModel(json: .object(o), source: "old.json"); Issue.record("read") } catch {
            #expect("\(error)" == "old.json: shrinkage_target: expected \"correlation\" or no field, found \"covariance\"")
        }
        p["regularization"] = .string("absolute")
        do { _ = try GaussianMixtureModel(json: .object(p), source: "old.json"); Issue.record("read") } catch {
            #expect("\(error)" == "old.json: regularization: expected \"column_variance\" or no field, found \"absolute\"")
        }
    }
}
