import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// `LimitsReport` and `CollapseReport`: what the `limits` and `collapse`
/// commands used to prepare themselves (splits, alignment, checks, the JSON
/// object) now in Eval, naming no flag.
@Suite struct LimitsAndCollapseReportTests {
    /// Two classes of `rows / 2` rows each, `d` features: class c is N(2c, 1)
    /// in every feature, so a learner beats chance.
    static func twoClasses(rows: Int, features d: Int = 3, seed: UInt64, source: String) -> LabeledFeatures {
        let stream = RandomStream(seed: seed, purpose: .samples, substream: 91)
        var x = Matrix(rows: rows, columns: d)
        let y = (0..<rows).map { Int32($0 % 2) }
        for i in 0..<rows { for j in 0..<d { x[i, j] = Float(stream.normal(row: UInt64(i), draw: UInt32(j)) + 2 * Double(y[i])) } }
        return LabeledFeatures(source: source, features: x, featureNames: (0..<d).map { "f\($0)" }, labels: y, classNames: ["a", "b"])
    }

    static func message(_ run: () throws -> Void) -> String? {
        do { try run(); return nil } catch { return "\(error)" }
    }

    @Test func humanSplitPartitionsTheRowsAndHoldsOutEachClass() throws {
        let h = Self.twoClasses(rows: 200, seed: 1, source: "h")
        let split = try LimitsReport.HumanSplit(human: h, source: "human.csv", holdoutFraction: 0.3, seed: 4)
        #expect(split.trainingFeatures.rows + split.testFeatures.rows == 200)
        #expect(split.trainingLabels.count == split.trainingFeatures.rows && split.testLabels.count == split.testFeatures.rows)
        #expect(Set(split.testLabels) == [0, 1])
        #expect(split.testFeatures.rows == 60)
    }

    @Test func humanSplitWithoutTestRowsNamesTheSetNotAFlag() {
        let h = Self.twoClasses(rows: 8, seed: 1, source: "labels.npy")
        let m = Self.message { _ = try LimitsReport.HumanSplit(human: h, source: "tiny.npy", holdoutFraction: 0.01, seed: 0) }
        #expect(m == "tiny.npy: expected at least one held-out test row (holdout fraction 0.01 of each class), found none in 8 rows")
    }

    @Test func tooManyNeighborsIsATypedErrorThatNamesNoFlag() throws {
        let split = try LimitsReport.HumanSplit(human: Self.twoClasses(rows: 100, seed: 1, source: "h"), source: "h",
                                                holdoutFraction: 0.3, seed: 0)
        var p = LimitsReport.Parameters()
        p.curves.learner = .knn
        p.curves.neighbors = 500
        p.curves.points = 3
        p.curves.seeds = 1
        do {
            _ = try LimitsReport(split, synthetic: Self.twoClasses(rows: 60, seed: 2, source: "s"), syntheticSource: "s", parameters: p)
            Issue.record("expected TooManyNeighbors")
        } catch let e as LimitsReport.TooManyNeighbors {
            // The largest training set: 70 human rows, or 60 synthetic plus a tenth of the human training rows.
            #expect(e.largest == 70 && e.neighbors == 500)
            #expect(!e.description.contains("--"))
        }
    }

    @Test func limitsJSONStatesTheInputAndParametersOfTheRun() throws {
        let split = try LimitsReport.HumanSplit(human: Self.twoClasses(rows: 300, seed: 1, source: "h"), source: "human.csv",
                                                holdoutFraction: 0.3, seed: 5)
        var p = LimitsReport.Parameters()
        p.curves.points = 3
        p.curves.seeds = 2
        p.curves.seed = 5
        p.curves.threads = 1
        let r = try LimitsReport(split, synthetic: Self.twoClasses(rows: 250, seed: 2, source: "s"), syntheticSource: "model.json", parameters: p)
        #expect(r.humanTrainingRows == 210 && r.testRows == 90 && r.syntheticRows == 250)
        #expect(r.timings.map(\.stage) == ["reading the input", "learning curves"])
        let json = r.json
        #expect(json["input"] == .object(["human": .string("human.csv"), "synthetic": .string("model.json"), "human_training_rows": .int(210),
                                          "test_rows": .int(90), "synthetic_rows": .int(250)]))
        #expect(json["parameters"]?["learner"] == .string("logistic") && json["parameters"]?["seeds"] == .int(2)
                && json["parameters"]?["holdout_fraction"] == .double(0.3) && json["parameters"]?["neighbors"] == nil)
        guard case .array(let curves)? = json["curves"] else { Issue.record("no curves"); return }
        #expect(curves.map { $0["name"] } == [.string("human"), .string("synthetic"), .string("human+synthetic")])
        #expect(json["chance"]?["majority_class"] != nil && json["test_split"]?["rows"] == .int(90))
    }

    @Test func collapseRefusesConstantFeaturesNamingTheSource() {
        let x = Matrix(rows: 40, columns: 2, storage: [Float](repeating: 1, count: 80))
        let h = LabeledFeatures(source: "x", features: x, featureNames: ["a", "b"], labels: (0..<40).map { Int32($0 % 2) }, classNames: ["a", "b"])
        let m = Self.message { _ = try CollapseReport(human: h, source: "flat.csv") }
        #expect(m == "flat.csv: expected a feature column whose values vary, found every one constant (a Gaussian fitted to it has no spread to sample)")
    }

    @Test func collapseJSONHasOneObjectPerGenerationAndTheSplit() throws {
        var p = CollapseReport.Parameters()
        p.generations = 3
        p.mode = .accumulate
        p.seed = 2
        let r = try CollapseReport(human: Self.twoClasses(rows: 100, seed: 3, source: "h"), source: "human.csv", parameters: p)
        #expect(r.trainingRows == 70 && r.holdoutRows == 30)
        let json = r.json
        #expect(json["mode"] == .string("accumulate") && json["model"] == .string("gaussian") && json["seed"] == .int(2))
        // Rows per generation default to the human training rows.
        #expect(json["rows_per_generation"] == .int(70))
        #expect(json["human"] == .object(["source": .string("human.csv"), "training_rows": .int(70), "holdout_rows": .int(30)]))
        guard case .array(let generations)? = json["generations"] else { Issue.record("no generations"); return }
        #expect(generations.count == r.collapse.generations.count && generations.count >= 3)
        #expect(json["constant_columns"] == .array([]))
    }
}
