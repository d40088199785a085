import Foundation
import Synth
import SynthctlCore

/// Everything `synthctl limits` measures: learning curves of a learner
/// trained on human rows, on synthetic rows and on a few human rows plus
/// synthetic ones, all tested on held-out human rows, and what they can
/// claim (``LimitsFindings``: levels, the plateau gap, the exchange rate).
///
/// Built in two steps, so that a run fails on its first problem in input
/// order: ``HumanSplit`` splits the human set (stratified by class,
/// seeded) into a training pool and held-out test rows; the synthetic set
/// is then read or sampled (``sample(generator:rows:seed:source:)``; by
/// default as many rows as the training pool), and ``init(_:synthetic:syntheticSource:parameters:startedAt:)``
/// aligns the two sets' classes and computes the curves.
///
/// The report prints nothing; ``json`` is the `limits` object of the JSON
/// report (keys unchanged since the command built it).
public struct LimitsReport: Sendable {
    public struct Parameters: Sendable {
        /// The learner, its neighbours, points per curve, seeds per point,
        /// the human rows of the mixed curve, the seed and the threads.
        public var curves = LearningCurves.Parameters()
        public init() {}
    }

    /// The human set split into a training pool and held-out test rows:
    /// ``FidelityReport/split(labels:classes:fraction:seed:)``, each class's
    /// `holdoutFraction` (rounded) held out.
    public struct HumanSplit: Sendable {
        public let human: LabeledFeatures
        /// Names the human set in messages and in the report (a path; with
        /// a given holdout, the training part's).
        public let source: String
        /// The share held out; NaN with a given holdout (``init(given:)``).
        public let holdoutFraction: Double
        /// The split's seed; 0 with a given holdout.
        public let seed: UInt64
        /// The holdout's file when the human set was given in two parts
        /// (``init(given:)``), nil when the split was drawn.
        public internal(set) var holdoutSource: String? = nil
        /// Classes the given holdout has and the training part does not:
        /// their rows are left out of the test rows (no learner trained on
        /// the training part can predict them), ``holdoutOnlyClassRows`` of them.
        public internal(set) var holdoutOnlyClasses: [String] = []
        public internal(set) var holdoutOnlyClassRows = 0
        /// Training pool, rows × features, and its labels.
        public let trainingFeatures: Matrix
        public let trainingLabels: [Int32]
        /// Held-out test rows, rows × features, and their labels.
        public let testFeatures: Matrix
        public let testLabels: [Int32]
        /// The human set's rows in the training pool and in the test rows,
        /// in the order of ``trainingFeatures`` and ``testFeatures``: what
        /// gathers the categorical columns' codes (``LearnerFeatures``).
        public let trainingRowIndices: [Int]
        public let testRowIndices: [Int]

        /// Throws when no row is held out (a class too small for the fraction).
        public init(human: LabeledFeatures, source: String, holdoutFraction: Double, seed: UInt64) throws {
            let (train, test) = FidelityReport.split(labels: human.labels, classes: human.classCount, fraction: holdoutFraction, seed: seed)
            guard !test.isEmpty else {
                throw InputError(file: source, expected: "at least one held-out test row (holdout fraction \(holdoutFraction) of each class)",
                                 found: "none in \(human.rows) rows")
            }
            let x = human.features!
            self.human = human
            self.source = source
            self.holdoutFraction = holdoutFraction
            self.seed = seed
            trainingFeatures = x.gatheringRows(train)
            trainingLabels = train.map { human.labels[$0] }
            testFeatures = x.gatheringRows(test)
            testLabels = test.map { human.labels[$0] }
            trainingRowIndices = train
            testRowIndices = test
        }
    }

    /// More neighbours asked for the knn learner than the largest training
    /// set has rows. A separate type so that the command line can name its
    /// flag; the library names none.
    public struct TooManyNeighbors: Error, CustomStringConvertible, Sendable {
        /// The rows of the largest training set (the most neighbours there are).
        public let largest: Int
        public let neighbors: Int
        public var description: String {
            "neighbors: expected at most \(largest) (the rows of the largest training set), found \(neighbors)"
        }
    }

    public let humanSource: String
    public let syntheticSource: String
    public let parameters: Parameters
    public let holdoutFraction: Double
    /// The holdout's file when the human set was given in two parts, nil
    /// when the report drew its own split (``HumanSplit/holdoutSource``).
    public let humanHoldoutSource: String?
    public let humanTrainingRows: Int
    public let testRows: Int
    /// The synthetic rows after aligning classes with the human set.
    public let syntheticRows: Int
    /// The human set's class names, in class-id order (the synthetic labels aligned to them).
    public let classNames: [String]
    /// The rows the learners saw: with categorical columns, standardized
    /// numeric columns and one-hot levels (``LearnerFeatures``).
    public let learnerFeatures: LearnerFeatures
    public let curves: LearningCurves
    public let findings: LimitsFindings
    /// Wall-clock laps: reading the input (from `startedAt`'s start) and the curves.
    public let timings: [(stage: String, seconds: Double)]

    /// Rows sampled from a fitted generator (the `generator` object of a
    /// model file, ``FittedModelFile/generatorSpec(loading:)``), as a
    /// dataset spec `{rows, seed, generator}` would generate them, typed as
    /// `gen --model` writes them (``LabeledFeatures/init(sampled:labels:generator:source:)``:
    /// a fitted model's categorical columns by their categories).
    /// Checks the memory budget first (parameter `syntheticRows`).
    public static func sample(generator: [String: JSONValue], rows: Int, seed: UInt64, source: String) throws -> LabeledFeatures {
        let plan = try DatasetPlan(spec: .object(["rows": .int(rows), "seed": .int(Int(seed)), "generator": .object(generator)]),
                                   source: source)
        var sampled = MemoryEstimate()
        sampled.add("the sampled rows (\(rows) rows × (\(plan.generator.featureCount) features + a label) × 4 bytes)",
                    rows, MemoryEstimate.sum([plan.generator.featureCount, 1]), 4, parameter: "syntheticRows")
        try MemoryBudget.current.check(sampled, subject: source)
        var x = Matrix(rows: rows, columns: plan.generator.featureCount), y = [Int32](repeating: 0, count: rows)
        plan.generator.fill(rows: 0..<rows, features: &x.storage, labels: &y)
        return LabeledFeatures(sampled: x, labels: y, generator: plan.generator, source: source)
    }

    /// Aligns the synthetic classes with the human ones (``ClassAlignment``),
    /// checks the human labels have two classes, the neighbours
    /// (``TooManyNeighbors``) and the memory budget, and computes the curves.
    /// - Parameters:
    ///   - syntheticSource: names the synthetic set (a path, or the model file) in the report.
    ///   - startedAt: a stopwatch started when reading began, so the first lap includes it.
    public init(_ split: HumanSplit, synthetic s: LabeledFeatures, syntheticSource: String,
                parameters: Parameters = Parameters(), startedAt stopwatch: Stopwatch = Stopwatch()) throws {
        var stopwatch = stopwatch
        let h = split.human
        // Categorical columns first: a column categorical in one set only
        // is refused by name, not as a different count of features.
        _ = try LearnerFeatures.matchedColumns(human: h, synthetic: s)
        let aligned = try ClassAlignment(human: h, synthetic: s)
        let features = try LearnerFeatures(split, syntheticSet: s, syntheticNumeric: aligned.syntheticFeatures)
        let hx = features.training, tx = features.test, sx = features.synthetic
        // A given holdout's classes cannot stand in for a training part with one class.
        try TrainingClasses.requireTwo(split.holdoutSource == nil ? h.labels : split.trainingLabels, classNames: h.classNames, source: split.source,
                                       purpose: "the learning curves train a classifier on them")
        stopwatch.lap("reading the input")
        let p = parameters.curves
        let largest = max(hx.rows, sx.rows + min(p.mixHumanRows ?? max(hx.rows / 10, 1), hx.rows))
        if p.learner == .knn && p.neighbors > largest {
            throw TooManyNeighbors(largest: largest, neighbors: p.neighbors)
        }
        try MemoryBudget.current.check(LearningCurves.memoryEstimate(humanRows: hx.rows, syntheticRows: sx.rows,
                                                                     testRows: tx.rows, features: hx.columns, parameters: p),
                                       subject: "limits")
        curves = LearningCurves(humanTrain: hx, humanLabels: split.trainingLabels, synthetic: sx,
                                syntheticLabels: aligned.syntheticLabels, test: tx, testLabels: split.testLabels,
                                classes: aligned.classNames.count, parameters: p)
        stopwatch.lap("learning curves")
        findings = LimitsFindings(curves)
        humanSource = split.source
        self.syntheticSource = syntheticSource
        self.parameters = parameters
        holdoutFraction = split.holdoutFraction
        humanHoldoutSource = split.holdoutSource
        humanTrainingRows = hx.rows
        testRows = tx.rows
        syntheticRows = sx.rows
        classNames = aligned.classNames
        learnerFeatures = features
        timings = stopwatch.laps
    }
}
