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
    /// fingerprints, or in the one-JSON form of `fit --out -`, which the
    /// set's manifest then holds: `modelFile` is the manifest): nothing can be checked.
    case noFingerprint(modelFile: String)
    /// The model's fingerprint cannot be matched with the human set's rows:
    /// `reason` says why (columns the human set lacks by name, a column of
    /// another type, a fingerprint of encoded categories).
    case otherColumns(modelFile: String, reason: String)

    /// The overlap of `human`'s rows `heldOut` with the fitted rows of
    /// `synthetic`'s model; nil when the synthetic set names no model (a
    /// generator's set, a table without a manifest). The held-out rows are
    /// hashed as they were read (``FittedRowsFingerprint/TypedRows``), their
    /// columns matched with the model's `feature_names` by name: numeric
    /// columns by their values, boolean columns (numeric 0/1 here) and
    /// categorical ones by their category names. Errors: the model files',
    /// one line (a model copy that does not match its digest).
    public static func check(synthetic: String, human: LabeledFeatures, heldOut: [Int]) throws -> FittedRowsOverlap? {
        guard let source = modelSource(ofSet: synthetic) else { return nil }
        guard case .file(let modelFile) = source else { return .noFingerprint(modelFile: source.path) }
        return try check(model: modelFile, human: human, heldOut: heldOut)
    }

    /// The overlap of `human`'s rows `heldOut` with the fitted rows of the
    /// model file `modelFile` itself (`limits --model`, which samples its
    /// synthetic rows from it), matched as ``check(synthetic:human:heldOut:)``
    /// matches them. Errors: the model files', one line.
    public static func check(model modelFile: String, human: LabeledFeatures, heldOut: [Int]) throws -> FittedRowsOverlap {
        let (fingerprint, names, kinds) = try FittedRowsFingerprint.read(modelAt: modelFile)
        guard let fingerprint else { return .noFingerprint(modelFile: modelFile) }
        let kindOf = kinds ?? names.map { _ in .continuous }
        if !fingerprint.typed && kindOf.contains(where: { $0 == .categorical || $0 == .boolean }) {
            return .otherColumns(modelFile: modelFile, reason: "its fingerprint hashes the categories as the numbers it encodes them with (written before fingerprints of typed rows)")
        }
        guard let x = human.features else { return .otherColumns(modelFile: modelFile, reason: "the human set has no feature columns") }
        let numeric = Dictionary(human.featureNames.enumerated().map { ($1, $0) }) { first, _ in first }
        let categorical = Dictionary(human.categoricalColumns.map { ($0.name, $0) }) { first, _ in first }
        let n = heldOut.count
        var numericOrder = [Int](), typedColumns = [(categories: [String], codes: [Int32])](), missing = [String](), retyped = [String]()
        for (name, kind) in zip(names, kindOf) {
            switch kind {
            case .continuous, .integer:
                if let c = numeric[name] { numericOrder.append(c) } else if categorical[name] != nil { retyped.append(name) } else { missing.append(name) }
            case .boolean:
                if let c = numeric[name] {
                    typedColumns.append((["false", "true"], heldOut.map { x.storage[$0 * x.columns + c] != 0 ? 1 : 0 }))
                } else if categorical[name] != nil { retyped.append(name) } else { missing.append(name) }
            case .categorical:
                if let column = categorical[name] {
                    typedColumns.append((column.categories, heldOut.map { column.codes[$0] }))
                } else if numeric[name] != nil { retyped.append(name) } else { missing.append(name) }
            }
        }
        guard missing.isEmpty, retyped.isEmpty else {
            let reason = missing.isEmpty
                ? "\(retyped.count == 1 ? "column" : "columns") \(NameList.describe(retyped)): categorical in one, numeric in the other"
                : "the human set has no \(missing.count == 1 ? "column" : "columns") \(NameList.describe(missing)) (by name)"
            return .otherColumns(modelFile: modelFile, reason: reason)
        }
        var rows = Matrix(rows: n, columns: numericOrder.count)
        for (i, r) in heldOut.enumerated() {
            for (j, c) in numericOrder.enumerated() { rows.storage[i * numericOrder.count + j] = x.storage[r * x.columns + c] }
        }
        let hashes = FittedRowsFingerprint.rowHashes(.init(numeric: rows, categorical: typedColumns),
                                                     labels: heldOut.map { human.labels[$0] }, classNames: human.classNames)
        return .checked(modelFile: modelFile, fittedRows: fingerprint.rows, holdoutRows: n, overlapping: fingerprint.count(in: hashes))
    }

    /// Where a `gen --model` set's model is.
    enum ModelSource: Equatable {
        /// The model copy its manifest's `spec.generator.model_file` names, beside the manifest.
        case file(String)
        /// The model's fields inline in the manifest (a one-JSON model, `fit --out -`): no fingerprint.
        case inline(manifest: String)

        var path: String {
            switch self {
            case .file(let path), .inline(manifest: let path): path
            }
        }
    }

    /// The model of a `gen --model` set, from its manifest (`DIR/manifest.json`,
    /// a sharded set's first `_part-….parquet.manifest.json`, whose parts
    /// share one model, or `t.csv.manifest.json` beside a table): nil
    /// without a manifest or when its generator (`spec.generator.type`) is
    /// not a fitted model's.
    static func modelSource(ofSet path: String) -> ModelSource? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        var manifest = isDirectory.boolValue ? (path as NSString).appendingPathComponent("manifest.json") : path + ".manifest.json"
        if isDirectory.boolValue, !FileManager.default.fileExists(atPath: manifest),
           let part = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter({ $0.hasPrefix("_part-") && $0.hasSuffix(".parquet.manifest.json") }).min() {
            manifest = (path as NSString).appendingPathComponent(part)
        }
        guard FileManager.default.fileExists(atPath: manifest),
              case .object(let m)? = try? SpecLoader.load(path: manifest),
              case .object(let spec)? = m["spec"], case .object(let generator)? = spec["generator"] else { return nil }
        if case .string(let name)? = generator["model_file"], !name.isEmpty, !name.contains("/") {
            return .file(((manifest as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name))
        }
        guard case .string(let type)? = generator["type"], fittedModelTypes.contains(type) else { return nil }
        return .inline(manifest: manifest)
    }

    /// The generators that sample a fitted model (``GeneratorRegistry``).
    static let fittedModelTypes: Set<String> = ["gaussian_model", "mixture_model", "copula_model"]

    /// The note for the report, or nil when there is nothing to say
    /// (no overlap). `splitHint` is how to get a leak-free holdout;
    /// `heldOut` names the checked rows and `optimistic` what the overlap
    /// flatters (compare's by default).
    public func note(splitHint: String, heldOut: String = "the human holdout",
                     optimistic: String = "train-on-synthetic and privacy numbers are optimistic") -> String? {
        switch self {
        case let .checked(_, fitted, _, overlapping) where overlapping > 0:
            return "the synthetic set's model was fitted on \(fitted) rows, \(overlapping) of them in \(heldOut): \(optimistic); \(splitHint)"
        case .checked: return nil
        case .noFingerprint:
            return "the synthetic set's model carries no fingerprint of its fitted rows: overlap with the holdout cannot be checked"
        case .otherColumns(_, let reason):
            return "the synthetic set's model's fingerprint cannot be matched with the human rows (\(reason)): overlap with the holdout cannot be checked"
        }
    }
}
