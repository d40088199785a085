import SynthctlCore

/// A labeled set whose features include categorical columns, given to a
/// computation that needs numbers: the columns are carried by reading
/// (``LabeledFeatures/categoricalColumns``) and refused here, naming them,
/// so that the user chooses rather than synthctl guessing an encoding.
///
///     t.csv: columns "city", "plan": expected numeric feature columns, found categorical ones
///
/// A column whose every value is a list of numbers written as text
/// (``NumberListText``: `datasets`' `to_csv` of an embedding) is said to be
/// one, with the formats that keep a vector:
///
///     t.csv: column "x": expected a numeric feature column, found a categorical one: a list of numbers written as text; write the table as Parquet or JSON Lines to keep it a vector
public struct CategoricalFeaturesError: SynthctlError, Equatable {
    public var file: String
    public var columns: [String]
    /// The columns (of ``columns``, in their order) whose every value is a
    /// number (codes such as 0, 1, 2 typed as categorical): only these can
    /// be read as numbers instead; text categories cannot.
    public var numberColumns: [String]
    /// The columns (of ``columns``, in their order) whose every value is a
    /// list of numbers written as text, `[0.1 0.2 0.3]` (``NumberListText``).
    public var listColumns: [String] = []

    /// Whether every column's values are numbers.
    public var valuesAreNumbers: Bool { !columns.isEmpty && numberColumns.count == columns.count }

    public init(file: String, columns: [String], numberColumns: [String]) {
        self.file = file
        self.columns = columns
        self.numberColumns = numberColumns
    }

    /// All the columns' values numbers, or none's.
    public init(file: String, columns: [String], valuesAreNumbers: Bool = false) {
        self.init(file: file, columns: columns, numberColumns: valuesAreNumbers ? columns : [])
    }

    public var description: String {
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return (columns.count == 1
            ? "\(file): column \(names): expected a numeric feature column, found a categorical one"
            : "\(file): columns \(names): expected numeric feature columns, found categorical ones") + listsAsText
    }

    /// `: a list of numbers written as text; …` when every refused column
    /// is one, else naming those that are; empty when none is.
    private var listsAsText: String {
        guard !listColumns.isEmpty else { return "" }
        let cure = "write the table as Parquet or JSON Lines to keep \(listColumns.count == 1 ? "it a vector" : "them vectors")"
        if listColumns.count == columns.count {
            return ": \(columns.count == 1 ? "a list" : "lists") of numbers written as text; \(cure)"
        }
        let names = listColumns.map { "\"\($0)\"" }.joined(separator: ", ")
        return "; \(names) \(listColumns.count == 1 ? "holds a list" : "hold lists") of numbers written as text: \(cure)"
    }
}
