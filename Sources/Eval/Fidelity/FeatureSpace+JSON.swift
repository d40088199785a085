import SynthctlCore

extension FeatureSpace {
    /// The space as a report records it (`compare`'s and `limits`'
    /// `feature_space`): its kind, and for the standardized space the rows
    /// it was fitted on (the human training rows) and each column's mean
    /// and standard deviation in the column's units, named by `columnNames`.
    /// The caller adds what it encoded beside the numeric columns (`one_hot`).
    public func json(columnNames: [String]) -> [String: JSONValue] {
        guard kind == .standardized else { return ["kind": .string(kind.rawValue)] }
        let columns: [JSONValue] = means.indices.map { j in
            .object(["column": .string(j < columnNames.count ? columnNames[j] : String(j)), "mean": .double(means[j]),
                     "standard_deviation": .double(standardDeviations[j])])
        }
        return [
            "kind": .string(kind.rawValue), "fitted_on": .string("human training rows"), "rows": .int(fittedRows),
            "columns": .array(columns), "unscaled_columns": JSONValue(unscaledColumns),
        ]
    }
}
