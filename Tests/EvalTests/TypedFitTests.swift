import Testing
import Foundation
@testable import Synth
import SynthctlCore
import TestSupport

/// Fitted models that respect each column's type (issue 16; SDV's
/// GaussianCopulaSynthesizer is the anchor): bounds, integers, booleans and
/// categories, and copula marginals that keep the spread and have tails.
@Suite struct TypedFitTests {
    /// A real-looking table: mixed units (income in currency, a ratio in
    /// hundredths, a heavy-tailed score), a non-negative count 0–16, a
    /// boolean, a categorical column whose frequencies depend on the class,
    /// three classes of 150, 110 and 40 rows.
    struct Table {
        var numeric: Matrix
        var city: [Int32]
        var labels: [Int32]
        static let sizes = [150, 110, 40]
        static let names = ["income", "ratio", "heavy", "visits", "member"]
        static let types: [ColumnType] = [.numeric, .numeric, .numeric, .integer, .boolean]
        static let cities = ["east", "north", "south"]

        init(seed: UInt64) {
            var g = SplitMix64(seed: seed)
            func uniform() -> Double { (Double(g.next() >> 11) + 0.5) * 0x1p-53 }
            func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
            let n = Self.sizes.reduce(0, +)
            numeric = Matrix(rows: n, columns: 5)
            city = []
            labels = []
            let cityShares: [[Double]] = [[0.15, 0.55, 0.30], [0.3, 0.2, 0.5], [0.7, 0.15, 0.15]]
            var i = 0
            for (c, size) in Self.sizes.enumerated() {
                for _ in 0..<size {
                    numeric[i, 0] = Float(exp(10 + 0.2 * Double(c) + 0.5 * normal()))
                    numeric[i, 1] = Float(0.05 + 0.005 * Double(c) + 0.01 * normal())
                    let chi = (0..<3).reduce(0.0) { s, _ in let z = normal(); return s + z * z }
                    numeric[i, 2] = Float(5 * normal() / (chi / 3).squareRoot())  // Student's t, 3 degrees of freedom
                    numeric[i, 3] = Float((0..<16).filter { _ in uniform() < 0.3 + 0.2 * Double(c) }.count)
                    numeric[i, 4] = uniform() < 0.3 + 0.2 * Double(c) ? 1 : 0
                    let u = uniform()
                    city.append(u < cityShares[c][0] ? 0 : u < cityShares[c][0] + cityShares[c][1] ? 1 : 2)
                    labels.append(Int32(c))
                    i += 1
                }
            }
        }

        func encoded(tails: Bool) throws -> (features: Matrix, names: [String], columns: FittedColumns) {
            try FittedColumns.encode(numeric: numeric, numericNames: Self.names, numericTypes: Self.types,
                                     categorical: [("city", Self.cities, city)], labels: labels, classCount: 3,
                                     tails: tails, seed: 0, source: "t.csv")
        }

        /// Column j of class c's rows.
        func column(_ j: Int, class c: Int) -> [Double] {
            (0..<numeric.rows).filter { labels[$0] == c }.map { Double(numeric[$0, j]) }
        }
    }

    static func sd(_ v: [Double]) -> Double {
        let m = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }

    /// Rows sampled from a fitted model (``FittedModelGenerator``), with their labels.
    static func sample(_ generator: some DatasetGenerator, rows m: Int) -> (x: Matrix, labels: [Int32]) {
        var x = Matrix(rows: m, columns: generator.featureCount)
        var labels = [Int32](repeating: 0, count: m)
        generator.fill(rows: 0..<m, features: &x.storage, labels: &labels)
        return (x, labels)
    }

    enum ModelKind: String, CaseIterable { case gaussian, mixture, copula }

    static func fitted(_ kind: ModelKind, _ t: Table, rows m: Int) throws -> (x: Matrix, labels: [Int32], columns: FittedColumns) {
        let e = try t.encoded(tails: kind == .copula)
        let classes = ["c0", "c1", "c2"]
        switch kind {
        case .gaussian:
            var model = try GaussianClassModel(fitting: e.features, labels: t.labels, classNames: classes, featureNames: e.names, source: "t")
            model.columns = e.columns
            let s = sample(GaussianModelGenerator(model: try GaussianClassModel(json: model.json, source: "again"), rows: m, seed: 7), rows: m)
            return (s.x, s.labels, e.columns)
        case .mixture:
            var model = try GaussianMixtureModel(fitting: e.features, labels: t.labels, classNames: classes, featureNames: e.names,
                                                 components: 2, seed: 0, source: "t")
            model.columns = e.columns
            let s = sample(MixtureModelGenerator(model: try GaussianMixtureModel(json: model.json, source: "again"), rows: m, seed: 7), rows: m)
            return (s.x, s.labels, e.columns)
        case .copula:
            var model = try GaussianCopulaModel(fitting: e.features, labels: t.labels, classNames: classes, featureNames: e.names, source: "t")
            model.columns = e.columns
            let s = sample(CopulaModelGenerator(model: try GaussianCopulaModel(json: model.json, source: "again"), rows: m, seed: 7), rows: m)
            return (s.x, s.labels, e.columns)
        }
    }

    /// What fitting learns per column: kinds, ranges, the bounds each model
    /// enforces, and the categories' per-class frequencies (exactly the
    /// human shares). Categorical and boolean columns arrive as normal
    /// scores inside their category's interval: decoding every encoded
    /// human value gives back its category.
    @Test func fittingLearnsKindsRangesAndFrequencies() throws {
        let t = Table(seed: 16)
        for tails in [false, true] {
            let e = try t.encoded(tails: tails)
            let c = e.columns.columns
            #expect(e.names == Table.names + ["city"])
            #expect(c.map(\.kind) == [.continuous, .continuous, .continuous, .integer, .boolean, .categorical])
            let visits = (0..<t.numeric.rows).map { Double(t.numeric[$0, 3]) }
            #expect(c[3].min == visits.min()! && c[3].max == visits.max()! && c[3].lower == c[3].min && c[3].upper == c[3].max)
            // Income is positive: the copula keeps it ≥ 0 but lets its tail pass the largest value; the others clip to [min, max].
            #expect(tails ? (c[0].lower == 0 && c[0].upper == nil) : (c[0].lower == c[0].min && c[0].upper == c[0].max))
            // The heavy-tailed score takes both signs: the copula leaves it unbounded.
            #expect(tails ? (c[2].lower == nil && c[2].upper == nil) : (c[2].lower == c[2].min && c[2].upper == c[2].max))
            #expect(c[4].categories == ["false", "true"] && c[5].categories == Table.cities)
            for k in 0..<3 {
                let rows = (0..<t.numeric.rows).filter { t.labels[$0] == k }
                for (code, _) in Table.cities.enumerated() {
                    let share = Double(rows.filter { t.city[$0] == code }.count) / Double(rows.count)
                    #expect(abs(c[5].frequencies[k][code] - share) < 1e-12)
                }
            }
            for i in 0..<t.numeric.rows {
                var row = (0..<6).map { e.features[i, $0] }
                row.withUnsafeMutableBufferPointer { e.columns.apply($0.baseAddress!, classIndex: Int(t.labels[i])) }
                #expect(row[5] == Float(t.city[i]) && row[4] == t.numeric[i, 4] && row[3] == t.numeric[i, 3])
            }
            #expect(try FittedColumns(e.columns.json, features: 6, classes: 3, source: "m.json") == e.columns)
        }
    }

    /// Every model samples values of the human columns' types: no negative
    /// or fractional count, counts within the human [min, max]; booleans 0
    /// or 1; every category a human category of the row's class, its share
    /// within 4·√(f(1 − f)/m) (the synthetic share's sampling error, m
    /// sampled rows of the class) plus the fit's own error: for the
    /// copula 2/n (its marginal is the n encoded values, a category's edge
    /// off by at most a knot or two), for the Gaussian and the mixture
    /// 1.2/√n (a boundary's probability moves by φ ≤ 0.4 times the fitted
    /// mean's and scale's errors, 3 standard errors of 1/√n each); and
    /// within-class standard deviations within 10 % of the human's.
    @Test(arguments: ModelKind.allCases)
    func samplesRespectColumnTypes(_ kind: ModelKind) throws {
        let t = Table(seed: 16)
        let s = try Self.fitted(kind, t, rows: 30_000)
        let columns = s.columns.columns
        for i in 0..<s.x.rows {
            let visits = s.x[i, 3]
            #expect(visits == visits.rounded() && Double(visits) >= columns[3].min && Double(visits) <= columns[3].max)
            #expect(s.x[i, 0] >= 0 && s.x[i, 1] >= 0 || kind != .copula)
            #expect(s.x[i, 4] == 0 || s.x[i, 4] == 1)
            let city = Int(s.x[i, 5])
            #expect(Float(city) == s.x[i, 5] && columns[5].frequencies[Int(s.labels[i])][city] > 0)
        }
        if kind != .copula {
            // Clipped to the human range: nothing beyond it.
            for j in 0..<3 { for i in 0..<s.x.rows {
                #expect(Double(s.x[i, j]) >= columns[j].min && Double(s.x[i, j]) <= columns[j].max)
            } }
        }
        for c in 0..<3 {
            let rows = (0..<s.x.rows).filter { s.labels[$0] == c }
            let n = Double(Table.sizes[c]), m = Double(rows.count)
            let fitError = kind == .copula ? 2 / n : 1.2 / n.squareRoot()
            for (j, code, f) in [(5, 0, columns[5].frequencies[c][0]), (5, 1, columns[5].frequencies[c][1]), (5, 2, columns[5].frequencies[c][2]),
                                 (4, 1, columns[4].frequencies[c][1])] {
                let share = Double(rows.filter { Int(s.x[$0, j]) == code }.count) / m
                #expect(abs(share - f) <= 4 * (f * (1 - f) / m).squareRoot() + fitError, "\(kind) class \(c) column \(j) category \(code): \(share) vs \(f)")
            }
            for j in 0..<4 {
                let human = Self.sd(t.column(j, class: c)), synthetic = Self.sd(rows.map { Double(s.x[$0, j]) })
                #expect(abs(synthetic / human - 1) < 0.10, "\(kind) class \(c) \(Table.names[j]): SD ratio \(synthetic / human)")
            }
        }
    }

    /// The copula's marginals keep the spread and have tails: on a skewed
    /// positive column (log-normal), a heavy-tailed one (Student's t, 3
    /// degrees of freedom) and a Gaussian one, 60 and 150 rows a class,
    /// within-class SDs within 10 % of the human's (the 40,000 sampled
    /// rows' own SD error is below 1 %, so the 10 % is the fit's), some
    /// values beyond the observed range of the unbounded heavy-tailed
    /// column, none below 0 for the positive one; a model without tails (an
    /// older file) clamps at its end knots, as before.
    @Test(arguments: [60, 150])
    func copulaTailsKeepTheSpreadAndPassTheObservedRange(_ n: Int) throws {
        var g = SplitMix64(seed: UInt64(n))
        func uniform() -> Double { (Double(g.next() >> 11) + 0.5) * 0x1p-53 }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        var x = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            x[i, 0] = Float(exp(1 + 0.8 * normal()))
            let chi = (0..<3).reduce(0.0) { s, _ in let z = normal(); return s + z * z }
            x[i, 1] = Float(normal() / (chi / 3).squareRoot())
            x[i, 2] = Float(3 + 2 * normal())
        }
        let labels = [Int32](repeating: 0, count: n)
        let e = try FittedColumns.encode(numeric: x, numericNames: ["skewed", "heavy", "normal"], numericTypes: [.numeric, .numeric, .numeric],
                                         categorical: [], labels: labels, classCount: 1, tails: true, seed: 0, source: "t")
        var model = try GaussianCopulaModel(fitting: e.features, labels: labels, classNames: ["all"], featureNames: e.names, source: "t")
        model.columns = e.columns
        let m = 40_000
        let s = Self.sample(CopulaModelGenerator(model: model, rows: m, seed: 1), rows: m).x
        for j in 0..<3 {
            let human = (0..<n).map { Double(x[$0, j]) }, synthetic = (0..<m).map { Double(s[$0, j]) }
            #expect(abs(Self.sd(synthetic) / Self.sd(human) - 1) < 0.10, "n \(n) column \(j): SD ratio \(Self.sd(synthetic) / Self.sd(human))")
        }
        let heavy = (0..<n).map { x[$0, 1] }
        let beyond = (0..<m).filter { s[$0, 1] > heavy.max()! || s[$0, 1] < heavy.min()! }.count
        #expect(beyond > 0, "no sample beyond the observed range of the heavy-tailed column")
        #expect((0..<m).allSatisfy { s[$0, 0] >= 0 })
        // The same model without tails (as files before them) never leaves the end knots.
        guard case .object(var o) = model.json, case .array(let parts)? = o["classes"] else { Issue.record("not a model"); return }
        o["classes"] = .array(parts.map { part in
            guard case .object(var p) = part else { return part }
            p["tail_slopes"] = nil
            return .object(p)
        })
        let clamped = try GaussianCopulaModel(json: .object(o), source: "without tails")
        #expect(clamped.classes[0].tailSlopes.isEmpty)
        let old = Self.sample(CopulaModelGenerator(model: clamped, rows: m, seed: 1), rows: m).x
        let ends = (clamped.classes[0].quantiles[1].first!, clamped.classes[0].quantiles[1].last!)
        #expect((0..<m).allSatisfy { Double(old[$0, 1]) >= Double(Float(ends.0)) && Double(old[$0, 1]) <= Double(Float(ends.1)) })
    }

    /// Model files written before column types and tails (format_version 2,
    /// fitted by synthctl before this change: Fixtures/old_models) still
    /// load and sample the bytes they sampled then (`gen --model M --rows
    /// 50 --seed 3`'s features.npy, written by that synthctl).
    @Test(arguments: ["gaussian", "mixture", "copula"])
    func oldModelFilesSampleAsBefore(_ name: String) throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/old_models").path
        let expected = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)_rows50_seed3.npy"))
        let features: [Float]
        switch name {
        case "gaussian":
            let model = try FittedModelFile.load(GaussianClassModel.self, path: "\(dir)/gaussian.json", sha256: nil, tensorsSHA256: nil).model
            #expect(model.columns == nil)
            var f = [Float](repeating: 0, count: 50 * model.featureCount)
            GaussianModelGenerator(model: model, rows: 50, seed: 3).fill(rows: 0..<50, features: &f)
            features = f
        case "mixture":
            let model = try FittedModelFile.load(GaussianMixtureModel.self, path: "\(dir)/mixture.json", sha256: nil, tensorsSHA256: nil).model
            #expect(model.columns == nil)
            var f = [Float](repeating: 0, count: 50 * model.featureCount)
            MixtureModelGenerator(model: model, rows: 50, seed: 3).fill(rows: 0..<50, features: &f)
            features = f
        default:
            let model = try FittedModelFile.load(GaussianCopulaModel.self, path: "\(dir)/copula.json", sha256: nil, tensorsSHA256: nil).model
            #expect(model.columns == nil && model.classes.allSatisfy { $0.tailSlopes.isEmpty })
            var f = [Float](repeating: 0, count: 50 * model.featureCount)
            CopulaModelGenerator(model: model, rows: 50, seed: 3).fill(rows: 0..<50, features: &f)
            features = f
        }
        let bytes = features.withUnsafeBytes { Data($0) }
        #expect(expected.suffix(bytes.count) == bytes)
    }

    /// A model's `columns` field refuses what it cannot sample, naming the field.
    @Test func badColumnsFieldsAreNamed() throws {
        func message(_ columns: JSONValue) -> String? {
            do { _ = try FittedColumns(columns, features: 1, classes: 2, source: "m.json"); return nil } catch { return "\(error)" }
        }
        #expect(message(.array([.object(["kind": .string("text")])]))?.hasPrefix("m.json: columns[0].kind: expected \"continuous\"") == true)
        #expect(message(.array([.object(["kind": .string("categorical"), "categories": JSONValue(["a", "b"]),
                                         "frequencies": .array([JSONValue([0.5, 0.5]), JSONValue([0.9, 0.5])])])]))
                == "m.json: columns[0].frequencies[1]: expected 2 shares ≥ 0 summing to 1, found [0.9, 0.5]")
        #expect(message(.array([.object(["kind": .string("integer"), "min": .int(3), "max": .int(1), "bounds": .array([.null, .null])])]))?
                    .hasPrefix("m.json: columns[0].min: expected finite numbers min ≤ max") == true)
        #expect(message(.array([])) == "m.json: columns: expected 1 column (one per feature), found []")
        // An integer column's samples are written as INT64: open or larger bounds could not be.
        for bounds: [JSONValue] in [[.null, .int(1)], [.int(0), .double(0x1p63)]] {
            #expect(message(.array([.object(["kind": .string("integer"), "min": .int(0), "max": .int(1), "bounds": .array(bounds)])]))?
                        .hasPrefix("m.json: columns[0].bounds: expected [lower, upper] below 2^63 in magnitude for an integer column") == true)
        }
    }
}

/// Issue 16: a strictly positive column never samples 0 (clipping at the
/// sign put 4 of 3,000 incomes at 0.00 where the human minimum was 6,346).
@Suite struct PositiveTailTests {
    /// A log-normal column with a wide spread (σ = 1.2 on the log scale),
    /// 60 rows rounded to 2 decimals: the linear lower tail (slope from the
    /// lower quartile) crosses 0 about 0.2 normal scores past the end knot.
    /// Sampled 40,000 times, every value is ≥ 0.01 (the smallest positive
    /// value at 2 decimals), and some pass below the human minimum.
    @Test func aStrictlyPositiveColumnStaysPositiveAndKeepsItsTail() throws {
        var g = SplitMix64(seed: 616)
        func uniform() -> Double { (Double(g.next() >> 11) + 0.5) * 0x1p-53 }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        let n = 60
        var x = Matrix(rows: n, columns: 1)
        for i in 0..<n { x[i, 0] = Float((exp(1.2 * normal()) * 100).rounded() / 100 + 0.01) }
        let labels = [Int32](repeating: 0, count: n)
        let e = try FittedColumns.encode(numeric: x, numericNames: ["income"], numericTypes: [.numeric],
                                         categorical: [], labels: labels, classCount: 1, tails: true, seed: 0, source: "t")
        #expect(e.columns.columns[0].isStrictlyPositive && e.columns.columns[0].decimals == 2)
        var model = try GaussianCopulaModel(fitting: e.features, labels: labels, classNames: ["all"], featureNames: e.names, source: "t")
        model.columns = e.columns
        let part = model.classes[0]
        // The linear tail would reach 0 within 3 normal scores of the end knot.
        #expect(part.quantiles[0][0] - part.tailSlopes[0] * 3 < 0)
        let m = 40_000
        let s = TypedFitTests.sample(CopulaModelGenerator(model: model, rows: m, seed: 1), rows: m).x
        let human = (0..<n).map { x[$0, 0] }.min()!
        #expect((0..<m).allSatisfy { s[$0, 0] >= 0.01 })
        #expect((0..<m).contains { s[$0, 0] < human })
    }

    /// A positive column with a large offset (values 10⁶ … 2·10⁶ in steps
    /// of 0.5: continuous, 1 decimal): on the log scale the lower tail is
    /// all but the line, q₀·exp(s·(z − z₀)/q₀) ≥ q₀ + s·(z − z₀) (eˣ ≥ 1 + x),
    /// so it passes the human minimum by no more than the documented tail:
    /// slope s (the QQ curve's between the median and the lower quartile)
    /// times the normal scores past the end knot, at most 6 in 40,000 draws
    /// (P(z < z₀ − 6) < 10⁻⁹). The same column at 10⁹ … 3·10⁹ is whole in
    /// float32 (its step there is 64 to 256): an integer column, clipped to
    /// the human [min, max].
    @Test func aLargeOffsetKeepsItsLowerTailWithinTheTailRule() throws {
        var g = SplitMix64(seed: 617)
        let n = 300
        for (offset, step) in [(1e6, 0.5), (1e9, 1.0)] {
            var x = Matrix(rows: n, columns: 1)
            for i in 0..<n { x[i, 0] = Float(offset + (Double(g.next() % UInt64(offset / step)) * step) * (offset == 1e9 ? 2 : 1)) }
            let labels = [Int32](repeating: 0, count: n)
            let e = try FittedColumns.encode(numeric: x, numericNames: ["amount"], numericTypes: [.numeric],
                                             categorical: [], labels: labels, classCount: 1, tails: true, seed: 0, source: "t")
            var model = try GaussianCopulaModel(fitting: e.features, labels: labels, classNames: ["all"], featureNames: e.names, source: "t")
            model.columns = e.columns
            let m = 40_000
            let s = TypedFitTests.sample(CopulaModelGenerator(model: model, rows: m, seed: 1), rows: m).x
            let human = Double((0..<n).map { x[$0, 0] }.min()!), lowest = Double((0..<m).map { s[$0, 0] }.min()!)
            if offset == 1e9 {
                #expect(e.columns.columns[0].kind == .integer)
                #expect(lowest >= human)
            } else {
                let column = e.columns.columns[0]
                #expect(column.kind == .continuous && column.isStrictlyPositive && column.decimals == 1)
                let q0 = model.classes[0].quantiles[0][0], slope = model.classes[0].tailSlopes[0]
                #expect(lowest < human, "the tail passes the human minimum")
                #expect(lowest >= q0 - 6 * slope, "\(lowest) below \(q0) − 6 × \(slope)")
            }
        }
    }
}
