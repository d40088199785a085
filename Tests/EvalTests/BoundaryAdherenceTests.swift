import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// Boundary adherence against SDMetrics' own `BoundaryAdherence` on the same
/// float32 columns (Tests/Oracles/boundary_adherence_oracle.py writes
/// Fixtures/boundary_adherence.json), and in the compare report under its
/// declared keys.
@Suite struct BoundaryAdherenceTests {
    struct Case: Decodable {
        let real: [[Float]]; let synthetic: [[Float]]
        let per_feature: [Double]; let mean: Double; let min: Double; let min_feature: Int
        var boolean_columns: [Int]? = nil
    }
    struct Fixture: Decodable { let mixed: Case; let inside: Case; let with_boolean: Case }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/boundary_adherence.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// Shares are ratios of counts: equal to SDMetrics' to rounding of the mean.
    @Test(arguments: ["mixed", "inside"]) func matchesSDMetrics(name: String) throws {
        let f = name == "mixed" ? Self.fixture.mixed : Self.fixture.inside
        let sets = FidelityMetric.ComparedSets(reference: Matrix(f.real), candidate: Matrix(f.synthetic), threads: 1)
        let b = BoundaryAdherence(reference: sets.reference, candidate: sets.candidate)
        #expect(b.perFeature.count == f.per_feature.count)
        for (ours, theirs) in zip(b.perFeature, f.per_feature) { #expect(ours == theirs, "\(b.perFeature) against \(f.per_feature)") }
        let mean = try #require(b.mean.value)
        #expect(abs(mean - f.mean) <= 1e-12, "\(mean) against \(f.mean)")
        let computed = try #require(FidelityMetric.computeAll(sets)[FidelityMetric.boundaryAdherence.id])
        #expect(computed.value.value == mean)
        #expect(computed.details["min_boundary_adherence"] == .double(f.min))
        #expect(computed.details["min_boundary_adherence_column"] == .string(String(f.min_feature)))
    }

    /// A boolean column is left aside, as SDMetrics' DiagnosticReport
    /// leaves it (CategoryAdherence, not BoundaryAdherence): the mean is
    /// over the three numeric columns, and the lowest column is named by
    /// its place among all four.
    @Test func leavesBooleanColumnsAsideAsSDMetricsDoes() throws {
        let f = Self.fixture.with_boolean
        let booleans = Set(try #require(f.boolean_columns))
        #expect(booleans == [1])
        let sets = FidelityMetric.ComparedSets(reference: Matrix(f.real), candidate: Matrix(f.synthetic), threads: 1, booleanColumns: booleans)
        let b = BoundaryAdherence(reference: sets.reference, candidate: sets.candidate, booleanColumns: booleans)
        #expect(b.features == [0, 2, 3] && b.perFeature == f.per_feature, "\(b.perFeature) against \(f.per_feature)")
        let mean = try #require(b.mean.value)
        #expect(abs(mean - f.mean) <= 1e-12, "\(mean) against \(f.mean)")
        // Counted, the flag column (1 by construction) would lift the mean to (3·mean + 1)/4.
        let counted = try #require(BoundaryAdherence(reference: sets.reference, candidate: sets.candidate).mean.value)
        #expect(abs(counted - (3 * f.mean + 1) / 4) <= 1e-12 && counted > mean)
        let computed = try #require(FidelityMetric.computeAll(sets)[FidelityMetric.boundaryAdherence.id])
        #expect(computed.value.value == mean)
        #expect(computed.details["min_boundary_adherence"] == .double(f.min))
        #expect(computed.details["min_boundary_adherence_column"] == .string(String(f.min_feature)))
        // Only boolean columns: nothing to check, and it says so.
        let flags = BoundaryAdherence(reference: sets.reference, candidate: sets.candidate, booleanColumns: [0, 1, 2, 3])
        #expect(flags.mean.undefinedReason == "every feature is boolean: no numeric range to check" && flags.lowest == nil)
    }

    /// The mixed case is not trivially 1: it has a feature mostly outside.
    @Test func theFixtureHasValuesOutside() {
        #expect(Self.fixture.mixed.min < 0.5 && Self.fixture.inside.mean == 1)
    }

    @Test func withoutRowsOrFeaturesItIsUndefined() {
        #expect(BoundaryAdherence(reference: Matrix(rows: 3, columns: 2), candidate: Matrix(rows: 0, columns: 2)).mean.value == nil)
        #expect(BoundaryAdherence(reference: Matrix(rows: 3, columns: 0), candidate: Matrix(rows: 3, columns: 0)).mean.value == nil)
        #expect(BoundaryAdherence(reference: Matrix(rows: 3, columns: 2), candidate: Matrix(rows: 3, columns: 2)).mean.value == 1)
    }

    /// The report runs the metric's own computation on the whole set and on
    /// each class, and writes it at its declared keys with its details.
    @Test func theReportStoresItUnderItsKeys() throws {
        let n = 300, d = 3
        var hx = Matrix(rows: n, columns: d), sx = Matrix(rows: n, columns: d)
        for r in 0..<n { for j in 0..<d { hx[r, j] = Float((r * 7 + j * 13) % 100) / 100 } }
        // Feature 1 of the synthetic set is shifted by half the range: half its values fall outside.
        for r in 0..<n { for j in 0..<d { sx[r, j] = hx[(r * 11) % n, j] + (j == 1 ? 0.5 : 0) } }
        let labels = (0..<n).map { Int32($0 % 2) }
        let h = LabeledFeatures(source: "h", features: hx, featureNames: ["a", "b", "c"], labels: labels, classNames: ["x", "y"])
        let s = LabeledFeatures(source: "s", features: sx, featureNames: ["a", "b", "c"], labels: labels, classNames: ["x", "y"])
        var p = FidelityReport.Parameters()
        p.kidSubsets = 2
        p.baselines = false
        let report = try FidelityReport(human: h, synthetic: s, parameters: p)
        let m = FidelityMetric.boundaryAdherence
        let value = try #require(m.value(report.synthetic, report.utility)?.value)
        #expect(value < 1 && value > 0.5, "\(value)")
        guard case .object(let o) = report.json, case .object(let synthetic)? = o["synthetic"],
              case .object(let validity)? = synthetic["validity"], case .array(let perClass)? = o["per_class"] else {
            Issue.record("no validity object or per_class array"); return
        }
        #expect(validity["boundary_adherence"] == .double(value))
        #expect(validity["min_boundary_adherence_column"] == .string("b"))
        #expect(perClass.count == 2)
        for entry in perClass {
            guard case .object(let e) = entry else { Issue.record("per_class entry"); continue }
            #expect(e["boundary_adherence"] != nil && e["min_boundary_adherence_column"] == .string("b"), "\(e.keys.sorted())")
        }
        guard case .object(let definitions)? = o["definitions"] else { Issue.record("definitions"); return }
        #expect(definitions["boundary_adherence"] == .string(m.definition.text))
        #expect(m.gates.map(\.name) == ["min-boundary-adherence"] && m.tables.isEmpty)
    }
}
