import ArgumentParser
import Eval
import Synth
import SynthctlCore

extension LabeledSetOptions {
    /// The human set given in two parts, `--human-train` and
    /// `--human-holdout` (`synthctl split`'s), read as tables or dataset
    /// directories with categorical columns kept, and joined
    /// (``GivenHoldout``), for `compare` and `limits` alike. Errors: the
    /// readers', and ``GivenHoldout``'s, one line each; a column
    /// categorical in one part and numeric in the other names the
    /// `--categorical` that reads it alike.
    func readGivenHoldout(train: String, holdout: String, trainLabels: String? = nil, holdoutLabels: String? = nil,
                          format: TableFormat?, progress: WorkProgress = .silent)
        throws -> (train: LabeledFeatures, holdout: LabeledFeatures, parts: GivenHoldout) {
        let t = try read(train, labels: trainLabels, format: format, progress: progress, categoricalFeatures: true)
        let h = try read(holdout, labels: holdoutLabels, format: format, progress: progress, categoricalFeatures: true)
        do { return (t, h, try GivenHoldout(train: t, holdout: h)) } catch let e as PartColumnTypeError {
            throw HintedError(e, hint: "read \(e.columns.count == 1 ? "it" : "them") as categorical in both parts with --categorical \(e.columns.joined(separator: ","))")
        }
    }
}

/// Checks the human inputs of `compare` and `limits`: `--human`, or
/// `--human-train` with `--human-holdout`, each `.npy` with its labels
/// option. `command` names the command that holds out part of `--human`.
func validateHumanParts(command: String, human: String?, humanLabels: String?, humanTrain: String?, humanHoldout: String?,
                        humanTrainLabels: String?, humanHoldoutLabels: String?) throws {
    switch (human, humanTrain, humanHoldout) {
    case (_?, nil, nil), (nil, _?, _?): break
    case (_?, _, _): throw ValidationError("give --human (\(command) holds out part of it) or --human-train with --human-holdout, not both")
    // argument-parser's words from when --human was required: the line scripts know (--help shows the pair).
    case (nil, nil, nil): throw ValidationError("Missing expected argument '--human <human>'")
    default: throw ValidationError("--human-train and --human-holdout go together: give both")
    }
    if human == nil, humanLabels != nil {
        throw ValidationError("--human-labels goes with a --human features .npy (a --human-train or --human-holdout .npy takes --human-train-labels or --human-holdout-labels)")
    }
    if humanTrain == nil, let given = [("--human-train-labels", humanTrainLabels), ("--human-holdout-labels", humanHoldoutLabels)].first(where: { $0.1 != nil }) {
        throw ValidationError("\(given.0) goes with --human-train and --human-holdout features .npy files")
    }
    if let human { try LabelsOption.validate(human, labels: humanLabels, input: "--human", labelsOption: "--human-labels") }
    if let humanTrain, let humanHoldout {
        try LabelsOption.validate(humanTrain, labels: humanTrainLabels, input: "--human-train", labelsOption: "--human-train-labels")
        try LabelsOption.validate(humanHoldout, labels: humanHoldoutLabels, input: "--human-holdout", labelsOption: "--human-holdout-labels")
    }
}
