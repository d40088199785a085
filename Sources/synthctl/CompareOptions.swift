import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

/// The two sets to compare. Each is a synthctl dataset directory, a table
/// (CSV, JSON Lines or Parquet) with a label column, or an N × D features .npy with
/// its labels .npy.
struct CompareInput: ParsableArguments {
    @Option(help: ArgumentHelp("The human-labeled set: a dataset directory, a table (\(TableFormat.helpList)), or a features .npy with --human-labels; compare holds out --holdout-fraction of it."))
    var human: String?

    @Option(help: "Instead of --human: the human training part (synthctl split's --train-out), the set the synthetic set's model was fitted on.")
    var humanTrain: String?

    @Option(help: "With --human-train: the human holdout (synthctl split's --holdout-out), rows the model never saw: TSTR/TRTR's test set, privacy's unseen rows, the human baseline.")
    var humanHoldout: String?

    @Option(help: "The synthetic set, in any of the same forms.")
    var synthetic: String

    @Option(help: "Labels (.npy of class ids) for a --human features .npy.")
    var humanLabels: String?

    @Option(help: "Labels (.npy of class ids) for a --synthetic features .npy.")
    var syntheticLabels: String?

    @Option(help: "Labels (.npy of class ids) for a --human-train features .npy (synthctl split's --train-labels-out).")
    var humanTrainLabels: String?

    @Option(help: "Labels (.npy of class ids) for a --human-holdout features .npy (synthctl split's --holdout-labels-out).")
    var humanHoldoutLabels: String?

    @OptionGroup var labeledSet: LabeledSetOptions

    func validate() throws {
        try validateHumanParts(command: "compare", human: human, humanLabels: humanLabels, humanTrain: humanTrain, humanHoldout: humanHoldout,
                               humanTrainLabels: humanTrainLabels, humanHoldoutLabels: humanHoldoutLabels)
        try LabelsOption.validate(synthetic, labels: syntheticLabels, input: "--synthetic", labelsOption: "--synthetic-labels")
    }

    /// The human files given, for ``RunFiles`` and notes: `--human`, or `--human-train` and `--human-holdout` (with their labels .npy files).
    var humanInputs: [(String, String?)] {
        [("--human", human), ("--human-train", humanTrain), ("--human-holdout", humanHoldout),
         ("--human-train-labels", humanTrainLabels), ("--human-holdout-labels", humanHoldoutLabels)]
    }

    /// The human set (with its two parts when given), and the synthetic set.
    func readBoth(format: TableFormat? = nil, progress: WorkProgress = .silent)
        throws -> (human: LabeledFeatures, parts: GivenHoldout?, holdout: LabeledFeatures?, synthetic: LabeledFeatures) {
        var parts: GivenHoldout? = nil, holdout: LabeledFeatures? = nil
        let human: LabeledFeatures
        if let humanTrain, let humanHoldout {
            let given = try labeledSet.readGivenHoldout(train: humanTrain, holdout: humanHoldout, trainLabels: humanTrainLabels,
                                                        holdoutLabels: humanHoldoutLabels, format: format, progress: progress)
            (human, holdout, parts) = (given.train, given.holdout, given.parts)
        } else {
            human = try labeledSet.read(self.human!, labels: humanLabels, format: format, progress: progress, categoricalFeatures: true)
        }
        return (human, parts, holdout, try labeledSet.read(synthetic, labels: syntheticLabels, format: format, progress: progress, categoricalFeatures: true))
    }
}

/// How the metrics are computed.
struct CompareMetricOptions: ParsableArguments {
    // --neighbors as in score and limits; --k, its first name here, still works.
    @Option(name: [.customLong("neighbors"), .customLong("k")],
            help: "Neighbours for precision, recall, density and coverage (--neighbors is preferred, as in score and limits; --k also works).",
            range: .atLeast(1))
    var k: Int = 5

    @Flag(help: "Compare with a strict d < r, as prdc does (exact copies then count as outside). Default: d ≤ r.")
    var strictBalls = false

    @Option(help: "Share of each class's human rows held out: the test set for TSTR/TRTR, the unseen rows for privacy, and the human baseline.",
            range: .openShare)
    var holdoutFraction: Double = 0.3

    @Option(help: "Rows per set for the exact unbiased MMD² (a seeded subsample above this; the linear-time estimator always uses every row).",
            range: .atLeast(2))
    var mmdRows: Int = 10_000

    @Option(help: "KID subsets (each of up to 1000 rows per set).", range: .within(1...CompareMetricOptions.maximumKIDSubsets))
    var kidSubsets: Int = 100

    /// Each subset has its own random substream, and takes 10⁶·D kernel
    /// evaluations per set: more than this is a typo, not a measurement.
    static let maximumKIDSubsets = 100_000

    @Option(help: "Folds for the detection classifier.", range: .atLeast(2))
    var detectionFolds: Int = 5

    @Option(help: "The detection classifier: gbdt (gradient-boosted trees, as scikit-learn's HistGradientBoostingClassifier: sees non-linear differences) or logistic (the BLAS logistic regression: differences in means and linear combinations only).",
            oneOf: DetectionTest.Detector.self)
    var detector: DetectionTest.Detector = .gbdt

    @Option(help: "The space distances, marginals, kernels and the detector measure in: standardized (each column by the mean and standard deviation of the human training rows, the same transform on the holdout and synthetic rows) or raw (the columns' own units, where a column in thousands outweighs one in hundredths).",
            oneOf: FeatureSpace.Kind.self)
    var space: FeatureSpace.Kind = .standardized

    @Option(help: "Seeded subsamples of the larger side for the size-dependent metrics (precision, recall, density, coverage, MMD², KID, detection), computed with both sides at the holdout's size (or the synthetic set's, when smaller); mean ± sd over draws. 0: every metric on all rows, as reports before version 4.",
            range: .within(0...CompareMetricOptions.maximumSizeDraws))
    var sizeDraws: Int = 5

    /// Draw d has substream id base + d, and the family has 1,024 ids.
    static let maximumSizeDraws = 1024

    @Option(help: "Seeded bootstrap resamples for the intervals without a closed form (TSTR and TRTR macro-F1).", range: .within(2...1_000_000))
    var bootstrapResamples: Int = 1000

    @Flag(help: "Skip the baselines (human holdout, copy, independent marginals): about half the time.")
    var noBaselines = false

    @Flag(help: "Skip the per-class metrics.")
    var noPerClass = false

    func parameters(seed: UInt64) -> FidelityReport.Parameters {
        var p = FidelityReport.Parameters()
        p.k = k
        p.boundary = strictBalls ? .open : .closed
        p.holdoutFraction = holdoutFraction
        p.featureSpace = space
        p.exactMMDRows = mmdRows
        p.kidSubsets = kidSubsets
        p.detectionFolds = detectionFolds
        p.detector = detector
        p.sizeDraws = sizeDraws
        p.bootstrapResamples = bootstrapResamples
        p.baselines = !noBaselines
        p.perClass = !noPerClass
        p.seed = seed
        return p
    }
}

/// Quality gates: each failed one is named on standard error and the
/// command exits with 1. `--gate NAME=LIMIT` (``GateLimit``) takes a limit
/// on any gate a fidelity metric declares (``FidelityMetric/gates``), which
/// says what it bounds and how. The `--max-…`/`--min-…` options are
/// shorthands kept for the gates that had them: each is the gate of its
/// name and holds only its help and its range.
///
/// Failures are listed in a fixed order, whatever the order on the command
/// line: the shorthands' in the order of the options below, then the
/// `--gate` limits' in declaration order (``FidelityMetric/allGates``). A
/// gate given twice, in either form, is refused. `--fail-on-verdict`
/// (``VerdictGate``) gates the verdict; its failure is listed last.
struct CompareGates: ParsableArguments {
    @Option(help: "Fail when the detection AUC is above this (0.5 = indistinguishable).", range: .detectionAUC)
    var maxDetectionAuc: Double?

    @Option(help: "Fail when coverage is below this.", range: .share)
    var minCoverage: Double?

    @Option(help: "Fail when precision is below this.", range: .share)
    var minPrecision: Double?

    @Option(help: "Fail when recall is below this.", range: .share)
    var minRecall: Double?

    @Option(help: "Fail when the lowest per-class coverage is below this (a class the synthetic set lacks counts as 0).", range: .share)
    var minClassCoverage: Double?

    @Option(help: "Fail when TSTR/TRTR macro-F1 is below this.", range: .nonNegative)
    var minTstrRatio: Double?

    @Option(help: "Fail when the Fréchet distance is above this.", range: .nonNegative)
    var maxFrechet: Double?

    @Option(help: "Fail when the unbiased MMD² is above this.", range: .nonNegative)
    var maxMmd: Double?

    @Option(help: "Fail when the mean per-feature KS statistic is above this.", range: .share)
    var maxMeanKs: Double?

    @Option(help: "Fail when the share of synthetic rows that exactly copy a human training row is above this.", range: .share)
    var maxExactCopies: Double?

    @Option(help: "Fail when median DCR(synthetic) / median DCR(holdout) is below this (memorization).", range: .nonNegative)
    var minDcrRatio: Double?

    @Option(name: .customLong("gate"), help: ArgumentHelp(GateLimit.help, valueName: "name=limit"),
            transform: { try GateLimit(parsing: $0) })
    var gate: [GateLimit] = []

    @Option(name: .customLong("fail-on-verdict"), help: ArgumentHelp(VerdictGate.help, valueName: "kind,…"),
            transform: { try VerdictGate(parsing: $0) })
    var failOnVerdict: [VerdictGate] = []

    /// The verdict kinds `--fail-on-verdict` names (every occurrence), nil when not given.
    var verdictKinds: [FidelityVerdict.Kind]? { failOnVerdict.isEmpty ? nil : failOnVerdict.flatMap(\.kinds) }

    func validate() throws {
        var seen = Set<String>()
        for given in limits where !seen.insert(given.gate).inserted {
            throw ValidationError("\(given.option): the gate \(given.gate) is given twice; give one limit")
        }
    }
}

extension CompareGates {
    /// The limits given, as (how it was given, gate name, limit), in the
    /// order failures are listed in: the shorthand options' in the order of
    /// the options above, then `--gate`'s in declaration order. A
    /// shorthand's gate is its option's name: the property name in kebab
    /// case, as argument-parser spells it (`maxMeanKs` is `--max-mean-ks`,
    /// the gate `max-mean-ks`); `option` is how a failure line names it
    /// (`--max-mean-ks`, or `--gate max-mean-ks`).
    var limits: [(option: String, gate: String, limit: Double)] {
        let shorthands = Mirror(reflecting: self).children.compactMap { child -> (String, String, Double)? in
            guard let label = child.label, let limit = (child.value as? Option<Double?>)?.wrappedValue else { return nil }
            let name = Self.gateName(property: label)
            return ("--" + name, name, limit)
        }
        let order = Dictionary(FidelityMetric.allGates.enumerated().map { ($1.name, $0) }) { first, _ in first }
        let generic = gate.enumerated().sorted { (order[$0.element.gate] ?? 0, $0.offset) < (order[$1.element.gate] ?? 0, $1.offset) }
            .map { ("--gate " + $0.element.gate, $0.element.gate, $0.element.limit) }
        return shorthands + generic
    }

    /// Every shorthand gate option's name, given or not.
    static var gateNames: [String] {
        Mirror(reflecting: CompareGates()).children.compactMap { child in
            child.value is Option<Double?> ? child.label.map(gateName(property:)) : nil
        }
    }

    /// `_maxMeanKs` (a property wrapper's storage) as `max-mean-ks`.
    static func gateName(property label: String) -> String {
        label.drop { $0 == "_" }.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined()
    }
}
