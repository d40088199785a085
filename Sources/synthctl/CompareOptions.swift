import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

/// The two sets to compare. Each is a synthctl dataset directory, a table
/// (CSV, JSON Lines or Parquet) with a label column, or an N × D features .npy with
/// its labels .npy.
struct CompareInput: ParsableArguments {
    @Option(help: "The human-labeled set: a dataset directory, a table (.csv, .jsonl, .parquet), or a features .npy with --human-labels.")
    var human: String

    @Option(help: "The synthetic set, in any of the same forms.")
    var synthetic: String

    @Option(help: "Labels (.npy of class ids) for a --human features .npy.")
    var humanLabels: String?

    @Option(help: "Labels (.npy of class ids) for a --synthetic features .npy.")
    var syntheticLabels: String?

    @Option(help: "The label column of a table.")
    var labelColumn: String = "label"

    @Option(parsing: .unconditionalSingleValue, help: FeatureColumns.help)
    var featureColumns: [String] = []

    @Flag(help: DropMissing.help)
    var dropMissing = false

    func validate() throws {
        try FeatureColumns.validate(featureColumns)
        try LabelsOption.validate(human, labels: humanLabels, input: "--human", labelsOption: "--human-labels")
        try LabelsOption.validate(synthetic, labels: syntheticLabels, input: "--synthetic", labelsOption: "--synthetic-labels")
    }

    func readBoth(format: TableFormat? = nil) throws -> (human: LabeledFeatures, synthetic: LabeledFeatures) {
        (try readLabeledSet(human, labels: humanLabels, labelColumn: labelColumn, featureColumns: featureColumns,
                            dropMissing: dropMissing, format: format),
         try readLabeledSet(synthetic, labels: syntheticLabels, labelColumn: labelColumn, featureColumns: featureColumns,
                            dropMissing: dropMissing, format: format))
    }
}

/// `--feature-columns`, shared by every command that reads a labeled table
/// (a list option, ``ListOption``).
enum FeatureColumns {
    static let help = ArgumentHelp(
        "The feature columns of a table (default: every column but the label, true_label, noisy, annotator_* and pandas' index). \(ListOption.syntax)",
        valueName: "names")

    static func validate(_ values: [String]) throws {
        try ListOption.validate(values, option: "--feature-columns", noun: "column name")
    }
}

/// A features `.npy` and the option that gives its labels `.npy`, checked
/// alike by every command that reads a labeled set: a features `.npy`
/// without its labels is refused in one line naming both options, and a
/// labels option beside anything else too.
enum LabelsOption {
    /// `input` names the set on the command line (`--human`), or is empty
    /// for a positional argument; `labelsOption` is its labels option.
    static func validate(_ path: String, labels: String?, input: String, labelsOption: String) throws {
        let named = input.isEmpty ? path : "\(input) \(path)"
        if path.lowercased().hasSuffix(".npy") && labels == nil {
            throw ValidationError("\(named) is a features .npy: give its labels with \(labelsOption) FILE")
        }
        var isDirectory: ObjCBool = false
        if labels != nil, TableFormat(extensionOf: path) != nil
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("\(labelsOption) goes with a features .npy (a table or a dataset directory brings its own labels)")
        }
    }
}

/// `--drop-missing`, shared by every command that reads a labeled set.
enum DropMissing {
    static let help: ArgumentHelp = "Drop rows with a missing label or feature (empty, NA, nan, null, NaN, …) instead of refusing them; the summary and the JSON report count them."

    /// Runs `read`, adding to a missing value's message how to drop such
    /// rows, and to an unreadable default feature's how to choose the
    /// features: the libraries name no flag, and only commands that have
    /// `--drop-missing` and `--feature-columns` may suggest them.
    static func hinting<T>(_ read: () throws -> T) throws -> T {
        do { return try read() } catch let e as MissingValueError {
            throw SynthError(e.message + "; --drop-missing drops such rows")
        } catch let e as UnreadableDefaultColumnError {
            throw SynthError(e.message + "; or choose the features with --feature-columns")
        }
    }
}

/// A labeled set with features, in any of the forms the commands accept: a
/// dataset directory, a features .npy with its labels .npy, or a table.
/// `format` decides how a table is read (default: by extension, else by content).
func readLabeledSet(_ path: String, labels: String?, labelColumn: String, featureColumns: [String],
                    dropMissing: Bool = false, format: TableFormat? = nil) throws -> LabeledFeatures {
    var isDirectory: ObjCBool = false
    let data = try DropMissing.hinting { () throws -> LabeledFeatures in
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return try LabeledFeatures.read(datasetDirectory: path, dropMissing: dropMissing)
        } else if let labels {
            return try LabeledFeatures.read(features: path, labels: labels, dropMissing: dropMissing).named(path)
        }
        return try ModelFileHint.table(path) {
            try LabeledFeatures.read(table: path, labelColumn: labelColumn,
                                     featureColumns: featureColumns.isEmpty ? nil : ListOption.items(featureColumns),
                                     dropMissing: dropMissing, format: format)
        }
    }
    guard data.features != nil else { throw SynthError("\(path): expected feature columns, found labels only") }
    return data
}

/// How the metrics are computed.
struct CompareMetricOptions: ParsableArguments {
    @Option(help: "Neighbours for precision, recall, density and coverage.", range: .atLeast(1))
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

    @Flag(help: "Skip the baselines (human holdout, copy, independent marginals): about half the time.")
    var noBaselines = false

    @Flag(help: "Skip the per-class metrics.")
    var noPerClass = false

    func parameters(seed: UInt64) -> FidelityReport.Parameters {
        var p = FidelityReport.Parameters()
        p.k = k
        p.boundary = strictBalls ? .open : .closed
        p.holdoutFraction = holdoutFraction
        p.exactMMDRows = mmdRows
        p.kidSubsets = kidSubsets
        p.detectionFolds = detectionFolds
        p.baselines = !noBaselines
        p.perClass = !noPerClass
        p.seed = seed
        return p
    }
}

/// Quality gates: each failed one is named on standard error and the
/// command exits with 1.
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
}
