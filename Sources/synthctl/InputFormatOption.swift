import ArgumentParser
import Eval

/// `--input-format`, for tables whose name does not tell their format
/// (standard input `-`, a pipe or process substitution `<(…)`).
struct InputFormatOption: ParsableArguments {
    @Option(help: "The format of table inputs without a known extension (.csv, .jsonl/.ndjson, .parquet/.pq), such as - or <(…): csv, jsonl or parquet. Default: by content (Parquet's PAR1 magic; JSON Lines when it starts with {; else CSV).")
    var inputFormat: String?

    var format: TableFormat? { inputFormat.flatMap(TableFormat.init(rawValue:)) }

    func validate() throws {
        if let inputFormat, TableFormat(rawValue: inputFormat) == nil {
            throw ValidationError("--input-format: expected csv, jsonl or parquet, found \"\(inputFormat)\"")
        }
    }
}
