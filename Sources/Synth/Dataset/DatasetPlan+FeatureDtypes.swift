extension DatasetPlan {
    /// The `datasets` dtype of each feature column of a fitted model with
    /// typed columns, by feature name, as the table holds it
    /// (``DatasetWriter/parquetKind(_:)``; CSV and JSON Lines hold the same
    /// values as text): `float32`, `float64` for a column rounded to
    /// decimals (Parquet DOUBLE), `int64`, `bool`, `string` (a category's
    /// name), `date32`, `timestamp[ms]` or `timestamp[us]` (`, tz=UTC` when
    /// UTC) for dates and timestamps. Empty for other generators, whose features are all float32.
    ///
    /// Why: the dataset card's YAML header and croissant.json state each
    /// column's type; a loader casts to what they say, so `float32` for an
    /// int64 column of counts or a float64 column of prices would change
    /// the values, and a category's name is no float at all.
    var featureDtypes: [String: String] {
        guard let columns = generator.featureColumns?.columns else { return [:] }
        let dtypes = columns.map { column -> String in
            if let time = column.time {
                // pyarrow's names for what the Parquet table holds (``FittedTime``).
                if time == .date { return "date32" }
                let unit = FittedTime.parquetUnit(of: column) == .millis ? "ms" : "us"
                return time == .timestampUTC ? "timestamp[\(unit), tz=UTC]" : "timestamp[\(unit)]"
            }
            return switch column.kind {
            case .continuous: column.decimals == nil ? "float32" : "float64"
            case .integer: "int64"
            case .boolean: "bool"
            case .categorical: "string"
            }
        }
        return Dictionary(zip(generator.featureNames, dtypes), uniquingKeysWith: { first, _ in first })
    }

    /// The feature columns' dtypes in words for a card or a description:
    /// `float32` when every feature is, else each dtype with its count in
    /// column order of first appearance (`2 float32, 1 int64, 1 string`).
    var featureDtypeSummary: String {
        let dtypes = featureDtypes
        guard !dtypes.isEmpty else { return "float32" }
        var order = [String](), counts = [String: Int]()
        for name in generator.featureNames {
            let dtype = dtypes[name] ?? "float32"
            if counts[dtype] == nil { order.append(dtype) }
            counts[dtype, default: 0] += 1
        }
        return order == ["float32"] ? "float32" : order.map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
    }
}
