import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// What `limits`' learners see on a set with a categorical column
/// (``LearnerFeatures``): the numeric columns standardized by the human
/// training pool, one 1/√2 column per category of that pool, and all zeros
/// for a category it lacks (the synthetic set's new one, the test rows' rare one).
@Suite struct LearnerFeaturesTests {
    @Test func levelsComeFromTheTrainingPoolAndOtherCategoriesAreZeros() throws {
        let labels: [Int32] = [0, 0, 0, 0, 1, 1, 1, 1]
        let (train, test) = FidelityReport.split(labels: labels, classes: 2, fraction: 0.25, seed: 0)
        // Categories a, b, and "rare" in one held-out row only.
        var codes = labels.indices.map { Int32($0 % 2) }
        codes[test[0]] = 2
        var human = LabeledFeatures(source: "h", features: Matrix(rows: 8, columns: 1, storage: (0..<8).map { Float($0) * 1000 }),
                                    featureNames: ["amount"], labels: labels, classNames: ["x", "y"])
        human.categoricalColumns = [CategoricalColumn(name: "kind", categories: ["a", "b", "rare"], codes: codes)]
        var synthetic = LabeledFeatures(source: "s", features: Matrix(rows: 3, columns: 1, storage: [0, 3500, 7000]),
                                        featureNames: ["amount"], labels: [0, 1, 0], classNames: ["x", "y"])
        synthetic.categoricalColumns = [CategoricalColumn(name: "kind", categories: ["b", "new"], codes: [0, 1, 1])]
        let split = try LimitsReport.HumanSplit(human: human, source: "h", holdoutFraction: 0.25, seed: 0)
        #expect(split.trainingRowIndices == train && split.testRowIndices == test && test.count == 2)
        let f = try LearnerFeatures(split, syntheticSet: synthetic, syntheticNumeric: synthetic.features!)
        #expect(f.isEncoded && f.space.kind == .standardized && f.space.fittedRows == train.count)
        #expect(f.categoricalColumns == [.init(name: "kind", levels: ["a", "b"], unseenSyntheticRows: 2, unseenSyntheticCategories: ["new"],
                                                unseenTestRows: 1, unseenTestCategories: ["rare"])])
        let s = Float(0.5.squareRoot())
        // Population mean and standard deviation of the training pool's amounts.
        let amounts = train.map { Double($0) * 1000 }
        let mean = amounts.reduce(0, +) / Double(amounts.count)
        let sd = (amounts.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(amounts.count)).squareRoot()
        func z(_ v: Double) -> Float { Float((v - mean) / sd) }
        #expect(f.training.columns == 3 && f.test.columns == 3 && f.synthetic.columns == 3)
        for (r, i) in train.enumerated() {
            #expect(f.training[r, 0] == z(Double(i) * 1000))
            #expect(f.training[r, 1] == (codes[i] == 0 ? s : 0) && f.training[r, 2] == (codes[i] == 1 ? s : 0))
        }
        #expect(f.test[0, 1] == 0 && f.test[0, 2] == 0)  // "rare": all zeros
        #expect(f.test[1, codes[test[1]] == 0 ? 1 : 2] == s)
        #expect(f.synthetic[0, 0] == z(0) && f.synthetic[1, 0] == z(3500) && f.synthetic[2, 0] == z(7000))
        #expect([f.synthetic[0, 1], f.synthetic[0, 2]] == [0, s])  // "b"
        #expect([f.synthetic[1, 1], f.synthetic[1, 2], f.synthetic[2, 1], f.synthetic[2, 2]] == [0, 0, 0, 0])  // "new"
        #expect(f.unseenCategoryNotes(synthetic: true) == ["column \"kind\": 2 of 3 rows in a category the human training rows do not have (\"new\"), encoded as all zeros for the learners"])
        #expect(f.unseenCategoryNotes(synthetic: false) == ["column \"kind\": 1 of 2 held-out test rows in a category the human training rows do not have (\"rare\"), encoded as all zeros for the learners"])
    }

    /// Without categorical columns the learners see the rows as they are:
    /// numeric tables keep their curves.
    @Test func numericSetsAreLeftAsTheyAre() throws {
        let human = LabeledFeatures(source: "h", features: Matrix(rows: 6, columns: 2, storage: (0..<12).map { Float($0) * 0.01 }),
                                    featureNames: ["a", "b"], labels: [0, 0, 0, 1, 1, 1], classNames: ["x", "y"])
        let split = try LimitsReport.HumanSplit(human: human, source: "h", holdoutFraction: 0.3, seed: 1)
        let f = try LearnerFeatures(split, syntheticSet: human, syntheticNumeric: human.features!)
        #expect(!f.isEncoded && f.space == .raw)
        #expect(f.training == split.trainingFeatures && f.test == split.testFeatures && f.synthetic == human.features!)
    }
}
