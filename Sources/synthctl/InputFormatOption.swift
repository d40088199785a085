import ArgumentParser
import Eval

/// `--input-format`, for tables whose name does not tell their format
/// (standard input `-`, a pipe or process substitution `<(…)`), and
/// `--delimiter`, for CSV files separated by something else than a comma.
struct InputFormatOption: ParsableArguments {
    @Option(help: "The format of the table inputs, whatever their names (a Parquet file is Parquet still): \(TableFormat.helpList). Default: by extension, else by content, as for - or <(…) (a gzip or zstd stream decoded first; Parquet's PAR1 magic; JSON Lines when it starts with {; else CSV).",
            oneOf: TableFormat.self)
    var inputFormat: TableFormat?

    @Option(help: ArgumentHelp("The field delimiter of CSV and TSV inputs: one ASCII character such as ';' or '|', or tab (spelled tab or \\t). Default: a comma, a tab for .tsv and .tab files.", valueName: "char"))
    var delimiter: String?

    var format: TableFormat? { inputFormat }

    /// Checks the delimiter and sets it for the run (parsing happens before
    /// any input is read; `--input-format` is checked while it is parsed).
    func validate() throws {
        if let delimiter {
            let byte: UInt8? = delimiter == "tab" || delimiter == "\\t" ? 9 : delimiter.utf8.count == 1 ? delimiter.utf8.first : nil
            guard let byte, byte == 9 || (byte >= 0x20 && byte < 0x7F), !"\"\r\n".utf8.contains(byte),
                  !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
                throw ValidationError("--delimiter: expected one ASCII character other than a digit, a quote or a line end (or tab), found \"\(delimiter)\"")
            }
            TableFormat.givenDelimiter = byte
        }
    }
}
