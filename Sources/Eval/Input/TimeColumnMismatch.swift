import SynthctlCore

/// A numeric feature column that holds times in one set and not the same
/// kind of time in the other: a date (read as days since 1970-01-01) in
/// one file and a timestamp (seconds since 1970-01-01 00:00:00) or a plain
/// number in the other. Both become numbers, so every metric would compare
/// days with seconds: identical rows written by pandas as Parquet
/// (TIMESTAMP) and as CSV (midnights written as dates) read as
/// distinguishable with AUC 1. Refused for the synthetic set against the
/// human one (``ClassAlignment/requireSameColumns(human:synthetic:)``) and
/// for a holdout against its training part (``GivenHoldout``).
///
///     s.csv: column "day": expected a timestamp column (seconds since 1970-01-01 00:00:00), as in the human set h.parquet, found a date column (days since 1970-01-01); state its type for both with --schema (…)
enum TimeColumnMismatch {
    /// What kind of number column `type` is, as a message says it; nil when
    /// the column is not numeric (categorical columns are matched elsewhere).
    static func kind(_ type: ColumnType) -> String? {
        switch type {
        case .date: "a date column (days since 1970-01-01)"
        case .timestamp: "a timestamp column (seconds since 1970-01-01 00:00:00)"
        case .numeric, .integer, .boolean: "a column of numbers that are not times"
        case .categorical: nil
        }
    }

    /// The first feature column of both sets (in `reference`'s order) whose
    /// kinds differ, as a refusal naming `other`'s file; nil when they agree
    /// or either set has no schema (a `.npy` set of positions).
    static func refusal(reference: LabeledFeatures, other: LabeledFeatures, role: String) -> InputError? {
        guard let a = reference.schema, let b = other.schema, !reference.featureNamesArePositions, !other.featureNamesArePositions else { return nil }
        let theirs = Set(other.featureNames.map(ExactText.init))
        for name in reference.featureNames where theirs.contains(ExactText(name)) {
            guard let x = a[name].flatMap({ kind($0.type) }), let y = b[name].flatMap({ kind($0.type) }), x != y,
                  a[name]!.type == .date || a[name]!.type == .timestamp || b[name]!.type == .date || b[name]!.type == .timestamp else { continue }
            let typeName = (a[name]!.type == .date || a[name]!.type == .timestamp ? a[name]! : b[name]!).type.name
            return InputError(file: other.source, columnName: .named(name), expected: "\(x), as in \(role) \(reference.source)",
                              found: "\(y); state its type for both with --schema (a file of {\"columns\": [{\"name\": \(JSONValue.string(name).compact), \"type\": \"\(typeName)\"}]})")
        }
        return nil
    }
}
