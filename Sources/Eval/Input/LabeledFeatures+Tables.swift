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
    ///   `featureColumns`: the columns to read as features (the user's
    ///   choice, checked as a table's), else the manifest's.
    static func read(tables directory: DatasetDirectory, dropMissing: Bool,
                     probabilityColumns: (count: Int, source: String)?, featureColumns: [String]? = nil) throws -> LabeledFeatures {
        guard directory.hasLabels else { throw directory.noClassLabels }
        let (names, spellings) = try directory.classes()
        let parts = try directory.checkedReading {
            try directory.tables.map { table in
                let part = try read(table: table.path, labelColumn: "label", featureColumns: featureColumns ?? table.manifest.featureNames,
                                    dropMissing: dropMissing, probabilityColumns: probabilityColumns, labelOrder: spellings,
                                    types: statedTypes(table.manifest))
                if directory.tables.count > 1, let rows = table.manifest.rows, part.rows + part.droppedRows != rows {
                    throw InputError(file: table.path, expected: "\(rows) rows (its manifest's)", found: "\(part.rows + part.droppedRows)")
                }
                return part
            }
        }
        let first = parts[0]
        for (table, part) in zip(directory.tables, parts) where part.categoricalColumns.map(\.name) != first.categoricalColumns.map(\.name) {
            throw InputError(file: table.path, expected: "the categorical columns of \(URL(fileURLWithPath: directory.tables[0].path).lastPathComponent) (\(NameList.describe(first.categoricalColumns.map(\.name))))",
                             found: part.categoricalColumns.isEmpty ? "none" : NameList.describe(part.categoricalColumns.map(\.name)))
        }
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
        // Carried as the table's own read carries them (fit and compare encode them; other commands refuse them by name).
        out.categoricalColumns = first.categoricalColumns.indices.map { k in CategoricalColumn.stacking(parts.map { $0.categoricalColumns[k] }) }
        if spellings != names { out = out.withClassNames(names) }
        // The dataset's schema as its .npy form reports it (features and label), so that both forms give one report,
        // each feature column typed as the table holds it (a fitted model's integer, boolean and categorical columns).
        out.schema = out.npySchema(typed: first.schema, categoricalColumns: out.categoricalColumns)
        return out.carryingReadingFields(into: LabeledFeatures(source: out.source, features: out.features, featureNames: out.featureNames, labels: out.labels,
                               classNames: out.classNames, truth: out.truth,
                               trueNoiseMatrix: directory.noiseMatrix(classes: out.classNames.count), droppedRows: out.droppedRows,
                               fileRows: out.fileRows))
    }

    /// The types `manifest` states for its feature columns (``DatasetManifest/schema()``),
    /// given to the table's reader, so that a table `gen` wrote reads as it
    /// was written: a categorical column stays one whatever its values look
    /// like (`02139`), and every part of a sharded set gets the same types.
    /// None for a manifest without a schema: its table's columns are typed
    /// by their contents.
    static func statedTypes(_ manifest: DatasetManifest) throws -> ColumnTypeOverrides {
        guard let schema = try manifest.schema(), let features = manifest.featureNames.map(Set.init) else { return .none }
        let stated = schema.columns.filter { features.contains($0.name) }
        return stated.isEmpty ? .none : ColumnTypeOverrides(schema: TableSchema(columns: stated), schemaSource: manifest.path)
    }
}
