import SynthctlCore

extension Manifest {
    /// What the dataset's columns are (``TableSchema``), recorded in the
    /// manifest as `schema` so that a reader knows the types without
    /// guessing: the features (numeric, float32; a fitted model's integer,
    /// boolean, categorical, date and timestamp features as such,
    /// ``FittedColumns``, ``FittedTime``), then for a classifier
    /// `label` and `true_label` (categorical, the class names; stored as
    /// int32 class ids in `.npy`) and `noisy` (boolean), for multilabel one
    /// boolean column per label, for regression `target` (or `target_0…`,
    /// numeric), and one `annotator_a` column per annotator (categorical,
    /// the class names; missing where that annotator gave no label). These
    /// are the columns of the table form (``TableColumns``); the directory
    /// form holds the same values in its `.npy` files. A table written with
    /// class ids (``labelFormat``) has integer class columns instead, and a
    /// Parquet table with names lists its `label_id` and `true_label_id`
    /// (``classIdColumns``). Nothing generated is missing except an
    /// annotator's skipped items.
    var schema: TableSchema {
        let g = plan.generator
        let shape = ChunkShape(plan: plan)
        var columns = g.featureNames.enumerated().map { j, name in
            TableSchema.Column(name: name, type: g.featureColumns.map { Self.featureType($0.columns[j]) } ?? .numeric, missing: 0,
                               unit: g.featureColumns?.columns[j].time?.unit)
        }
        let classes = labelFormat == .id ? ColumnType.integer : ColumnType.categorical(categories: g.classNames)
        if shape.classes > 0 {
            columns.append(TableSchema.Column(name: "label", type: classes, missing: 0))
            if classIdColumns { columns.append(TableSchema.Column(name: "label_id", type: .integer, missing: 0)) }
            columns.append(TableSchema.Column(name: "true_label", type: classes, missing: 0))
            if classIdColumns { columns.append(TableSchema.Column(name: "true_label_id", type: .integer, missing: 0)) }
            columns.append(TableSchema.Column(name: "noisy", type: .boolean, missing: 0))
        } else if shape.labelWidth > 0 {
            columns += g.classNames.map { TableSchema.Column(name: $0, type: .boolean, missing: 0) }
        }
        if shape.targets == 1 { columns.append(TableSchema.Column(name: "target", type: .numeric, missing: 0)) }
        if shape.targets > 1 { columns += (0..<shape.targets).map { TableSchema.Column(name: "target_\($0)", type: .numeric, missing: 0) } }
        for a in 0..<shape.annotators {
            columns.append(TableSchema.Column(name: "annotator_\(a)", type: classes,
                                              missing: rows.count - stats.annotatorLabels(a)))
        }
        return TableSchema(columns: columns)
    }

    /// A fitted model's feature as a table column (``FittedColumns``).
    static func featureType(_ column: FittedColumns.Column) -> ColumnType { column.columnType }
}
