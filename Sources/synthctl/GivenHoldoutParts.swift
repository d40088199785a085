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
