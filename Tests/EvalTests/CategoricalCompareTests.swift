import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// `compare` with categorical feature columns: matched by name and
/// category, one-hot in the standardized space, seen by the distance-based
/// metrics, refused in the raw space; on the mixed-type tables of
/// Fixtures/column_fidelity (income in thousands, a ratio in hundredths,
/// visits 0–16, a city, a boolean).
@Suite struct CategoricalCompareTests {
    static func read(_ name: String) throws -> LabeledFeatures {
        try LabeledFeatures.read(table: "\(ColumnFidelityOracleTests.fixtures)/column_fidelity/\(name).csv", labelColumn: "label",
                                 types: ColumnTypeOverrides(categorical: ["member"]))
    }

    static func set(_ name: String, categories: [String], codes: [Int32], column: String = "city") -> LabeledFeatures {
        var s = LabeledFeatures(source: name, features: Matrix(rows: codes.count, columns: 1), featureNames: ["x"],
                                labels: codes.map { _ in 0 }, classNames: ["a"])
        s.categoricalColumns = [CategoricalColumn(name: column, categories: categories, codes: codes)]
        return s
    }

    @Test func categoriesMatchByValueAndUnseenOnesAreAppended() throws {
        let h = Self.set("h", categories: ["Lyon", "Paris"], codes: [0, 1, 1])
        let s = Self.set("s", categories: ["Brest", "Paris"], codes: [1, 0, 1])
        let m = try CategoricalFeatures(human: h, synthetic: s)
        #expect(m.columns == [CategoricalFeatures.Column(name: "city", categories: ["Lyon", "Paris", "Brest"], humanCategories: 2)])
        #expect(m.human == [[0, 1, 1]] && m.synthetic == [[1, 2, 1]])
        #expect(m.categoryCounts == [3])
        // Other column names are refused in one line naming both sides.
        let other = Self.set("s.csv", categories: ["Paris"], codes: [0], column: "town")
        #expect(throws: InputError.self) { try CategoricalFeatures(human: h, synthetic: other) }
        var message = ""
        do { _ = try CategoricalFeatures(human: h, synthetic: other) } catch { message = "\(error)" }
        #expect(message.hasPrefix("s.csv: ") && message.contains("only in h: city") && message.contains("only in s.csv: town")
                && !message.contains("\n"), "\(message)")
    }

    /// A change of category is a unit distance, as one standard deviation is.
    @Test func aChangeOfCategoryIsAUnitDistance() {
        let x = Matrix([[0.5], [0.5]])
        let e = OneHotEncoding.appending(x, codes: [[0, 2]], categoryCounts: [3])
        #expect(e.columns == 4)
        var d2 = 0.0
        for j in 0..<4 { d2 += Double(e[0, j] - e[1, j]) * Double(e[0, j] - e[1, j]) }
        #expect(abs(d2 - 1) < 1e-6, "\(d2)")
        #expect(OneHotEncoding.appending(x, codes: [], categoryCounts: []) == x)
    }

    static func parameters() -> FidelityReport.Parameters {
        var p = FidelityReport.Parameters()
        p.kidSubsets = 2
        p.kidSubsetSize = 100
        p.perClass = false
        p.detector = .logistic
        p.threads = 2
        return p
    }

    /// A synthetic set whose numeric columns are right but whose city is
    /// always Paris: the detector and coverage, which see the one-hot
    /// columns, tell it from the faithful draw; the validity and by-type
    /// sections say what is wrong.
    @Test func theDistanceMetricsSeeTheCategories() throws {
        let h = try Self.read("close_human"), faithful = try Self.read("close_synthetic")
        var paris = faithful
        let city = faithful.categoricalColumns[0]
        let parisCode = Int32(city.categories.firstIndex(of: "Paris")!)
        paris.categoricalColumns[0] = CategoricalColumn(name: "city", categories: city.categories, codes: city.codes.map { _ in parisCode })
        let good = try FidelityReport(human: h, synthetic: faithful, parameters: Self.parameters())
        let bad = try FidelityReport(human: h, synthetic: paris, parameters: Self.parameters())
        #expect(good.categoricalColumns.map(\.name) == ["city", "member"])
        let goodAUC = try #require(good.synthetic.detection.auc.value), badAUC = try #require(bad.synthetic.detection.auc.value)
        #expect(badAUC > goodAUC + 0.1, "\(badAUC) against \(goodAUC)")
        #expect(bad.synthetic.manifold.coverage < good.synthetic.manifold.coverage, "\(bad.synthetic.manifold.coverage) against \(good.synthetic.manifold.coverage)")
        // The marginals keep the numeric columns: the same in both.
        #expect(bad.synthetic.marginals.ks == good.synthetic.marginals.ks)
        // 3 of the 4 human cities are missing; no unseen category.
        func value(_ m: FidelityMetric, _ r: FidelityReport) -> Double? { m.value(r.synthetic, nil)?.value }
        #expect(value(.categoryCoverage, bad) == (0.25 + 1) / 2)
        #expect(value(.unseenCategoryShare, bad) == 0)
        #expect(try #require(value(.columnShapes, bad)) < #require(value(.columnShapes, good)))
        guard case .object(let o) = bad.json, case .object(let space)? = o["feature_space"], case .object(let oneHot)? = space["one_hot"],
              case .object(let synthetic)? = o["synthetic"], case .object(let shapes)? = synthetic["column_shapes"],
              case .array(let columns)? = shapes["columns"], case .object(let trends)? = synthetic["column_pair_trends"] else {
            Issue.record("no one_hot, column_shapes or column_pair_trends object"); return
        }
        #expect(oneHot["value"] == .double(Double(OneHotEncoding.scale)))
        #expect(columns.count == 5)
        #expect(trends["pairs"] == .int(10))
        #expect(o["metric_definitions_version"] == .int(8))
    }

    @Test func theRawSpaceRefusesCategoricalColumns() throws {
        var p = Self.parameters()
        p.featureSpace = .raw
        let h = try Self.read("close_human"), s = try Self.read("close_synthetic")
        do {
            _ = try FidelityReport(human: h, synthetic: s, parameters: p)
            Issue.record("the raw space took categorical columns")
        } catch {
            let m = "\(error)"
            #expect(m.contains("close_human.csv: ") && m.contains("city, member") && m.contains("raw feature space") && !m.contains("\n"), "\(m)")
        }
    }

    /// Without categorical columns the report is what it was: the same
    /// marginals, manifold and detection as the numeric columns alone give.
    @Test func numericOnlySetsHaveNoOneHotBlock() throws {
        var h = try Self.read("close_human"), s = try Self.read("close_synthetic")
        h.categoricalColumns = []
        s.categoricalColumns = []
        let r = try FidelityReport(human: h, synthetic: s, parameters: Self.parameters())
        guard case .object(let o) = r.json, case .object(let space)? = o["feature_space"] else { Issue.record("no feature_space"); return }
        #expect(space["one_hot"] == nil && r.categoricalColumns.isEmpty)
        #expect(FidelityMetric.categoryCoverage.value(r.synthetic, nil)?.value == nil)
        #expect(FidelityMetric.integrality.value(r.synthetic, nil)?.value == 1)
    }
}
