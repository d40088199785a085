import Synth
import SynthctlCore

extension LabeledFeatures {
    /// Rows a generator sampled (`x`, rows × the generator's features, and
    /// their class ids `labels`), typed as `synthctl gen --model` writes
    /// them to a table and a reader reads that table back: a fitted model's
    /// categorical features (``FittedColumns``) become categorical columns
    /// (``categoricalColumns``: the sampled codes, the model's categories)
    /// and leave ``features``; integer and boolean features stay numbers
    /// (``ColumnType/boolean`` read as 0 and 1), typed in ``schema`` by
    /// ``FittedColumns/Column/columnType``, the type the manifest records.
    /// Every other generator's rows are numeric, as before.
    ///
    /// - Precondition: `x` has `generator.featureCount` columns and `labels.count` rows.
    public init(sampled x: Matrix, labels: [Int32], generator g: any DatasetGenerator, source: String) {
        precondition(x.columns == g.featureCount && x.rows == labels.count)
        let typed = g.featureColumns
        guard let typed, typed.hasCategories else {
            self.init(source: source, features: x, featureNames: g.featureNames, labels: labels, classNames: g.classNames)
            if let typed { schema = Self.sampledSchema(g.featureNames, typed, classNames: g.classNames) }
            return
        }
        let numeric = typed.columns.indices.filter { typed.columns[$0].kind != .categorical }
        var features = Matrix(rows: x.rows, columns: numeric.count)
        for i in 0..<x.rows { for (k, j) in numeric.enumerated() { features[i, k] = x[i, j] } }
        self.init(source: source, features: features, featureNames: numeric.map { g.featureNames[$0] }, labels: labels, classNames: g.classNames)
        categoricalColumns = typed.columns.indices.filter { typed.columns[$0].kind == .categorical }.map { j in
            CategoricalColumn(name: g.featureNames[j], categories: typed.columns[j].categories,
                              codes: (0..<x.rows).map { Int32(x[$0, j]) })
        }
        schema = Self.sampledSchema(g.featureNames, typed, classNames: g.classNames)
    }

    /// The features in the model's order with their types, then the label.
    private static func sampledSchema(_ names: [String], _ typed: FittedColumns, classNames: [String]) -> TableSchema {
        TableSchema(columns: zip(names, typed.columns).map { TableSchema.Column(name: $0, type: $1.columnType, missing: 0) }
            + [TableSchema.Column(name: "label", type: .categorical(categories: classNames), missing: 0)])
    }
}
