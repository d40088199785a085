import SynthctlCore

/// A feature column that is categorical in one set and numeric in the
/// other (``ClassAlignment/requireSameColumns(human:synthetic:)``, for
/// `compare` and `limits` alike): typically
/// a categorical column written as codes (0, 1, 2) in one file and as
/// names in the other. The metrics and learners cannot meet the two; the command line
/// says how to read the column as categorical in both, as it does for two
/// parts (``PartColumnTypeError``).
///
///     s.csv: column "region": expected a categorical feature column (as in h.csv), found a numeric one
public struct SetColumnTypeError: SynthctlError {
    /// The refusal, as the line reads.
    public var error: InputError
    /// The column whose type differs.
    public var column: String

    public init(_ error: InputError, column: String) {
        self.error = error
        self.column = column
    }

    public var description: String { error.description }
}
