import Foundation
import Synth
import SynthctlCore

/// Everything `synthctl score` finds about a labeled set's labels: where the
/// probabilities came from, the confident joint, the estimated noise matrix
/// and prior, per-class quality, the overall health, and the flagged items
/// ranked from most to least suspicious. When the set is synthetic, the
/// flags are compared with the real noise mask and the estimated noise
/// matrix sits beside the true one.
public struct LabelIssueReport: Sendable {
    public static let definitionsVersion = 1

    public enum Model: String, Sendable, CaseIterable {
        case logistic, knn
        /// ``HistGradientBoostingClassifier``: non-linear class boundaries.
        case gbdt
    }

    public struct Parameters: Sendable {
        public var filter: LabelIssueFilter = .pruneByNoiseRate
        public var rankBy: LabelQualityScore = .selfConfidence
        public var filterOptions = LabelIssueFilter.Options()
        public var model: Model = .logistic
        public var folds = 5
        public var seed: UInt64 = 0
        public var neighbors = 10
        public var logistic = LogisticRegression.Options()
        /// Threads for the cross-validated model (results do not depend on it).
        public var threads = Parallel.coreCount
        /// What the run may allocate (checked before it starts).
        public var memory = MemoryBudget.current
        /// Told as each cross-validation fold finishes (never a result).
        public var progress = WorkProgress.silent
        public init() {}
    }

    /// The dominant allocations of checking N labels over K classes with D
    /// features: the probabilities and the per-item scores (N × K), the
    /// folds' standardized training copies (one per concurrent fold), the
    /// k-nearest-neighbour lists (N × k), the logistic regression's weights
    /// and L-BFGS history (K × D per fold), and the confident joint (K × K).
    public static func memoryEstimate(rows n: Int, classes k: Int, features d: Int, computed: Bool,
                                      parameters p: Parameters) -> MemoryEstimate {
        var e = MemoryEstimate()
        e.add("probabilities and scores (\(n) rows × \(k) classes × 8 bytes × 4)", n, k, 32)
        e.add("the confident joint and noise matrices (\(k) × \(k) classes × 8 bytes × 8)", k, k, 64)
        guard computed else { return e }
        let concurrent = max(1, min(p.folds, p.threads))
        e.add("the folds' training copies (\(concurrent) concurrent folds × \(n) rows × \(d) features × 8 bytes)",
              concurrent, n, d, 8, parameter: "folds")
        switch p.model {
        case .knn:
            e.add("neighbour lists (\(n) rows × \(p.neighbors) neighbours × 8 bytes)", n, p.neighbors, 8, parameter: "neighbors")
        case .logistic:
            e.add("weights and L-BFGS history (\(concurrent) folds × \(k) classes × \(d) features × 8 bytes × 24)",
                  concurrent, k, MemoryEstimate.sum([d, 1]), 8 * 24)
        case .gbdt:
            e.add("binned features, gradients and scores (\(n) rows × (\(d) features + \(k) classes × 24 bytes))",
                  n, MemoryEstimate.sum([d, 24 * k]), 1)
        }
        return e
    }

    /// How flagged items compare with the real noise mask.
    public struct TruthComparison: Sendable {
        public let actualErrors: Int
        public let flagged: Int
        public let correctlyFlagged: Int
        /// Undefined when nothing was flagged.
        public var precision: MetricValue {
            MetricValue(Double(correctlyFlagged), over: Double(flagged), undefinedBecause: "no item was flagged")
        }
        /// Undefined when no label is wrong.
        public var recall: MetricValue {
            MetricValue(Double(correctlyFlagged), over: Double(actualErrors), undefinedBecause: "no label is wrong")
        }
    }

    public let data: LabeledFeatures
    public let parameters: Parameters
    /// "pred_probs file", or the cross-validated model that produced them.
    public let probabilitySource: String
    /// The neighbours a k-NN row used, least and most, where `neighbors`
    /// asked for more than the rows outside a row's fold; nil otherwise.
    public private(set) var neighborsUsed: ClosedRange<Int>? = nil
    public let fits: CrossValidation.FitSummary?
    /// False when the user supplied the probabilities.
    public let computed: Bool
    public let probabilities: PredictedProbabilities
    public let joint: ConfidentJoint
    public let noise: NoiseEstimates
    public let health: LabelHealth
    public let estimatedIssues: Int
    public let flags: [Bool]
    public let scores: [Double]
    /// Flagged rows, most suspicious first.
    public let ranked: [Int]
    public let truth: TruthComparison?

    /// What a set needs when no probabilities are given: the
    /// ``InputError/expected`` of the error for a set of labels only (a
    /// caller that can take probabilities says how).
    public static let featuresToTrainOn = "features to train a model on"

    /// - Parameter probabilities: the user's out-of-sample probabilities; when
    ///   nil they are computed by k-fold cross-validation of `parameters.model`.
    public init(data: LabeledFeatures, probabilities given: PredictedProbabilities? = nil, probabilitySource: String? = nil,
                parameters: Parameters = Parameters()) throws {
        var data = data
        self.parameters = parameters
        // With one given label there is nothing to confuse it with: every
        // other class's threshold is unreachable and nothing can be flagged
        // (cleanlab refuses too: "Labels must contain at least 2 classes").
        let distinct = Set(data.labels).count
        guard distinct >= 2 else {
            throw InputError(file: data.source, expected: "at least 2 classes among the labels", found: "\(distinct)")
        }
        try parameters.memory.check(Self.memoryEstimate(rows: data.rows, classes: given?.classes ?? data.classCount,
                                                        features: data.features?.columns ?? 0, computed: given == nil,
                                                        parameters: parameters),
                                    subject: data.source)
        if let given {
            guard given.rows == data.rows else {
                throw InputError(file: probabilitySource ?? "probabilities", expected: "\(data.rows) rows (one per label in \(data.source))",
                                 found: "\(given.rows)")
            }
            guard data.classCount <= given.classes else {
                throw InputError(file: data.source, expected: "labels in 0..<\(given.classes) (the probabilities' columns)",
                                 found: "label \(data.classNames.count - 1)")
            }
            // A model may predict classes no label uses: every column is a class.
            // (Everything else is kept: the file rows of a set that dropped rows name the flagged rows.)
            if given.classes > data.classCount {
                data = data.withClassNames(Self.classNames(data.classNames, columns: given.classes))
            }
            probabilities = given
            self.probabilitySource = probabilitySource ?? "given"
            fits = nil
            computed = false
        } else {
            guard let x = data.features else {
                throw InputError(file: data.source, expected: Self.featuresToTrainOn, found: "labels only")
            }
            computed = true
            guard data.rows >= parameters.folds else {
                throw InputError(file: data.source, expected: "at least \(parameters.folds) rows for \(parameters.folds)-fold cross-validation",
                                 found: "\(data.rows)")
            }
            // Fitted in first-appearance order and put back in the run's: the
            // probabilities do not depend on the class order (``FirstAppearanceClasses``).
            let canonical = FirstAppearanceClasses(labels: data.labels, classes: data.classCount)
            switch parameters.model {
            case .logistic:
                let (p, summary) = CrossValidation.logisticProbabilities(
                    features: x, labels: canonical.labels, classes: data.classCount, folds: parameters.folds,
                    seed: parameters.seed, options: parameters.logistic, threads: parameters.threads,
                    progress: parameters.progress)
                probabilities = canonical.inRunOrder(p)
                fits = summary
                self.probabilitySource = "\(parameters.folds)-fold logistic regression"
            case .gbdt:
                probabilities = canonical.inRunOrder(CrossValidation.gradientBoostingProbabilities(
                    features: x, labels: canonical.labels, classes: data.classCount, folds: parameters.folds,
                    seed: parameters.seed, threads: parameters.threads, progress: parameters.progress))
                fits = nil
                self.probabilitySource = "\(parameters.folds)-fold gradient-boosted trees"
            case .knn:
                probabilities = canonical.inRunOrder(NearestNeighbors.crossValidatedProbabilities(
                    features: x, labels: canonical.labels, classes: data.classCount, neighbors: parameters.neighbors,
                    folds: parameters.folds, seed: parameters.seed, threads: parameters.threads, progress: parameters.progress))
                fits = nil
                // A row's neighbours come from the other folds only: k above
                // the rows there uses them all, and the source says so (one
                // rule for options the data cap: the value used is stated).
                let k = parameters.neighbors, fold = CrossValidation.folds(labels: canonical.labels, classes: data.classCount,
                                                                          count: parameters.folds, seed: parameters.seed)
                var sizes = [Int](repeating: 0, count: parameters.folds)
                for f in fold { sizes[f] += 1 }
                let outside = sizes.filter { $0 > 0 }.map { data.rows - $0 }
                let used = min(k, outside.min() ?? 0)...min(k, outside.max() ?? 0)
                if used.upperBound < k || used.lowerBound < k {
                    let shown = used.lowerBound == used.upperBound ? "\(used.lowerBound)" : "\(used.lowerBound) to \(used.upperBound)"
                    let rows = outside.min() == outside.max() ? "\(outside.min()!)" : "\(outside.min()!) to \(outside.max()!)"
                    self.probabilitySource = "\(parameters.folds)-fold \(shown)-nearest neighbours (\(k) asked: a row has \(rows) rows outside its fold)"
                    neighborsUsed = used
                } else {
                    self.probabilitySource = "\(parameters.folds)-fold \(k)-nearest neighbours"
                }
            }
        }
        self.data = data
        joint = ConfidentJoint(labels: data.labels, probabilities: probabilities)
        noise = NoiseEstimates(confidentJoint: joint.calibrated, labelCounts: joint.labelCounts)
        estimatedIssues = LabelIssueFilter.estimatedIssueCount(labels: data.labels, probabilities: probabilities, joint: joint)
        health = LabelHealth(joint: joint, estimatedIssues: estimatedIssues)
        flags = parameters.filter.flags(labels: data.labels, probabilities: probabilities, joint: joint,
                                        options: parameters.filterOptions)
        scores = parameters.rankBy.scores(labels: data.labels, probabilities: probabilities)
        ranked = LabelIssueFilter.ranked(flags, by: scores)
        if let t = data.truth {
            let labels = data.labels, flagged = flags
            let wrong = labels.indices.filter { labels[$0] != t[$0] }
            truth = TruthComparison(actualErrors: wrong.count, flagged: flagged.filter { $0 }.count,
                                    correctlyFlagged: wrong.filter { flagged[$0] }.count)
        } else {
            truth = nil
        }
    }

    /// The share of labels estimated wrong: 1 − health.
    public var estimatedNoiseRate: Double { 1 - health.score }

    /// Class names for all `columns` of the probabilities: the labels' own
    /// names, then each column no label uses named by its index (or
    /// "column i" when a label already has that name).
    static func classNames(_ names: [String], columns: Int) -> [String] {
        let taken = Set(names.map(ExactText.init))
        return names + (names.count..<columns).map { taken.contains(ExactText(String($0))) ? "column \($0)" : String($0) }
    }

    /// Classes that no item was given (columns of the probabilities no label uses).
    public var classesNeverGiven: [Int] { joint.labelCounts.indices.filter { joint.labelCounts[$0] == 0 } }

    /// The estimated P(given | true) indexed [true][given], the orientation
    /// of synthctl's manifests (cleanlab prints the transpose). A true class
    /// that no item is estimated to belong to has no distribution over given
    /// labels (cleanlab leaves its column at zero, 0/0): its row is nil.
    public var estimatedNoiseMatrix: [[Double]?] {
        let k = noise.noiseMatrix.count
        return (0..<k).map { t in
            let row = (0..<k).map { g in noise.noiseMatrix[g][t] }
            return row.contains { $0 != 0 } ? row : nil
        }
    }

    public var json: JSONValue {
        let names = data.classNames
        var parameterFields: [String: JSONValue] = [
            "filter_by": .string(parameters.filter.rawValue),
            "rank_by": .string(parameters.rankBy.rawValue),
            "min_examples_per_class": .int(parameters.filterOptions.minExamplesPerClass),
            "frac_noise": .double(parameters.filterOptions.fracNoise),
            "probabilities": .string(probabilitySource),
        ]
        if computed {
            parameterFields["model"] = .string(parameters.model.rawValue)
            parameterFields["folds"] = .int(parameters.folds)
            parameterFields["seed"] = .int(Int(parameters.seed))
        }
        if let fits {
            parameterFields["logistic_regression"] = .object([
                "C": .double(parameters.logistic.inverseRegularization),
                "max_iterations": .int(parameters.logistic.maxIterations),
                "gradient_tolerance": .double(parameters.logistic.gradientTolerance),
                "standardize": .bool(parameters.logistic.standardize),
                "iterations_per_fold": JSONValue(fits.iterations),
                "converged_per_fold": .array(fits.converged.map { .bool($0) }),
            ])
        }
        if computed && parameters.model == .knn {
            parameterFields["neighbors"] = .int(parameters.neighbors)
            if let used = neighborsUsed { parameterFields["neighbors_used"] = JSONValue([used.lowerBound, used.upperBound]) }
        }
        var o: [String: JSONValue] = [
            "metric_definitions_version": .int(Self.definitionsVersion),
            "synthctl_version": .string(SynthVersion.current),
            "definitions": .string("confident learning as cleanlab 2.9 (Northcutt et al., JAIR 2021); health = 1 − estimated issues / rows (off-diagonal count); noise matrices indexed [true][given] = P(given | true)"),
            "input": .object([
                "source": .string(data.source), "rows": .int(data.rows), "classes": JSONValue(names),
                "features": .int(data.features?.columns ?? 0),
            ]),
            "parameters": .object(parameterFields),
            "health_score": .double(health.score),
            "estimated_noise_rate": .double(estimatedNoiseRate),
            "estimated_label_issues": .int(estimatedIssues),
            "estimated_label_issues_calibrated": .int(LabelIssueFilter.calibratedIssueCount(joint: joint)),
            "flagged": .int(ranked.count),
            // A class nobody was given has no mean probability to threshold at (cleanlab: 2, unreachable).
            "thresholds": .array(joint.thresholds.indices.map { joint.labelCounts[$0] > 0 ? .double(joint.thresholds[$0]) : .null }),
            "classes_never_given": JSONValue(classesNeverGiven.map { names[$0] }),
            "confident_joint": .array(joint.calibrated.map { JSONValue($0) }),
            "estimated_prior": JSONValue(noise.prior),
            "estimated_noise_matrix": .array(estimatedNoiseMatrix.map { $0.map { JSONValue($0) } ?? .null }),
            "classes": .array(health.classes.map { c in
                var e: [String: JSONValue] = [
                    "class": .string(names[c.classIndex]), "given_labels": .int(joint.labelCounts[c.classIndex]),
                    "label_issues": .int(c.labelIssues), "inverse_label_issues": .int(c.inverseLabelIssues),
                ]
                e.set("label_noise", c.labelNoise)
                e.set("inverse_label_noise", c.inverseLabelNoise)
                e.set("label_quality", c.labelQuality)
                return .object(e)
            }),
            "overlapping_classes": .array(health.overlaps.prefix(20).map { p in .object([
                "class_a": .string(names[p.classA]), "class_b": .string(names[p.classB]),
                "joint_probability": .double(p.jointProbability), "items": .int(p.items),
            ]) }),
        ]
        if let truth {
            var t: [String: JSONValue] = [
                "actual_label_errors": .int(truth.actualErrors), "flagged": .int(truth.flagged),
                "correctly_flagged": .int(truth.correctlyFlagged),
                "true_noise_matrix": data.trueNoiseMatrix.map { JSONValue($0) } ?? .null,
            ]
            t.set("precision", truth.precision)
            t.set("recall", truth.recall)
            o["truth"] = .object(t)
        }
        return .object(o)
    }

    /// The flagged items, most suspicious first, as CSV: row (the file's,
    /// 0-based, when rows with missing values were dropped), given label,
    /// the model's most probable class, the score, and the true label when known.
    public var issuesCSV: String {
        let names = data.classNames
        var s = "row,given_label,predicted_label,\(parameters.rankBy.rawValue)" + (data.truth != nil ? ",true_label" : "") + "\n"
        for i in ranked {
            let predicted = probabilities.argmax(i)
            s += "\(data.fileRows?[i] ?? i),\(csvField(names[Int(data.labels[i])])),\(csvField(names[predicted])),\(String(scores[i]))"
            if let t = data.truth { s += "," + (t[i] >= 0 ? csvField(names[Int(t[i])]) : "") }
            s += "\n"
        }
        return s
    }

    private func csvField(_ s: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
