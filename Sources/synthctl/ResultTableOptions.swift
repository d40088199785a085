import ArgumentParser
import Eval
import Synth
import SynthctlCore

/// `score`'s per-item and per-row result tables: the consensus of every
/// item (`--items-out`, from annotations) and the verdict on every row
/// (`--rows-out`, from labels), in the format their file names ask for.
struct ResultTableOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the consensus per item (Dawid–Skene's label, its posterior probability and every class's, as crowd-kit's labels_ and probas_) to this file: .csv, .tsv, .jsonl or .parquet by extension (- for CSV on standard output).", valueName: "file"))
    var itemsOut: String?

    @Option(help: ArgumentHelp("Write every row, flagged or not (row, is_label_issue, label_score, given_label, predicted_label, as cleanlab's get_issues()) to this file: .csv, .tsv, .jsonl or .parquet by extension (- for CSV on standard output).", valueName: "file"))
    var rowsOut: String?

    /// The files, for ``RunFiles``'s checks.
    var outputs: [(String, String?, OutputTarget.Expected)] { [("--items-out", itemsOut, .file), ("--rows-out", rowsOut, .file)] }

    /// Refuses a file name whose extension names no format, before any work.
    func validateFormats() throws {
        for (option, path) in [("--items-out", itemsOut), ("--rows-out", rowsOut)] {
            guard let path, path != InputFile.standardInput, ResultTable.Format(path: path) == nil else { continue }
            throw ArgumentError(argument: option, expected: "a file name ending in .csv, .tsv, .jsonl or .parquet, or - for standard output",
                                found: path)
        }
    }

    /// Writes `table` to `path` in the format its extension names (CSV for `-`).
    static func write(_ table: ResultTable, to path: String, files: RunFiles) throws {
        let format = path == InputFile.standardInput ? .csv : ResultTable.Format(path: path) ?? .csv
        try files.write(bytes: table.file(as: format, createdBy: "synthctl version \(SynthVersion.current)"), to: path)
    }
}
