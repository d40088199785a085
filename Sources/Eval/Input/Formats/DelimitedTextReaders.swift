import Synth

/// Comma-separated text (RFC 4180 quoting; `--delimiter` sets another
/// separator, see ``TableFormat/givenDelimiter``): the fallback for a table
/// with no telling extension whose first bytes no other format claims.
enum CSVReader: TableReader {
    static let format = TableFormat.csv
    static let displayName = "CSV"
    static let extensions = ["csv"]
    static func recognizes(_ bytes: [UInt8]) -> Bool { false }
    static var fieldDelimiter: UInt8? { TableFormat.givenDelimiter ?? UInt8(ascii: ",") }
    static func source(_ path: String, bytes: [UInt8]) throws -> TableSource {
        try delimitedText(path, bytes: bytes, delimiter: fieldDelimiter!)
    }

    /// CSV's rules (quotes, line ends, missing values) with `delimiter`
    /// between fields: cells are text, located by their physical line.
    static func delimitedText(_ path: String, bytes: [UInt8], delimiter: UInt8) throws -> TableSource {
        let t = try CSVTable(bytes: bytes, path: path, delimiter: delimiter)
        let notes = t.droppedEmptyLastColumn
            ? ["an unnamed last column with no values (a delimiter at the end of every line) was left out"] : []
        return TableSource(header: t.header, rows: t.rowCount, notes: notes, cell: { .text(t[$0, $1]) },
                           location: { .line(t.lines[$0]) })
    }
}

/// Tab-separated text: CSV's rules with a tab between fields, as pandas'
/// `read_csv(sep="\t")` reads it. Chosen by extension or `--input-format`
/// only: by its first bytes it is CSV (whose delimiter `--delimiter` can
/// make a tab). `--delimiter` overrides the tab too.
enum TSVReader: TableReader {
    static let format = TableFormat.tsv
    static let displayName = "TSV"
    static let extensions = ["tsv", "tab"]
    static func recognizes(_ bytes: [UInt8]) -> Bool { false }
    static var fieldDelimiter: UInt8? { TableFormat.givenDelimiter ?? UInt8(ascii: "\t") }
    static func source(_ path: String, bytes: [UInt8]) throws -> TableSource {
        try CSVReader.delimitedText(path, bytes: bytes, delimiter: fieldDelimiter!)
    }
}
