import SynthctlCore

import Foundation

/// The manifest of a dataset: enough to reproduce it, to check it, and to
/// know its ground truth. Written last; its bytes are a pure function of
/// (spec, seed, rows, format version).
struct Manifest {
    let plan: DatasetPlan
    let stats: RealizedStatistics
    let rows: Range<Int>
    let shard: Shard?
    let files: [String: JSONValue]
    /// How the table form writes classes (``LabelFormat``): names by default
    /// (the directory form too); ids make `label`, `true_label` and the
    /// annotator columns integer columns in the schema.
    var labelFormat: LabelFormat = .name
    /// Whether the table has `label_id` and `true_label_id` beside the
    /// names (Parquet with names), which the schema then lists.
    var classIdColumns = false
    /// The names of the model's copies beside a table's manifest (``DatasetWriter/writeModelCopies(into:shown:manifestName:atomically:)``),
    /// which the spec then names instead of a directory's `model.json`.
    var modelCopies: (json: String, tensors: String)?

    /// The plan's resolved spec with the shard that was written (which the
    /// writer may have set apart from the spec's): given to `gen --spec`,
    /// it writes these rows again.
    var spec: JSONValue {
        guard case .object(var o) = plan.resolvedSpec else { return plan.resolvedSpec }
        o["shard"] = shard?.specValue
        if let names = modelCopies, let model = (plan.generator as? any FittedModelGenerator)?.modelFile, case .object(var g)? = o["generator"] {
            g.merge(model.specFields(names: names)) { _, new in new }
            o["generator"] = .object(g)
        }
        return .object(o)
    }

    var json: JSONValue {
        let g = plan.generator
        var o: [String: JSONValue] = [
            "format_version": .int(DatasetWriter.formatVersion),
            "generator_version": .string(SynthVersion.current),
            "spec": spec,
            "seed": .int(Int(plan.seed)),
            "total_rows": .int(plan.rows),
            "rows": .int(rows.count),
            "row_offset": .int(rows.lowerBound),
            "shard": shard.map { .object(["index": .int($0.index), "count": .int($0.count)]) } ?? .null,
            "feature_names": JSONValue(g.featureNames),
            "files": .object(files),
            "ground_truth": g.groundTruth,
            "schema": schema.json,
        ]
        if g.classCount > 0 {
            o["class_names"] = JSONValue(g.classNames)
            var noise: [String: JSONValue] = [
                "spec": plan.noise?.resolvedSpec ?? .object(["type": .string("none")]),
                "transition_matrix": JSONValue(plan.noise?.transition ?? LabelNoise.identity(g.classCount)),
                "transition_matrix_meaning": .string("row i = true class, column j = observed label: P(observed j | true i)"),
                "realized_counts": .array((0..<g.classCount).map { i in
                    JSONValue(Array(stats.transitions[(i * g.classCount)..<((i + 1) * g.classCount)])) }),
                "realized_transition_matrix": JSONValue(stats.transitionMatrix),
                "realized_noise_rate": .double(stats.noiseRate),
                "flipped_rows": .int(stats.flipped),
            ]
            if plan.noise?.kind == .boundary {
                noise["transition_matrix_note"] = .string("estimated on the \(LabelNoise.calibrationRows)-row calibration sample")
            }
            o["noise"] = .object(noise)
        }
        if let pool = plan.annotators {
            o["annotators"] = .array((0..<pool.count).map { a in
                .object([
                    "id": .int(a), "profile": .string(pool.profiles[a].rawValue),
                    "confusion_matrix": JSONValue(pool.confusion[a]),
                    "labels": .int(stats.annotatorLabels(a)),
                    "realized_accuracy": .double(stats.annotatorAccuracy(a)),
                ])
            })
        }
        return .object(o)
    }
}

public enum SynthVersion {
    public static let current = "0.1.0"
}
