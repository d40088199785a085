import Foundation
import Synth
import SynthctlCore

extension LabeledFeatures {
    /// A table directory or sharded Parquet directory that `gen` wrote
    /// (``DatasetDirectory``), read as the same set its `.npy` form gives:
    /// the manifest's feature columns in its order, `label` as the labels
    /// and `true_label` as the truth, classes in the manifest's order and
    /// named by its `class_names` (cells holding the names, or the ids
    /// 0…K−1 with `label_format` `id`), the realized noise matrix (for
    /// parts, their counts summed). Parts are read one after another and
    /// stacked in part order; each must hold the rows its manifest states,
    /// and its footer and SHA-256 must be its manifest's
    /// (``DatasetDirectory/checkedReading(_:)``).
    ///
    /// - Throws: the table reader's errors naming the file (a part), or
    ///   ``InputError`` naming a part whose rows, footer or SHA-256 differ
    ///   from its manifest's, or the directory when it has no class labels.
    static func read(tables directory: DatasetDirectory, dropMissing: Bool,
                     probabilityColumns: (count: Int, source: String)?) throws -> LabeledFeatures {
        guard directory.hasLabels else { throw directory.noClassLabels }
        let (names, spellings) = try directory.classes()
        let parts = try directory.checkedReading {
            try directory.tables.map { table in
                let part = try read(table: table.path, labelColumn: "label", featureColumns: table.manifest.featureNames,
                                    dropMissing: dropMissing, probabilityColumns: probabilityColumns, labelOrder: spellings)
                if directory.tables.count > 1, let rows = table.manifest.rows, part.rows + part.droppedRows != rows {
                    throw InputError(file: table.path, expected: "\(rows) rows (its manifest's)", found: "\(part.rows + part.droppedRows)")
                }
                return part
            }
        }
        let first = parts[0]
        var storage = [Float](), labels = [Int32](), truth = [Int32]()
        var fileRows = [Int](), offset = 0, dropped = 0
        for part in parts {
            storage += part.features?.storage ?? []
            labels += part.labels
            truth += part.truth ?? []
            fileRows += (part.fileRows ?? Array(0..<part.rows)).map { $0 + offset }
            offset += part.rows + part.droppedRows
            dropped += part.droppedRows
        }
        let columns = first.features?.columns ?? 0
        var out = LabeledFeatures(source: directory.path, features: first.features == nil ? nil : Matrix(rows: labels.count, columns: columns, storage: storage),
                                  featureNames: first.featureNames, labels: labels, classNames: first.classNames,
                                  truth: first.truth == nil ? nil : truth, trueNoiseMatrix: nil, droppedRows: dropped,
                                  fileRows: dropped > 0 ? fileRows : nil)
        out.readingNotes = first.readingNotes
        if spellings != names { out = out.withClassNames(names) }
        // The dataset's schema as its .npy form reports it (features and label), so that both forms give one report.
        out.schema = out.npySchema()
        return out.carryingReadingFields(into: LabeledFeatures(source: out.source, features: out.features, featureNames: out.featureNames, labels: out.labels,
                               classNames: out.classNames, truth: out.truth,
                               trueNoiseMatrix: directory.noiseMatrix(classes: out.classNames.count), droppedRows: out.droppedRows,
                               fileRows: out.fileRows))
    }
}
