import Foundation
import Synth
import SynthctlCore

/// Everything `synthctl collapse` measures: the human set split (stratified
/// by class, seeded) into training rows, generation 0's data, and a holdout
/// for the downstream accuracy, then ``ModelCollapse`` run on them —
/// generation after generation of a refitted class-conditional Gaussian.
///
/// The report prints nothing; ``json`` is the `collapse` object of the JSON
/// report (keys unchanged since the command built it).
public struct CollapseReport: Sendable {
    public struct Parameters: Sendable {
        public var generations = 10
        /// Rows sampled per generation; nil: as many as the human training rows.
        public var rows: Int? = nil
        public var mode = ModelCollapse.Mode.replace
        /// Share of each class's human rows held out to measure accuracy.
        public var holdoutFraction = 0.3
        /// Generation g samples with seed + g; the split uses the seed itself.
        public var seed: UInt64 = 0
        /// Told as each generation finishes (never a result).
        public var progress = WorkProgress.silent
        public init() {}
    }

    /// The model every generation refits, as the report names it:
    /// ``ModelCollapse`` fits a class-conditional Gaussian.
    public static let model = "gaussian"

    /// Names the human set in messages and in the report (a path).
    public let humanSource: String
    public let parameters: Parameters
    /// The human set's feature names, in column order (the constant columns index them).
    public let featureNames: [String]
    public let trainingRows: Int
    public let holdoutRows: Int
    public let collapse: ModelCollapse

    /// Checks that the human labels have two classes (the downstream
    /// accuracy trains a classifier) and that some feature column varies (a
    /// Gaussian fitted to constant columns has no spread to sample), splits
    /// the rows and runs the generations.
    public init(human data: LabeledFeatures, source: String, parameters: Parameters = Parameters()) throws {
        try TrainingClasses.requireTwo(data.labels, classNames: data.classNames, source: source,
                                       purpose: "the downstream accuracy trains a classifier on each generation")
        let x = data.features!
        guard (0..<x.columns).contains(where: { j in (1..<max(x.rows, 1)).contains { x[$0, j] != x[0, j] } }) else {
            throw InputError(file: source, expected: "a feature column whose values vary",
                             found: "every one constant (a Gaussian fitted to it has no spread to sample)")
        }
        let (train, test) = FidelityReport.split(labels: data.labels, classes: data.classCount, fraction: parameters.holdoutFraction, seed: parameters.seed)
        let trainX = x.gatheringRows(train), trainY = train.map { data.labels[$0] }
        let testX = x.gatheringRows(test), testY = test.map { data.labels[$0] }
        collapse = try ModelCollapse(human: trainX, labels: trainY, classNames: data.classNames,
                                     test: test.isEmpty ? nil : (testX, testY), generations: parameters.generations,
                                     rows: parameters.rows ?? trainX.rows, mode: parameters.mode, seed: parameters.seed, source: source,
                                     progress: parameters.progress)
        humanSource = source
        self.parameters = parameters
        featureNames = data.featureNames
        trainingRows = trainX.rows
        holdoutRows = testX.rows
    }

    /// The `collapse` object of the JSON report: the run's settings, the
    /// human split, the constant columns and one object per generation,
    /// with the definition of every number.
    public var json: JSONValue {
        .object([
            "mode": .string(parameters.mode.rawValue), "model": .string(Self.model), "rows_per_generation": .int(collapse.rowsPerGeneration), "seed": .int(Int(parameters.seed)),
            "human": .object(["source": .string(humanSource), "training_rows": .int(trainingRows), "holdout_rows": .int(holdoutRows)]),
            "definitions": .string("constant_columns: human columns with a single value or a standard deviation of at most \(Int(ModelCollapse.nearConstantUlps)) float32 ulp at their magnitude (the larger of their largest |value| and √(tr Σ_human / d)); mean_drift: mean over the non-constant human columns of |μ_g − μ_human| / σ_human (null when every column is constant); variance_ratio: tr Σ_g / tr Σ_human (null when tr Σ_human = 0); tail_mass: share of values outside the human [1st, 99th] percentiles (0.02 for human data), averaged over the non-constant columns where those percentiles differ (null when none); constant_column_drift and constant_column_spread: over the constant human columns, the largest |μ_g − value| and the largest standard deviation of the generation, in the column's own units (null without constant columns); frechet: Fréchet distance to the human training rows; accuracy: logistic regression trained on the generation (a generation with one class predicts it), tested on the human holdout; fitted_spread: √(tr Σ_model / d)"),
            "constant_columns": .array(collapse.constantColumns.map { .string(featureNames[$0]) }),
            "generations": .array(collapse.generations.map { g in
                .object([
                    "generation": .int(g.index), "trained_on_rows": .int(g.trainingRows),
                    "mean_drift": g.meanDrift.map(JSONValue.double) ?? .null,
                    "variance_ratio": g.varianceRatio.map(JSONValue.double) ?? .null,
                    "tail_mass": g.tailMass.map(JSONValue.double) ?? .null,
                    "constant_column_drift": g.constantColumnDrift.map(JSONValue.double) ?? .null,
                    "constant_column_spread": g.constantColumnSpread.map(JSONValue.double) ?? .null,
                    "frechet": g.frechet.map(JSONValue.double) ?? .null, "accuracy": g.accuracy.map(JSONValue.double) ?? .null,
                    "fitted_spread": .double(g.fittedSpread),
                ])
            }),
        ])
    }
}
