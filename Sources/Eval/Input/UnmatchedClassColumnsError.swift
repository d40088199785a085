import SynthctlCore

/// Labels that cannot be matched to the columns of predicted probabilities:
/// not all integers (so label k cannot be column k), and not as many
/// distinct labels as there are columns (so class order cannot pair them
/// either). No rule would say which column is which label.
///
/// Rendered as one line, with a semicolon before "found" because the
/// expectation names two alternatives:
///
///     file: expected labels that are the column numbers of P.npy (integers 0 to 3), or 4 distinct labels to match its 4 columns in class order (numeric, else byte order); found 3 distinct labels, not all integers ("dog")
public struct UnmatchedClassColumnsError: SynthctlError, Equatable {
    /// The table of labels, as the user named it.
    public var file: String
    /// Where the probabilities came from, as the user named it.
    public var columnsSource: String
    /// How many probability columns there are (K).
    public var columnCount: Int
    /// How many distinct labels the table has.
    public var distinctLabels: Int
    /// A label that is not an integer.
    public var example: String

    public init(file: String, columnsSource: String, columnCount: Int, distinctLabels: Int, example: String) {
        self.file = file
        self.columnsSource = columnsSource
        self.columnCount = columnCount
        self.distinctLabels = distinctLabels
        self.example = example
    }

    public var description: String {
        "\(file): expected labels that are the column numbers of \(columnsSource) (integers 0 to \(columnCount - 1)), "
            + "or \(columnCount) distinct labels to match its \(columnCount) columns in class order (numeric, else byte order); "
            + "found \(distinctLabels) distinct labels, not all integers (\"\(example)\")"
    }
}
