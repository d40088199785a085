import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The feature space `compare` measures in (``FeatureSpace``): fitted on the
/// human training rows only, a constant column centred and not scaled, raw
/// leaving the rows as they are.
@Suite struct FeatureSpaceTests {
    /// Columns in hundredths, ones (constant) and thousands.
    static let reference = Matrix([[0.01, 3, 1000], [0.03, 3, 3000], [0.05, 3, 2000], [0.07, 3, 6000]])

    @Test func standardizedColumnsHaveMeanZeroAndUnitSpreadOnTheTrainingRows() {
        let space = FeatureSpace(.standardized, fittedOn: Self.reference)
        #expect(space.kind == .standardized && space.fittedRows == 4)
        #expect(abs(space.means[0] - 0.04) < 1e-8 && space.means[1] == 3 && space.means[2] == 3000)
        // Population standard deviation (divisor n, as StandardScaler): √(0.0005) and √3.5·1000.
        #expect(abs(space.standardDeviations[0] - 0.0005.squareRoot()) < 1e-8)
        #expect(abs(space.standardDeviations[2] - 3_500_000.0.squareRoot()) < 1e-9)
        #expect(space.unscaledColumns == [1])
        let z = space.apply(Self.reference)
        for j in [0, 2] {
            let column = (0..<4).map { Double(z[$0, j]) }
            let mean = column.reduce(0, +) / 4
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            // float32 values of order 1: within a few roundings (2⁻²⁴ each).
            #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-6, "column \(j): mean \(mean), variance \(variance)")
        }
        // The constant column is centred and left unscaled.
        #expect((0..<4).allSatisfy { z[$0, 1] == 0 })
    }

    /// The transform is the training rows': other rows (the synthetic set)
    /// are moved and scaled by it, not by their own statistics, so a
    /// column with three times the spread keeps three times the spread.
    @Test func otherRowsAreTransformedByTheTrainingRowsStatistics() {
        let space = FeatureSpace(.standardized, fittedOn: Self.reference)
        let wider = Matrix([[0.04 - 3 * 0.03, 4, 3000], [0.04 + 3 * 0.03, 4, 3000]])
        let z = space.apply(wider)
        let sd = space.standardDeviations[0]
        #expect(abs(Double(z[1, 0] - z[0, 0]) - 0.18 / sd) < 1e-4, "\(z[0, 0]) \(z[1, 0])")
        // Centred by the training mean, not scaled: 4 − 3.
        #expect(z[0, 1] == 1 && z[1, 2] == 0)
    }

    /// A unit change (× 1000, exact on integers) leaves the standardized rows
    /// equal to one float32 rounding; raw leaves the rows as they are.
    @Test func aUnitChangeLeavesTheStandardizedRowsAlone() {
        var counts = Matrix(rows: 50, columns: 2)
        for r in 0..<50 { counts[r, 0] = Float((r * 7) % 17); counts[r, 1] = Float(r % 5) / 100 }
        var thousandths = counts
        for r in 0..<50 { thousandths[r, 0] *= 1000 }
        let a = FeatureSpace(.standardized, fittedOn: counts).apply(counts)
        let b = FeatureSpace(.standardized, fittedOn: thousandths).apply(thousandths)
        for (x, y) in zip(a.storage, b.storage) { #expect(abs(x - y) <= max(abs(x), 1) * 0x1p-23, "\(x) against \(y)") }
        #expect(FeatureSpace(.raw, fittedOn: counts).apply(counts) == counts)
        #expect(FeatureSpace(.raw, fittedOn: counts) == .raw)
    }

    /// The report records the space: kind, rows fitted on, each column's
    /// mean and standard deviation, the unscaled columns.
    @Test func theReportRecordsTheSpace() throws {
        let n = 120
        var x = Matrix(rows: n, columns: 3)
        for r in 0..<n { x[r, 0] = Float(r % 11) / 100; x[r, 1] = 7; x[r, 2] = Float((r * 13) % 29) * 100 }
        let labels = (0..<n).map { Int32($0 % 2) }
        let set = LabeledFeatures(source: "h", features: x, featureNames: ["ratio", "flag", "amount"], labels: labels, classNames: ["a", "b"])
        var p = FidelityReport.Parameters()
        p.kidSubsets = 2
        p.baselines = false
        p.perClass = false
        let r = try FidelityReport(human: set, synthetic: set, parameters: p)
        guard case .object(let o) = r.json, case .object(let space)? = o["feature_space"] else { Issue.record("no feature_space"); return }
        #expect(space["kind"] == .string("standardized") && space["fitted_on"] == .string("human training rows"))
        #expect(space["rows"] == .int(r.trainingRows) && space["unscaled_columns"] == JSONValue([1]))
        guard case .array(let columns)? = space["columns"], case .object(let flag) = columns[1] else { Issue.record("no columns"); return }
        #expect(columns.count == 3 && flag["column"] == .string("flag") && flag["mean"] == .double(7) && flag["standard_deviation"] == .double(0))
        p.featureSpace = .raw
        let raw = try FidelityReport(human: set, synthetic: set, parameters: p)
        guard case .object(let ro) = raw.json else { return }
        #expect(ro["feature_space"] == .object(["kind": .string("raw")]))
    }
}
