import Eval
import Synth
import SynthctlCore

/// What reading the input left out, said in the summary and the JSON report:
/// rows dropped for a missing value (`--drop-missing`), per input, and
/// columns left out of the default features (pandas' index). With no
/// `--drop-missing` and nothing left out, nothing is said, so reports of
/// clean input keep their bytes.
struct InputNotes {
    let dropMissing: Bool
    private var dropped = [(role: String, source: String, rows: Int, total: Int, unit: String)]()
    private var excluded = [(role: String, source: String, columns: [String])]()
    /// The schema of each labeled set read, by role.
    private var schemas = [(role: String, schema: TableSchema)]()
    /// Other things reading left out (an empty last column, idle
    /// annotators), in words; `json` false when the report carries them elsewhere.
    /// `summary` false when only the report carries the note (the summary says it with more).
    private var other = [(role: String, source: String, text: String, json: Bool, summary: Bool)]()

    init(dropMissing: Bool) { self.dropMissing = dropMissing }

    /// A labeled set read as `role` ("human", "synthetic", "labels", "input").
    /// Dropped rows are said of the files whose missing values dropped them
    /// (a NaN in `labels.npy` is not `features.npy`'s), else of `source`.
    mutating func add(_ role: String, _ set: LabeledFeatures, source: String) {
        let droppedFrom = set.missingValueSources.isEmpty ? source : set.missingValueSources.joined(separator: " and ")
        if dropMissing { dropped.append((role, droppedFrom, set.droppedRows, set.rows + set.droppedRows, "rows")) }
        if !set.excludedColumns.isEmpty { excluded.append((role, source, set.excludedColumns)) }
        for text in set.readingNotes { other.append((role, source, text, true, true)) }
        if let note = set.embeddingNote {
            other.append((role, source, note.report, true, false))
            other.append((role, source, note.summary, false, true))
        }
        if let schema = set.schema { schemas.append((role, schema)) }
    }

    /// The schema of a table read as `role` that is no labeled set
    /// (`--answers`, `--gold`), for the report's `schemas`.
    mutating func add(_ role: String, schema: TableSchema?) {
        if let schema { schemas.append((role, schema)) }
    }

    /// A note in words about input read as `role`; `json` false when the
    /// JSON report says it in its own field.
    mutating func add(_ role: String, source: String, note: String, json: Bool = true) {
        other.append((role, source, note, json, true))
    }

    /// Answers or gold rows read as `role`: `kept` used, `droppedCount` left out.
    mutating func add(_ role: String, source: String, kept: Int, dropped droppedCount: Int, unit: String) {
        if dropMissing { dropped.append((role, source, droppedCount, kept + droppedCount, unit)) }
    }

    /// One line per note, for the text summary.
    var lines: [String] {
        dropped.map { "note: \($0.source): \($0.rows) of \($0.total) \($0.unit) dropped for a missing value (--drop-missing)" }
            + excluded.flatMap { e in e.columns.map {
                "note: \(e.source): \($0.isEmpty ? "the unnamed first column" : "column \"\($0)\"") left out of the features (pandas' index; name it in --feature-columns to use it)"
            } }
            + other.filter(\.summary).map { "note: \($0.source): \($0.text)" }
    }

    /// Prints the notes, if any, on standard output.
    func print() {
        for line in lines { Swift.print(line.escapingControlCharacters) }
    }

    /// Adds `dropped_rows` ({role: count}, with --drop-missing),
    /// `excluded_columns` ({role: [names]}, when a column was left out) and
    /// `input_notes` ({role: [text]}, anything else left out) to a report,
    /// and `schemas` ({role: schema}, the columns of each labeled set read
    /// with their types: ``TableSchema``, the shape `--schema` reads).
    func addJSON(to report: inout [String: JSONValue]) {
        if !schemas.isEmpty {
            report["schemas"] = .object(Dictionary(schemas.map { ($0.role, $0.schema.json) }) { a, _ in a })
        }
        if dropMissing {
            report["dropped_rows"] = .object(Dictionary(dropped.map { ($0.role, JSONValue.int($0.rows)) }) { a, _ in a })
        }
        if !excluded.isEmpty {
            report["excluded_columns"] = .object(Dictionary(excluded.map { ($0.role, JSONValue($0.columns)) }) { a, _ in a })
        }
        let notes = other.filter(\.json)
        if !notes.isEmpty {
            report["input_notes"] = .object(Dictionary(grouping: notes, by: \.role).mapValues { JSONValue($0.map(\.text)) })
        }
    }
}
