import Foundation
import Synth
import SynthctlCore

/// What `synthctl split --record` writes, whatever the input's form (a
/// text table, a Parquet table or part directory, a dataset directory, a
/// features/labels `.npy` pair): how to make the parts again.
///
///     {"source": {"file", "sha256", "format", "rows", "dropped_rows"},
///      "seed", "holdout_fraction", "stratified_by": "class",
///      "classes": [names], "single_row_classes": [names, kept in train],
///      "train": {"file", "sha256", "rows", "rows_per_class": {name: n}, "source_rows": [[first, last], …]},
///      "holdout": {…}}
///
/// `format` is the input's (`csv`, `tsv`, `jsonl`, `parquet`,
/// `dataset_directory`, `npy`); a directory's `sha256` is that of its
/// `manifest.json` (which holds every file's), a Parquet part directory's
/// that of its parts' bytes one after another in read order. `extra`
/// entries join `source` and each part (a `.npy` pair's `labels_file` and
/// `labels_sha256`). `source_rows` are the input's rows (0-based, a
/// table's header excluded) as inclusive runs, which is compact for any
/// split.
public struct SplitRecord: Sendable {
    public let file: String
    public let sha256: String
    public let format: String
    public let seed: UInt64
    public let fraction: Double
    public let split: StratifiedSplit
    public let classNames: [String]
    let labels: [Int32]
    /// The input's row of each row of `labels`.
    let fileRows: [Int]
    let droppedRows: Int

    /// The split `split` of `set` (its labels and, where rows were dropped, its file rows).
    public init(file: String, sha256: String, format: String, set: LabeledFeatures, split: StratifiedSplit, seed: UInt64, fraction: Double) {
        self.file = file
        self.sha256 = sha256
        self.format = format
        self.seed = seed
        self.fraction = fraction
        self.split = split
        self.classNames = set.classNames
        self.labels = set.labels
        self.fileRows = set.fileRows ?? Array(0..<set.rows)
        self.droppedRows = set.droppedRows
    }

    /// The input's rows (the arrays' or the file's) of the set's rows `rows`.
    public func sourceRows(_ rows: [Int]) -> [Int] { rows.map { fileRows[$0] } }

    /// One part's file and SHA-256 (and `extra` entries, for each of `source`, `train`, `holdout`).
    public struct Part: Sendable {
        public var file: String
        public var sha256: String
        public var extra: [String: JSONValue] = [:]
        public init(file: String, sha256: String, extra: [String: JSONValue] = [:]) {
            self.file = file
            self.sha256 = sha256
            self.extra = extra
        }
    }

    public func json(train: Part, holdout: Part, sourceExtra: [String: JSONValue] = [:]) -> JSONValue {
        func part(_ rows: [Int], _ p: Part) -> JSONValue {
            var perClass = [Int](repeating: 0, count: classNames.count)
            for r in rows { perClass[Int(labels[r])] += 1 }
            var runs = [JSONValue](), first = -1, last = -2
            for r in rows.map({ fileRows[$0] }) {
                if r == last + 1 { last = r; continue }
                if first >= 0 { runs.append(.array([.int(first), .int(last)])) }
                (first, last) = (r, r)
            }
            if first >= 0 { runs.append(.array([.int(first), .int(last)])) }
            var o: [String: JSONValue] = ["file": .string(p.file), "sha256": .string(p.sha256), "rows": .int(rows.count),
                                          "rows_per_class": .object(Dictionary(uniqueKeysWithValues: classNames.indices.map { (classNames[$0], JSONValue.int(perClass[$0])) })),
                                          "source_rows": .array(runs)]
            o.merge(p.extra) { a, _ in a }
            return .object(o)
        }
        let counts = rowsByClass(labels, classes: classNames.count).map(\.count)
        var source: [String: JSONValue] = ["file": .string(file), "sha256": .string(sha256), "format": .string(format),
                                           "rows": .int(labels.count), "dropped_rows": .int(droppedRows)]
        source.merge(sourceExtra) { a, _ in a }
        return .object([
            "source": .object(source),
            "seed": .int(Int(truncatingIfNeeded: seed)), "holdout_fraction": .double(fraction), "stratified_by": .string("class"),
            "classes": .array(classNames.map { .string($0) }),
            "single_row_classes": .array(classNames.indices.filter { counts[$0] == 1 }.map { .string(classNames[$0]) }),
            "train": part(split.train, train),
            "holdout": part(split.holdout, holdout),
        ])
    }
}
