import Eval

/// The option that reads a text table whose header read as one column
/// holding tabs or semicolons (``OneColumnHeaderError``): the library names
/// no flag, so the line's advice is added here.
enum SeparatorHint {
    /// `error; a tab-separated table: read it with --input-format tsv`.
    /// A known extension wins over `--input-format` (``TableFormat/of(_:bytes:explicit:)``),
    /// so a tab-separated `.csv` is told `--delimiter tab`.
    static func line(_ e: OneColumnHeaderError) -> String {
        let hint = e.separator == 9
            ? "a tab-separated table: read it with " + (TableFormat(extensionOf: e.error.file) == nil ? "--input-format tsv" : "--delimiter tab")
            : "a '\(Character(Unicode.Scalar(e.separator)))'-separated table: read it with --delimiter '\(Character(Unicode.Scalar(e.separator)))'"
        return "\(e.description); \(hint)"
    }
}
