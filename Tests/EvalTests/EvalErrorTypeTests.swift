import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore

/// Eval's refusals outside its readers are typed errors with fields, and
/// they render the lines the string-built errors printed.
@Suite struct EvalErrorTypeTests {
    @Test func predictedProbabilitiesNameRowAndColumn() {
        #expect(throws: InputError(file: "p.npy", row: 1, column: 0, expected: "a probability in [0, 1]", found: "1.5")) {
            try PredictedProbabilities(validating: [0.5, 0.5, 1.5, -0.5], rows: 2, classes: 2, source: "p.npy")
        }
        #expect(throws: InputError(file: "p.npy", row: 0, expected: "probabilities summing to 1", found: "a sum of 0.5")) {
            try PredictedProbabilities(validating: [0.25, 0.25], rows: 1, classes: 2, source: "p.npy")
        }
        #expect(throws: InputError(file: "p.npy", expected: "at least 2 classes (columns)", found: "1")) {
            try PredictedProbabilities(validating: [1], rows: 1, classes: 1, source: "p.npy")
        }
        do { _ = try PredictedProbabilities(validating: [0.5, 0.5, 1.5, -0.5], rows: 2, classes: 2, source: "p.npy") } catch {
            #expect("\(error)" == "p.npy: row 1, column 0: expected a probability in [0, 1], found 1.5")
        }
    }

    @Test func oneClassIsAnInputErrorWithTheSameLine() {
        #expect(throws: InputError(file: "y.npy", expected: "at least 2 classes among the labels (a reason)", found: "1 (\"cat\")")) {
            try TrainingClasses.requireTwo([0, 0], classNames: ["cat", "dog"], source: "y.npy", purpose: "a reason")
        }
    }

    @Test func labelsOnlyCannotBeCompared() {
        let h = LabeledFeatures(source: "h.npy", features: nil, featureNames: [], labels: [0, 1], classNames: ["a", "b"])
        let s = LabeledFeatures(source: "s.npy", features: Matrix(rows: 2, columns: 1, storage: [0, 1]), featureNames: ["x"],
                                labels: [0, 1], classNames: ["a", "b"])
        #expect(throws: InputError(file: "h.npy", expected: "feature columns to compare", found: "labels only")) {
            try ClassAlignment(human: h, synthetic: s)
        }
        do { _ = try ClassAlignment(human: h, synthetic: s) } catch {
            #expect("\(error)" == "h.npy: expected feature columns to compare, found labels only")
        }
    }

    /// A statistic the data leaves undefined is not bad input: its own type.
    @Test func frechetOnTooFewRowsIsAnUndefinedStatistic() throws {
        let a = Matrix(rows: 2, columns: 3, storage: [0, 1, 2, 3, 4, 5])
        do { _ = try FrechetDistance(Moments(a), Moments(a)); Issue.record("expected an error") } catch let e as UndefinedStatisticError {
            #expect(e.statistic == "Fréchet distance")
            #expect(e.description == "Fréchet distance: expected more rows than dimensions in the first set (its covariance is singular otherwise), found 2 rows in 3 dimensions")
        }
    }
}
