import Foundation
import Synth
import SynthctlCore

/// Whether the human rows `compare` holds out are rows the synthetic set's
/// model was fitted on: a synthetic set written by `gen --model` carries a
/// copy of its model (its manifest's `spec.generator.model_file`), whose
/// ``FittedRowsFingerprint`` lists the fitted rows. A held-out row the
/// model has seen makes train-on-synthetic and the privacy checks
/// optimistic (the generator can reproduce the test rows), so `compare`
/// warns; `synthctl split` gives a holdout no model saw.
public enum FittedRowsOverlap: Sendable, Equatable {
    /// The holdout was checked: `overlapping` of its `holdoutRows` rows are
    /// among the model's `fittedRows`.
    case checked(modelFile: String, fittedRows: Int, holdoutRows: Int, overlapping: Int)
    /// The synthetic set's model records no fingerprint (written before
    /// fingerprints, or in the one-JSON form): nothing can be checked.
    case noFingerprint(modelFile: String)
    /// The model's features are not the human set's columns (by name): nothing can be checked.
    case otherColumns(modelFile: String)

    /// The overlap of `human`'s rows `heldOut` with the fitted rows of
    /// `synthetic`'s model; nil when the synthetic set names no model (a
    /// generator's set, a table without a manifest). Errors: the model
    /// files', one line (a model copy that does not match its digest).
    public static func check(synthetic: String, human: LabeledFeatures, heldOut: [Int]) throws -> FittedRowsOverlap? {
        guard let modelFile = modelFile(ofSet: synthetic) else { return nil }
        let (fingerprint, names) = try FittedRowsFingerprint.read(modelAt: modelFile)
        guard let fingerprint else { return .noFingerprint(modelFile: modelFile) }
        let column = Dictionary(human.featureNames.enumerated().map { ($1, $0) }) { first, _ in first }
        guard let x = human.features, names.count == x.columns, let order = Optional(names.compactMap { column[$0] }), order.count == names.count else {
            return .otherColumns(modelFile: modelFile)
        }
        var rows = Matrix(rows: heldOut.count, columns: order.count)
        for (i, r) in heldOut.enumerated() {
            for (j, c) in order.enumerated() { rows.storage[i * order.count + j] = x.storage[r * x.columns + c] }
        }
        let hashes = FittedRowsFingerprint.rowHashes(rows, labels: heldOut.map { human.labels[$0] }, classNames: human.classNames)
        return .checked(modelFile: modelFile, fittedRows: fingerprint.rows, holdoutRows: heldOut.count, overlapping: fingerprint.count(in: hashes))
    }

    /// The model copy a `gen --model` set names: its manifest's
    /// (`DIR/manifest.json`, or `t.csv.manifest.json` beside a table)
    /// `spec.generator.model_file`, beside the manifest; nil without one.
    static func modelFile(ofSet path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        let manifest = isDirectory.boolValue ? (path as NSString).appendingPathComponent("manifest.json") : path + ".manifest.json"
        guard FileManager.default.fileExists(atPath: manifest),
              case .object(let m)? = try? SpecLoader.load(path: manifest),
              case .object(let spec)? = m["spec"], case .object(let generator)? = spec["generator"],
              case .string(let name)? = generator["model_file"],
              !name.isEmpty, !name.contains("/") else { return nil }
        return ((manifest as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }

    /// The note for the report, or nil when there is nothing to say
    /// (no overlap). `splitHint` is how to get a leak-free holdout.
    public func note(splitHint: String) -> String? {
        switch self {
        case let .checked(_, fitted, _, overlapping) where overlapping > 0:
            return "the synthetic set's model was fitted on \(fitted) rows, \(overlapping) of them in the human holdout: train-on-synthetic and privacy numbers are optimistic; \(splitHint)"
        case .checked, .otherColumns: return nil
        case .noFingerprint(let file):
            return "the synthetic set's model (\(file)) records no fingerprint of the rows it was fitted on (written before fingerprints): whether the human holdout holds them cannot be checked"
        }
    }
}
